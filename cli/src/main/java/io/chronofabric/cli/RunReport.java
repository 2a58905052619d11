package io.chronofabric.cli;

import io.chronofabric.engine.internal.Engine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.chronofabric.affinity.ThreadPinner;
import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.EngineStats;
import io.chronofabric.engine.api.LatencySummary;
import io.chronofabric.engine.api.TemporalStats;
import io.chronofabric.engine.internal.layout.LayoutPlan;
import io.chronofabric.engine.api.Stage;

import io.chronofabric.engine.internal.pipeline.StageGroup;
import io.chronofabric.journal.JournalQueues;

/**
 * The summary of a {@code run}: the same facts as a table for people and as one JSON object for scripts.
 */
final class RunReport
{
    private final Map<String, Object> summary = new LinkedHashMap<>();

    RunReport(final EngineStats stats, final double offeredRate, final long runNanos, final Path journalDir,
        final long journalBytes, final int rollFiles, final long journalRecords, final String previousJournal,
        final long subscriberChecksum, final Map<String, Object> threads, final EngineConfiguration context)
    {
        summary.put("profile", stats.profile());
        summary.put("offered_rate_msgs_per_sec", offeredRate > 0 ? offeredRate : "max");
        summary.put("published", stats.published());
        summary.put("delivered", stats.delivered());
        summary.put("dropped", stats.dropped());
        summary.put("rejected", stats.rejected());
        summary.put("backpressure_events", stats.backpressureEvents());
        summary.put("handler_failures", stats.handlerFailures());
        summary.put("hlc_order_violations", stats.orderViolations());
        final TemporalStats temporal = stats.temporal();
        summary.put("held", temporal.held());
        summary.put("held_now", (long)temporal.heldNow());
        summary.put("oldest_held_age_ns", temporal.oldestHeldAgeNanos());
        summary.put("deadline_misses", temporal.deadlineMisses());
        summary.put("deadline_lateness_ns", latency(temporal.lateness()));
        summary.put("expired", temporal.expired());
        summary.put("dead_letters", temporal.deadLettersTotal());
        final Map<String, Object> byReason = new LinkedHashMap<>();
        temporal.deadLetters().forEach((reason, count) -> byReason.put(reason.label(), count));
        summary.put("dead_letters_by_reason", byReason);
        summary.put("retries", temporal.retries());
        summary.put("causality_violations", temporal.causalityViolations());
        summary.put("temporal_coherence", temporal.coherence());
        summary.put("clock_offset_rejections", temporal.clockOffsetRejections());
        summary.put("clock_jumps_forward", temporal.clockJumpsForward());
        summary.put("clock_jumps_backward", temporal.clockJumpsBackward());
        summary.put("hlc_logical_carries", temporal.hlcLogicalCarries());
        summary.put("duration_sec", runNanos / 1e9);
        summary.put("throughput_msgs_per_sec", Math.round(stats.delivered() / (runNanos / 1e9)));
        summary.put("latency_ns", latency(stats.endToEnd()));
        final Map<String, Object> stages = new LinkedHashMap<>();
        stats.stages().forEach((stage, latency) -> stages.put(stage.label(), latency(latency)));
        // latency.stages.enabled=false records nothing per stage: an empty object, not zeros that read as measured
        summary.put("stage_latency_ns", context.stageLatencyEnabled() ? stages : Map.of());
        final Map<String, Object> journal = new LinkedHashMap<>();
        journal.put("path", journalDir.toAbsolutePath().toString());
        journal.put("messages", journalRecords);
        journal.put("size_bytes", journalBytes);
        journal.put("roll_files", rollFiles);
        journal.put("roll_cycle", JournalQueues.canonicalRollCycle(context.rollCycle()));
        if (null != previousJournal)
        {
            journal.put("previous_run_kept_at", previousJournal);
        }
        summary.put("journal", journal);
        summary.put("ring_size", context.ringSize());
        summary.put("wait_strategy", threads.get("wait_strategy"));
        summary.put("thread_layout", threads.get("thread_layout"));
        summary.put("threads", threads.get("threads"));
        summary.put("publisher_cpu", threads.get("publisher_cpu"));
        summary.put("layout_fallback", threads.get("layout_fallback"));
        summary.put("subscriber_checksum", Long.toHexString(subscriberChecksum));
    }

