package io.chronofabric.cli.analysis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The health report's analysis on synthetic snapshots: each unhealthy fact gives its finding with the right
 * severity and a concrete fix; a healthy engine gives only ok findings.
 */
class DiagnosticsTest
{
    private static final double MIB = 1024.0 * 1024.0;
    private static final HealthSnapshot.Journal JOURNAL_OK = new HealthSnapshot.Journal(10_000 * MIB, 128 * MIB,
        Double.POSITIVE_INFINITY, false, 0, 1000, false);

    @Test
    void shouldFindNothingWrongWithAHealthyEngine()
    {
        final List<Finding> findings = Diagnostics.analyze(snapshot(engine("sleeping", 1, 0, 2, 0, 0, Map.of()),
            latency(16_384, 100, 0, 50e-6), memory(100 * MIB, 1024 * MIB, 300 * MIB, 250 * MIB),
            temporal(0, 0, 0, 0, 1.0, 0)));
        assertEquals(Severity.INFO, Diagnostics.worst(findings), findings::toString);
        assertEquals(1, findings.stream().filter(f -> Severity.INFO == f.severity()).count(), "only the slowest stage");
        assertTrue(findings.stream().allMatch(f -> !f.fix().isBlank() && !f.summary().isBlank()));
        assertEquals(List.of("latency", "memory", "temporal", "delivery", "journal"), findings.stream().map(Finding::area)
            .distinct().sorted((a, b) -> order(a) - order(b)).toList());
    }

    @Test
    void shouldFlagBusySpinningThreadsThatDoNotFitTheCpus()
    {
        final Finding finding = find(snapshot(engine("busy-spin", 4, 4, 2, 0, 0, Map.of()), latency(8192, 0, 0, 1e-6),
            memory(1, 2, 1, 1), temporal(0, 0, 0, 0, 1.0, 0)), "wait_strategy_vs_cores");
        assertEquals(Severity.CRITICAL, finding.severity());
        assertTrue(finding.summary().contains("4 busy-waiting") && finding.summary().contains("2 CPU"),
            finding::summary);
        assertTrue(finding.fix().contains("wait.strategy=sleeping") && finding.fix().contains("6 CPUs"), finding::fix);
    }

    @Test
    void shouldFlagAFullRingAndNameTheSlowestStageWithItsFix()
    {
        final HealthSnapshot snapshot = snapshot(engine("sleeping", 1, 0, 2, 0, 0, Map.of()),
            latency(1024, 1024, 17, 5e-3), memory(1, 2, 1, 1), temporal(0, 0, 0, 0, 1.0, 0));
        final Finding ring = find(snapshot, "ring_occupancy");
        assertEquals(Severity.WARN, ring.severity());
        assertTrue(ring.summary().contains("100%") && ring.summary().contains("17 time"), ring::summary);
        assertTrue(ring.fix().contains("ring.size (e.g. to 2048)"), ring::fix);
        final Finding slowest = find(snapshot, "slowest_stage");
        assertTrue(slowest.summary().startsWith("slowest stage by p99: delivery"), slowest::summary);
        assertEquals(Severity.WARN, slowest.severity(), "5 ms is over the 2 ms target");
        assertTrue(slowest.fix().contains("subscriber handlers"), slowest::fix);
        assertEquals(Severity.WARN, find(snapshot, "end_to_end_p99").severity());
    }

    @Test
    void shouldFlagAFullHeapAndMemoryGrowth()
    {
        final HealthSnapshot snapshot = snapshot(engine("sleeping", 1, 0, 2, 0, 0, Map.of()), latency(1024, 0, 0, 0),
            memory(980 * MIB, 1024 * MIB, 1900 * MIB, 400 * MIB), temporal(0, 0, 0, 0, 1.0, 0));
        assertEquals(Severity.CRITICAL, find(snapshot, "heap").severity());
        assertEquals(Severity.WARN, find(snapshot, "resident_memory").severity(), "over the 1024 MiB target");
        final Finding growth = find(snapshot, "memory_growth");
        assertEquals(Severity.WARN, growth.severity());
        assertTrue(growth.summary().contains("1500 MiB"), growth::summary);
    }

