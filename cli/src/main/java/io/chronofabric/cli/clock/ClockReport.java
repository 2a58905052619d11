package io.chronofabric.cli.clock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What {@code chronofabric clock} found, as a table or as one JSON-ready map with the same facts. Local times are
 * in nanoseconds; what an engine serves in seconds is shown in nanoseconds too.
 *
 * @param source   the kernel's clock source.
 * @param costs    each clock's read cost and granularity.
 * @param drift    wall against monotonic.
 * @param url      the engine endpoint read, or null when none was asked.
 * @param peers    what it serves, or null when none was asked.
 * @param verdict  the measurements against the goal.
 */
public record ClockReport(ClockSource source, List<ReadCost> costs, DriftMeasurement drift, String url,
    PeerClocks peers, ClockVerdict verdict)
{
    private static final double NANOS_PER_SECOND = 1e9;

    /** @return the report as maps, lists, strings and numbers, for JSON. */
    public Map<String, Object> toMap()
    {
        final Map<String, Object> report = new LinkedHashMap<>();
        final Map<String, Object> clockSource = new LinkedHashMap<>();
        clockSource.put("current", source.current());
        clockSource.put("available", source.available());
        report.put("clock_source", clockSource);
        final List<Map<String, Object>> clocks = new ArrayList<>();
        for (final ReadCost cost : costs)
        {
            final Map<String, Object> clock = new LinkedHashMap<>();
            clock.put("clock", cost.clock());
            clock.put("read_cost_p50_ns", round(cost.p50Nanos()));
            clock.put("read_cost_p99_ns", round(cost.p99Nanos()));
            clock.put("granularity_ns", cost.granularityNanos());
            clock.put("batches", cost.batches());
            clock.put("reads_per_batch", cost.readsPerBatch());
            clocks.add(clock);
        }
        report.put("clocks", clocks);
        report.put("drift", driftMap());
        if (null != url)
        {
            report.put("endpoint", endpointMap());
        }
        final Map<String, Object> judged = new LinkedHashMap<>();
        judged.put("goal_ns", verdict.goalNanos());
        judged.put("achievable", verdict.achievable());
        judged.put("reasons", verdict.reasons());
        judged.put("line", verdict.line());
        report.put("verdict", judged);
        return report;
    }

    /** @return the report as a table. */
    public String toText()
    {
        final StringBuilder text = new StringBuilder();
        text.append(String.format("clock source: %s (available: %s)%n%n", source.current(),
            source.available().isEmpty() ? ClockSource.UNKNOWN : String.join(" ", source.available())));
        text.append(String.format("%-17s %12s %12s %13s%n", "clock", "read p50", "read p99", "granularity"));
        for (final ReadCost cost : costs)
        {
            text.append(String.format("%-17s %9.1f ns %9.1f ns %10d ns%n", cost.clock(), cost.p50Nanos(),
                cost.p99Nanos(), cost.granularityNanos()));
        }
        final ReadCost first = costs.get(0);
        text.append(String.format("(a read's cost: %,d batches of %d reads, each timed as a whole; granularity: the " +
            "smallest step between consecutive reads)%n%n", first.batches(), first.readsPerBatch()));
        text.append(String.format("wall against monotonic over %d ms:%n", drift.intervalMillis()));
        for (final WallDrift wall : drift.drifts())
        {
            text.append(String.format("%-17s moved %,8d ns (%+.3f ppm) ± %d ns%n", wall.clock(), wall.driftNanos(),
                wall.ppm(), wall.uncertaintyNanos()));
        }
        text.append(String.format("%s - %s now: %,d ns ± %d ns%n", DriftMeasurement.ENGINE_WALL,
            DriftMeasurement.REALTIME, drift.engineMinusRealtimeNanos(), drift.engineMinusRealtimeUncertaintyNanos()));
        if (null != url)
        {
            text.append(System.lineSeparator()).append(peersText());
        }
        text.append(String.format("%nverdict: %s%n", verdict.line()));
        return text.toString();
    }

    private Map<String, Object> driftMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("interval_ms", drift.intervalMillis());
        final List<Map<String, Object>> walls = new ArrayList<>();
        for (final WallDrift wall : drift.drifts())
        {
            final Map<String, Object> one = new LinkedHashMap<>();
            one.put("clock", wall.clock());
            one.put("elapsed_ns", wall.elapsedNanos());
            one.put("drift_ns", wall.driftNanos());
            one.put("drift_ppm", wall.ppm());
            one.put("uncertainty_ns", wall.uncertaintyNanos());
            walls.add(one);
        }
        map.put("clocks", walls);
        map.put("engine_wall_minus_realtime_ns", drift.engineMinusRealtimeNanos());
        map.put("engine_wall_minus_realtime_uncertainty_ns", drift.engineMinusRealtimeUncertaintyNanos());
        return map;
    }

    private Map<String, Object> endpointMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("url", url);
        final List<Map<String, Object>> list = new ArrayList<>();
        for (final PeerClocks.Peer peer : peers.peers())
        {
            final Map<String, Object> one = new LinkedHashMap<>();
            one.put("peer", peer.peer());
            one.put("offset_ns", nanos(peer.offsetSeconds()));
            one.put("rtt_p50_ns", nanos(peer.rttP50Seconds()));
            one.put("rtt_p99_ns", nanos(peer.rttP99Seconds()));
            list.add(one);
        }
        map.put("peers", list);
        map.put("hlc_drift_ns", nanos(peers.hlcDriftSeconds()));
        return map;
    }

    private String peersText()
    {
        final StringBuilder text = new StringBuilder(String.format("engine at %s:%n", url));
        if (peers.peers().isEmpty())
        {
            text.append("no peers").append(System.lineSeparator());
        }
        else
        {
            text.append(String.format("%-8s %16s %16s %16s%n", "peer", "clock offset", "rtt p50", "rtt p99"));
            for (final PeerClocks.Peer peer : peers.peers())
            {
                text.append(String.format("%-8s %16s %16s %16s%n", peer.peer(), shown(peer.offsetSeconds()),
                    shown(peer.rttP50Seconds()), shown(peer.rttP99Seconds())));
            }
        }
        text.append(String.format("HLC lead over the wall clock (%s): %s%n", PeerClocks.HLC_DRIFT,
            shown(peers.hlcDriftSeconds())));
        return text.toString();
    }

    private static Object nanos(final OptionalDouble seconds)
    {
        return seconds.isPresent() ? round(seconds.getAsDouble() * NANOS_PER_SECOND) : null;
    }

    private static String shown(final OptionalDouble seconds)
    {
        return seconds.isPresent() ? String.format("%,.0f ns", seconds.getAsDouble() * NANOS_PER_SECOND) :
            "not served";
    }

    private static double round(final double value)
    {
        return Math.round(value * 10) / 10.0;
    }
}