    /**
     * @param recovered messages journaled before this run but not settled, delivered again at start (counted
     *                  neither as published nor as delivered by this run).
     * @param unsettled journaled messages still not settled after close: 0 unless something was lost.
     */
    void settlement(final long recovered, final long unsettled)
    {
        summary.put("recovered", recovered);
        summary.put("unsettled", unsettled);
    }

    /**
     * @param engine    a started engine.
     * @param publisher the CPU the publishing thread was pinned to, or {@link ThreadPinner#NO_CPU}.
     * @return the placement facts: threads (name, stages, CPU asked for, CPU pinned to, wait strategy), layout,
     *     publisher CPU and the layout fallback (null when none).
     */
    static Map<String, Object> threads(final Engine engine, final int publisher)
    {
        final LayoutPlan plan = engine.layoutPlan();
        final List<Map<String, Object>> threads = new ArrayList<>();
        for (int i = 0; i < engine.threads().size(); i++)
        {
            final StageGroup group = engine.threads().get(i);
            final Map<String, Object> thread = new LinkedHashMap<>();
            thread.put("name", group.threadName());
            thread.put("stages", group.stages().stream().map(Stage::label).collect(Collectors.toList()));
            thread.put("cpu", cpu(group.pinnedCpu()));
            thread.put("requested_cpu", plan.threads().get(i).requested().toString());
            thread.put("isolated", plan.threads().get(i).isolated() && group.pinnedCpu() == group.plannedCpu());
            thread.put("wait_strategy", plan.waitStrategy().label());
            threads.add(thread);
        }
        final Map<String, Object> placement = new LinkedHashMap<>();
        placement.put("threads", threads);
        placement.put("thread_layout", plan.layout().toString());
        placement.put("wait_strategy", plan.waitStrategy().label());
        placement.put("publisher_cpu", cpu(publisher));
        placement.put("layout_fallback", fallback(plan));
        return placement;
    }

    /** @return null when the plan is what the settings asked for, else from, to, reasons and the warning text. */
    static Map<String, Object> fallback(final LayoutPlan plan)
    {
        if (!plan.fellBack())
        {
            return null;
        }
        final Map<String, Object> fallback = new LinkedHashMap<>();
        fallback.put("from", plan.requestedSummary());
        fallback.put("to", plan.effectiveSummary());
        fallback.put("reasons", plan.reasons());
        fallback.put("host", plan.host());
        fallback.put("warning", plan.warning());
        return fallback;
    }

    private static Integer cpu(final int cpu)
    {
        return ThreadPinner.NO_CPU == cpu ? null : cpu;
    }