    @Test
    void shouldFlagTemporalTroubleWithTheMatchingSeverity()
    {
        final HealthSnapshot snapshot = snapshot(engine("sleeping", 1, 0, 2, 3, 5, Map.of("latency_p99", 4L)),
            latency(1024, 0, 0, 0), memory(1, 2, 1, 1), temporal(3_900, 0.8, 250, 2, 0.9, 7));
        assertEquals(Severity.WARN, find(snapshot, "held").severity());
        assertEquals(Severity.WARN, find(snapshot, "oldest_held_age").severity());
        assertEquals(Severity.WARN, find(snapshot, "deadline_misses").severity());
        assertEquals(Severity.CRITICAL, find(snapshot, "causality_violations").severity());
        assertEquals(Severity.WARN, find(snapshot, "temporal_coherence").severity());
        assertEquals(Severity.WARN, find(snapshot, "clocks").severity());
        final Finding deadLetters = find(snapshot, "dead_letters");
        assertTrue(deadLetters.summary().contains("expired 7"), deadLetters::summary);
        assertEquals(Severity.INFO, find(snapshot, "dropped").severity(), "3 dropped, 7 dead letters: accounted for");
        assertEquals(Severity.WARN, find(snapshot, "handler_failures").severity());
        assertTrue(find(snapshot, "target_breaches").summary().contains("latency_p99 4"));
        final List<Finding> findings = Diagnostics.analyze(snapshot);
        assertEquals(Severity.CRITICAL, findings.get(0).severity(), "most severe first");
        assertFalse(findings.stream().anyMatch(f -> Severity.OK != f.severity() && "none needed".equals(f.fix())));
    }

    @Test
    void shouldFlagDropsAsCriticalOnlyBeyondTheDeadLetters()
    {
        final HealthSnapshot unaccounted = snapshot(engine("sleeping", 1, 0, 2, 12, 0, Map.of()),
            latency(1024, 0, 0, 0), memory(1, 2, 1, 1), temporal(0, 0, 0, 0, 1.0, 7));
        final Finding dropped = find(unaccounted, "dropped");
        assertEquals(Severity.CRITICAL, dropped.severity(), dropped::summary);
        assertTrue(dropped.fix().contains("never journaled"), dropped::fix);
        final HealthSnapshot byPolicy = snapshot(engine("sleeping", 1, 0, 2, 7, 0, Map.of()),
            latency(1024, 0, 0, 0), memory(1, 2, 1, 1), temporal(0, 0, 0, 0, 1.0, 7));
        assertEquals(Severity.INFO, find(byPolicy, "dropped").severity());
        final HealthSnapshot retriesOnly = snapshot(engine("sleeping", 1, 0, 2, 7, 0, Map.of()),
            latency(1024, 0, 0, 0), memory(1, 2, 1, 1), new HealthSnapshot.Temporal(0, 4096, 0, 1.0, 0, 0,
                Map.of("retries_exhausted", 7L), 1.0, 0.99, 0, 0));
        assertEquals(Severity.CRITICAL, find(retriesOnly, "dropped").severity(), "a retry's dead letter is one " +
            "subscriber's: it accounts for no dropped message");
    }

