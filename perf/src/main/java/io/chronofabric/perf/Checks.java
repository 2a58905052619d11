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
 * steady state.
 */
public final class Checks
{
    /** The least throughput ratio to the raw Disruptor + raw Chronicle baseline. */
    public static final double MIN_THROUGHPUT_RATIO = 0.9;
    /** The p50 latency bound, nanoseconds. */
    public static final double MAX_P50_NANOS = 1_000;

    private Checks()
    {
    }

    /**
     * @param plan      what was run.
     * @param summaries the measurements.
     * @param ratios    ChronoFabric against each baseline.
     * @return the checks; empty when ChronoFabric was not measured.
     */
    public static List<Check> of(final PerfPlan plan, final Map<SystemKind, Map<Mode, ModeSummary>> summaries,
        final Map<SystemKind, BaselineRatio> ratios)
    {
        final List<Check> checks = new ArrayList<>();
        final Map<Mode, ModeSummary> chronoFabric = summaries.get(SystemKind.CHRONOFABRIC);
        if (null == chronoFabric)
        {
            return checks;
        }
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