    private static Map<String, Object> latency(final LatencySummary latency)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("p50", latency.p50());
        map.put("p90", latency.p90());
        map.put("p99", latency.p99());
        map.put("p999", latency.p999());
        map.put("p9999", latency.p9999());
        map.put("max", latency.max());
        map.put("mean", Math.round(latency.mean()));
        return map;
    }

    /** Adds a section to the summary (the observability options' additions), after the others. */
    /**
     * Adds a node's view of the deployment: its id, the messages its own workload published in this run (the summary's
     * {@code published} counts its peers' too), the cross-node dependencies its workload declared and, per peer,
     * what was received, dropped as duplicate, lagging, and the clock.
     */
    void node(final int nodeId, final long ownPublished, final long crossNodeDependencies,
        final List<io.chronofabric.node.PeerStatus> peers, final Map<String, Long> lossRepair)
    {
        summary.put("node", nodeId);
        summary.put("own_published", ownPublished);
        summary.put("cross_node_dependencies", crossNodeDependencies);
        final List<Map<String, Object>> rows = new ArrayList<>();
        for (final io.chronofabric.node.PeerStatus peer : peers)
        {
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("peer", peer.peer());
            row.put("endpoint", peer.endpoint().toString());
            row.put("state", peer.state().label());
            row.put("received", peer.received());
            row.put("journaled_from_peer", peer.journaledFromPeer());
            row.put("high_water_mark", peer.highWaterMark());
            row.put("duplicates_dropped", peer.duplicatesDropped());
            row.put("clock_rejections", peer.clockRejections());
            row.put("resends_requested", peer.resendsRequested());
            row.put("resends_served", peer.resendsServed());
            row.put("shipped", peer.shipped());
            row.put("lag_messages", peer.lagMessages());
            row.put("lag_bytes", peer.lagBytes());
            row.put("rtt_p50_ns", peer.rttP50Nanos());
            row.put("rtt_p99_ns", peer.rttP99Nanos());
            row.put("clock_offset_ns", peer.clockOffsetNanos());
            row.put("clock_offset_error_ns", peer.offsetErrorNanos());
            rows.add(row);
        }
        summary.put("peers", rows);
        summary.put("aeron", lossRepair);
    }

    void put(final String key, final Object value)
    {
        summary.put(key, value);
    }

    String toJson()
    {
        try
        {
            return Mapper.JSON.writeValueAsString(summary);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot render the run summary as JSON", ex);
        }
    }

    @SuppressWarnings("unchecked")
    String toTable()
    {
        final StringBuilder table = new StringBuilder("ChronoFabric run summary\n");
        row(table, "profile", summary.get("profile"));
        row(table, "offered rate (msg/s)", summary.get("offered_rate_msgs_per_sec"));
        for (final String key : List.of("published", "delivered", "recovered", "unsettled", "dropped", "rejected",
            "backpressure_events",
            "handler_failures", "hlc_order_violations", "held", "deadline_misses", "expired", "dead_letters", "retries",
            "causality_violations", "clock_offset_rejections"))
        {
            row(table, key.replace('_', ' '), String.format("%,d", (Long)summary.get(key)));
        }
        row(table, "temporal coherence", String.format("%.4f", (Double)summary.get("temporal_coherence")));
        row(table, "throughput (msg/s)", String.format("%,d", (Long)summary.get("throughput_msgs_per_sec")));
        table.append(String.format("%-26s %10s %10s %10s %10s %10s%n", "latency (us)", "p50", "p99", "p99.9",
            "p99.99", "max"));
        latencyRow(table, "publish -> deliver", (Map<String, Object>)summary.get("latency_ns"));
        ((Map<String, Object>)summary.get("stage_latency_ns")).forEach(
            (stage, latency) -> latencyRow(table, "  stage " + stage, (Map<String, Object>)latency));
        final Map<String, Object> journal = (Map<String, Object>)summary.get("journal");
        row(table, "journal", journal.get("path"));
        row(table, "journal messages", String.format("%,d", (Long)journal.get("messages")));
        row(table, "journal size", String.format("%,.1f MiB in %d roll file(s)",
            (Long)journal.get("size_bytes") / 1048576.0, (Integer)journal.get("roll_files")));
        if (journal.containsKey("previous_run_kept_at"))
        {
            row(table, "previous journal kept at", journal.get("previous_run_kept_at"));
        }
        row(table, "thread layout", summary.get("thread_layout") + " (" + summary.get("wait_strategy") + ")");
        for (final Map<String, Object> thread : (List<Map<String, Object>>)summary.get("threads"))
        {
            row(table, "thread " + thread.get("name"), "stages " + String.join("+", (List<String>)thread.get("stages")) +
                ", cpu " + (null == thread.get("cpu") ? "none" : thread.get("cpu")) + " (asked " +
                thread.get("requested_cpu") + (Boolean.TRUE.equals(thread.get("isolated")) ? ", isolated" : "") +
                "), " + thread.get("wait_strategy"));
        }
        row(table, "publisher thread", "cpu " + (null == summary.get("publisher_cpu") ? "none" :
            summary.get("publisher_cpu")));
        final Map<String, Object> fallback = (Map<String, Object>)summary.get("layout_fallback");
        if (null != fallback)
        {
            row(table, "layout fallback", "from [" + fallback.get("from") + "]");
            row(table, "", "to   [" + fallback.get("to") + "]");
            for (final String reason : (List<String>)fallback.get("reasons"))
            {
                row(table, "", "because " + reason);
            }
        }
        return table.toString();
    }

    private static void row(final StringBuilder table, final String name, final Object value)
    {
        table.append(String.format("%-26s %s%n", name, value));
    }

    private static void latencyRow(final StringBuilder table, final String name, final Map<String, Object> ns)
    {
        table.append(String.format("%-26s %10.2f %10.2f %10.2f %10.2f %10.2f%n", name, micros(ns.get("p50")),
            micros(ns.get("p99")), micros(ns.get("p999")), micros(ns.get("p9999")), micros(ns.get("max"))));
    }

    private static double micros(final Object nanos)
    {
        return ((Number)nanos).longValue() / 1000.0;
    }

    /**
     * Jackson's mapper, created when the summary is rendered as JSON rather than when a run starts: the ~250 classes
     * it loads (about 2 MB of class metadata) are not resident while the engine runs.
     */
    private static final class Mapper
    {
        static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        private Mapper()
        {
        }
    }
}