    @Test
    void shouldFlagRetentionHeldBackByAnUnsettledMessageAndADiskFillingUp()
    {
        final HealthSnapshot snapshot = new HealthSnapshot(engine("sleeping", 1, 0, 2, 0, 0, Map.of()),
            latency(1024, 0, 0, 0), memory(1, 2, 1, 1), temporal(0, 0, 0, 0, 1.0, 0),
            new HealthSnapshot.Journal(300 * MIB, 128 * MIB, 600, true, 4_112, 4_111, false));
        final Finding retention = find(snapshot, "retention");
        assertEquals(Severity.WARN, retention.severity());
        assertTrue(retention.summary().contains("message 4112 is not settled"), retention::summary);
        final Finding disk = find(snapshot, "disk_space");
        assertEquals(Severity.WARN, disk.severity(), disk::summary);
        assertTrue(disk.fix().contains("journal.retention.max-age-ms"), disk::fix);
        final HealthSnapshot full = new HealthSnapshot(snapshot.engine(), snapshot.latency(), snapshot.memory(),
            snapshot.temporal(), new HealthSnapshot.Journal(100 * MIB, 128 * MIB, 0, false, 0, 4_111, false));
        assertEquals(Severity.CRITICAL, find(full, "disk_space").severity());
    }

    /** Settled cycles kept for a peer are not an unsettled message: the finding says what keeps them. */
    @Test
    void shouldTellRetentionHeldForAPeerFromRetentionBlockedByAnUnsettledMessage()
    {
        final HealthSnapshot snapshot = new HealthSnapshot(engine("sleeping", 1, 0, 2, 0, 0, Map.of()),
            latency(1024, 0, 0, 0), memory(1, 2, 1, 1), temporal(0, 0, 0, 0, 1.0, 0),
            new HealthSnapshot.Journal(10_000 * MIB, 128 * MIB, Double.POSITIVE_INFINITY, false, 0, 40_000, true));
        final Finding retention = find(snapshot, "retention");
        assertEquals(Severity.WARN, retention.severity());
        assertTrue(retention.summary().contains("all settled (settled watermark 40000)"), retention::summary);
        assertTrue(retention.summary().contains("a peer has not journaled them"), retention::summary);
        assertTrue(!retention.summary().contains("not settled"), retention::summary);
        assertTrue(retention.fix().contains("chronofabric nodes"), retention::fix);
    }

    @Test
    void shouldReportPeersDownLaggingOrWithTheirClockBeyondTheMaxOffset()
    {
        final HealthSnapshot snapshot = node(peer("2", "unreachable", 1_200, 0, 5e-5),
            peer("3", "quarantined", 1_000_000, 0, 5e-5), peer("4", "active", 0, 1.0, 5e-5),
            peer("5", "active", 200_000, 0, 5e-5), peer("6", "active", 10, 0, 5e-5));
        final Finding state = find(snapshot, "peer_state");
        assertEquals(Severity.CRITICAL, state.severity());
        assertEquals("peers", state.area());
        assertTrue(state.summary().startsWith("peer 2 unreachable, peer 3 quarantined"), state::summary);
        assertTrue(state.fix().contains("peer.max-lag"), state::fix);
        final Finding lag = find(snapshot, "peer_lag");
        assertEquals(Severity.WARN, lag.severity());
        assertTrue(lag.summary().contains("peer 2 lagging: 1200 message(s)") && lag.summary().contains("while " +
            "unreachable") && lag.summary().contains("peer 5 lagging: 200000") && !lag.summary().contains("peer 6"),
            lag::summary);
        final Finding offset = find(snapshot, "peer_clock_offset");
        assertEquals(Severity.WARN, offset.severity());
        assertTrue(offset.summary().startsWith("peer 4 clock offset +1000.00 ms") && offset.summary().contains(
            "hlc.max-offset-ms default"), offset::summary);
        assertTrue(offset.fix().contains("hlc.max-offset-ms"), offset::fix);
        assertEquals(Severity.CRITICAL, Diagnostics.analyze(snapshot).get(0).severity());
    }

    @Test
    void shouldNotCallTheLagOfAPeerNothingWasShippedToZeroBytes()
    {
        final String lag = find(node(new NodeHealth.Peer("2", "connecting", 864, 0, -1, -1, 0, -1, 0, 0, 0, 0, 0, 0)),
            "peer_lag").summary();
        assertTrue(lag.contains("lagging: 864 message(s) (bytes not estimated: nothing shipped yet)") &&
            !lag.contains("0 bytes"), lag);
    }

