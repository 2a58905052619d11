package io.chronofabric.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.chronofabric.perf.model.BaselineRatio;
import io.chronofabric.perf.model.Check;
import io.chronofabric.perf.model.Mode;
import io.chronofabric.perf.model.ModeSummary;
import io.chronofabric.perf.model.PerfPlan;
import io.chronofabric.perf.spi.SystemKind;

/**
 * The engine's performance promises (issue 7's acceptance), checked against one run: throughput with journaling at
 * least 0.9x the raw Disruptor + raw Chronicle baseline, p50 latency under 1 microsecond at the latency mode's
 * offered rate (the promise is stated at 100k msg/s with the {@code dev} profile), and no allocation per message in
 * steady state. And the multi-node goals, when the two-node system ran: its one-way p50 within 1.5x raw Aeron's, its
 * throughput at least half raw Aeron's streaming throughput.
 */
public final class Checks
{
    /** The least throughput ratio to the raw Disruptor + raw Chronicle baseline. */
    public static final double MIN_THROUGHPUT_RATIO = 0.9;
    /** The p50 latency bound, nanoseconds. */
    public static final double MAX_P50_NANOS = 1_000;
    /** The least throughput ratio of the two-node system to raw Aeron streaming. */
    public static final double MIN_TWO_NODE_THROUGHPUT_RATIO = 0.5;
    /** The largest p50 ratio of the two-node system to raw Aeron, latency mode. */
    public static final double MAX_TWO_NODE_P50_RATIO = 1.5;

    private Checks()
    {
    }

    /**
     * @param plan         what was run.
     * @param summaries    the measurements.
     * @param ratios       ChronoFabric against each baseline.
     * @param pairedRatios each system against its paired baseline ({@link SystemKind#pairedBaseline()}).
     * @return the engine's checks when ChronoFabric was measured, then the two-node checks when the two-node system
     *     was; empty when neither was.
     */
    public static List<Check> of(final PerfPlan plan, final Map<SystemKind, Map<Mode, ModeSummary>> summaries,
        final Map<SystemKind, BaselineRatio> ratios, final Map<SystemKind, BaselineRatio> pairedRatios)
    {
        final List<Check> checks = new ArrayList<>();
        final Map<Mode, ModeSummary> chronoFabric = summaries.get(SystemKind.CHRONOFABRIC);
        if (null != chronoFabric)
        {
            checks.addAll(engine(plan, chronoFabric, ratios));
        }
        if (summaries.containsKey(SystemKind.CHRONOFABRIC_TWO_NODE))
        {
            checks.addAll(twoNode(plan, pairedRatios.get(SystemKind.CHRONOFABRIC_TWO_NODE)));
        }
        return checks;
    }

    /**
     * The multi-node goals: the two-node system against raw Aeron over the same loopback, in the same rounds.
     *
     * @param plan  what was run (the latency mode's offered rate).
     * @param ratio the two-node system against {@link SystemKind#RAW_AERON}, or null when raw Aeron was not measured
     *              (both checks are then n/a).
     * @return the throughput check, then the p50 check.
     */
    public static List<Check> twoNode(final PerfPlan plan, final BaselineRatio ratio)
    {
        final double throughput = null == ratio ? Double.NaN : ratio.throughput();
        final double p50 = null == ratio ? Double.NaN : ratio.latencyP50();
        final String pair = SystemKind.CHRONOFABRIC_TWO_NODE.label() + " vs " + SystemKind.RAW_AERON.label();
        return List.of(
            new Check("two_node_throughput_vs_raw_aeron",
                "ChronoFabric on two nodes over loopback UDP moves at least 0.5x raw Aeron's streaming throughput (" +
                    pair + ", median of per-round ratios)",
                throughput, MIN_TWO_NODE_THROUGHPUT_RATIO, "ratio",
                Double.isNaN(throughput) ? null : throughput >= MIN_TWO_NODE_THROUGHPUT_RATIO),
            new Check("two_node_p50_vs_raw_aeron",
                String.format("ChronoFabric's one-way p50 from one node to the other at %,.0f msg/s offered is within " +
                    "1.5x raw Aeron's (%s)", plan.latencyRate(), pair),
                p50, MAX_TWO_NODE_P50_RATIO, "ratio", Double.isNaN(p50) ? null : p50 <= MAX_TWO_NODE_P50_RATIO));
    }

    private static List<Check> engine(final PerfPlan plan, final Map<Mode, ModeSummary> chronoFabric,
        final Map<SystemKind, BaselineRatio> ratios)
    {
        final List<Check> checks = new ArrayList<>();
        final BaselineRatio journaled = ratios.get(SystemKind.DISRUPTOR_CHRONICLE);
        final double ratio = null == journaled ? Double.NaN : journaled.throughput();
        checks.add(new Check("throughput_vs_disruptor_chronicle",
            "ChronoFabric's throughput with journaling is at least 0.9x the raw Disruptor + raw Chronicle baseline " +
                "(median of per-round ratios)",
            ratio, MIN_THROUGHPUT_RATIO, "ratio", Double.isNaN(ratio) ? null : ratio >= MIN_THROUGHPUT_RATIO));
        final double p50 = chronoFabric.get(Mode.LATENCY).latency().p50();
        checks.add(new Check("p50_latency",
            String.format("ChronoFabric's p50 latency at %,.0f msg/s offered is under 1 us (promised at 100,000 msg/s, " +
                "dev profile)", plan.latencyRate()),
            p50, MAX_P50_NANOS, "ns", p50 < MAX_P50_NANOS));
        final double allocation = chronoFabric.get(Mode.LATENCY).allocationPerMessage();
        checks.add(new Check("allocation_per_message",
            "ChronoFabric allocates nothing per message in steady state (publisher and pipeline threads, latency mode, " +
                "worst round)",
            allocation, 0, "bytes/msg", allocation < 0 ? null : 0 == allocation));
        return checks;
    }
}