    @Test
    void shouldSayWhenAnOffsetBeyondTheMaxOffsetIsWithinItsOwnErrorBound()
    {
        final String uncertain = find(node(peer("2", "active", 0, 0.657, 1.124)), "peer_clock_offset").summary();
        assertTrue(uncertain.contains("+657.00 ms (± 1124.00 ms)") && uncertain.contains("within the measurement's " +
            "error bound"), uncertain);
        final String certain = find(node(peer("2", "active", 0, 1.0, 5e-5)), "peer_clock_offset").summary();
        assertTrue(!certain.contains("error bound"), certain);
    }

    @Test
    void shouldSayWhichSideRefusesWhenAPeerClockIsAheadOrBehindBeyondTheMaxOffset()
    {
        final String ahead = find(node(peer("2", "active", 0, 0.8, 5e-5)), "peer_clock_offset").summary();
        assertTrue(ahead.contains("peer 2 clock offset +800.00 ms") && ahead.contains("ahead: this node refuses its " +
            "messages"), ahead);
        final String behind = find(node(peer("3", "active", 0, -0.8, 5e-5)), "peer_clock_offset").summary();
        assertTrue(behind.contains("peer 3 clock offset -800.00 ms") && behind.contains("behind: it refuses this " +
            "node's messages") && !behind.contains("this node refuses"), behind);
    }

    @Test
    void shouldFindHealthyPeersOkAndNotJudgeAnOffsetBeforeTheFirstPing()
    {
        final HealthSnapshot snapshot = node(peer("2", "active", 3, 2e-5, 6e-5), peer("3", "active", 0, 9.0, -1));
        for (final String check : List.of("peer_state", "peer_lag", "peer_clock_offset"))
        {
            assertEquals(Severity.OK, find(snapshot, check).severity(), check);
        }
        assertEquals(Severity.INFO, find(node(peer("2", "connecting", 0, 0, -1)), "peer_state").severity());
    }

    @Test
    void shouldSayANodeIsStartingWhileItsPeersAreNotRegistered()
    {
        final HealthSnapshot starting = new HealthSnapshot(engine("sleeping", 1, 0, 2, 0, 0, Map.of()),
            latency(1024, 0, 0, 0), memory(1, 2, 1, 1), temporal(0, 0, 0, 0, 1.0, 0), JOURNAL_OK,
            NodeHealth.starting("2"));
        final Finding state = find(starting, "peer_state");
        assertEquals(Severity.INFO, state.severity());
        assertTrue(state.summary().contains("node 2 is starting"), state::summary);
    }

    /**
     * A stopped node's peer rows stand as they were when it stopped (all active, here): the scrape's
     * chronofabric_node_stopped says it stopped, and diagnose and nodes say so first; a refused peer is down.
     */
    @Test
    void shouldSayANodeStoppedAndThatARefusedPeerIsDown()
    {
        final NodeHealth scraped = ScrapedNode.of(MetricsText.parse(String.join("\n",
            "chronofabric_peer_state{peer=\"2\",state=\"active\"} 0",
            "chronofabric_peer_state{peer=\"2\",state=\"refused\"} 1",
            "chronofabric_peer_state{peer=\"3\",state=\"active\"} 1",
            "chronofabric_node_stopped 1",
            "chronofabric_aeron_naks_sent_total 0", "")));
        assertTrue(scraped.stopped());
        final HealthSnapshot snapshot = new HealthSnapshot(engine("sleeping", 1, 0, 2, 0, 0, Map.of()),
            latency(1024, 0, 0, 0), memory(1, 2, 1, 1), temporal(0, 0, 0, 0, 1.0, 0), JOURNAL_OK, scraped);
        final Finding stopped = find(snapshot, "node_stopped");
        assertEquals(Severity.CRITICAL, stopped.severity());
        assertTrue(stopped.summary().startsWith("node stopped") && stopped.fix().contains("--resume"),
            stopped::toString);
        final Finding state = find(snapshot, "peer_state");
        assertEquals(Severity.CRITICAL, state.severity());
        assertTrue(state.summary().startsWith("peer 2 refused") && state.fix().contains("refused:"), state::toString);
        final List<String> flags = PeerDiagnosis.flags(scraped, PeerLimits.defaults());
        assertEquals(NodeHealth.stoppedLine(), flags.get(0), flags::toString);
        assertTrue(flags.contains("peer 2: refused"), flags::toString);

        final NodeHealth running = ScrapedNode.of(MetricsText.parse(String.join("\n",
            "chronofabric_peer_state{peer=\"3\",state=\"active\"} 1", "chronofabric_node_stopped 0",
            "chronofabric_aeron_naks_sent_total 0", "")));
        assertTrue(!running.stopped());
        assertTrue(Diagnostics.analyze(new HealthSnapshot(engine("sleeping", 1, 0, 2, 0, 0, Map.of()),
            latency(1024, 0, 0, 0), memory(1, 2, 1, 1), temporal(0, 0, 0, 0, 1.0, 0), JOURNAL_OK, running)).stream()
            .noneMatch(finding -> "node_stopped".equals(finding.check())));
    }

    private static HealthSnapshot node(final NodeHealth.Peer... peers)
    {
        return new HealthSnapshot(engine("sleeping", 1, 0, 2, 0, 0, Map.of()), latency(1024, 0, 0, 0),
            memory(1, 2, 1, 1), temporal(0, 0, 0, 0, 1.0, 0), JOURNAL_OK,
            new NodeHealth(List.of(peers), new NodeHealth.Aeron(0, 0, 0, 0)));
    }

    private static NodeHealth.Peer peer(final String id, final String state, final long lag, final double offset,
        final double offsetError)
    {
        return new NodeHealth.Peer(id, state, lag, lag * 48, 1e-4, 3e-4, offset, offsetError, 10, 10, 0, 0, 0, 0);
    }

    private static int order(final String area)
    {
        return List.of("latency", "memory", "temporal", "delivery", "journal").indexOf(area);
    }

    private static Finding find(final HealthSnapshot snapshot, final String check)
    {
        return Diagnostics.analyze(snapshot).stream().filter(f -> check.equals(f.check())).findFirst()
            .orElseThrow(() -> new AssertionError("no finding " + check));
    }

    private static HealthSnapshot snapshot(final HealthSnapshot.Engine engine, final HealthSnapshot.Latency latency,
        final HealthSnapshot.Memory memory, final HealthSnapshot.Temporal temporal)
    {
        return new HealthSnapshot(engine, latency, memory, temporal, JOURNAL_OK);
    }

    private static HealthSnapshot.Engine engine(final String wait, final int threads, final int busy, final int cpus,
        final long dropped, final long failures, final Map<String, Long> breaches)
    {
        return new HealthSnapshot.Engine("test", wait, threads, busy, cpus, 1000, 1000 - dropped, dropped, failures,
            breaches);
    }

    private static HealthSnapshot.Latency latency(final long ring, final long used, final long backpressure,
        final double deliveryP99)
    {
        final Map<String, Double> stages = new LinkedHashMap<>();
        stages.put("journal", 10e-6);
        stages.put("sequencer", 2e-6);
        stages.put("router", 1e-7);
        stages.put("delivery", deliveryP99);
        return new HealthSnapshot.Latency(ring, used, backpressure, deliveryP99 + 12e-6, 2e-3, stages);
    }

    private static HealthSnapshot.Memory memory(final double heapUsed, final double heapMax, final double resident,
        final double atStart)
    {
        return new HealthSnapshot.Memory(heapUsed, heapMax, resident, atStart, 1024 * MIB);
    }

    private static HealthSnapshot.Temporal temporal(final long held, final double oldest, final long misses,
        final long causality, final double coherence, final long expired)
    {
        return new HealthSnapshot.Temporal(held, 4096, oldest, 1.0, misses, causality, Map.of("expired", expired),
            coherence, 0.99, causality, causality);
    }
}
