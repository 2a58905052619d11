package io.chronofabric.perf.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.chronofabric.perf.spi.SystemKind;

/**
 * Everything one perf run measured, ready to be written out.
 *
 * @param startedAt     when the run started.
 * @param seconds       how long it took.
 * @param machine       the machine, at the start.
 * @param loadAtEnd     the load averages at the end.
 * @param plan          what was run.
 * @param rssAtStart    resident memory before any system started.
 * @param summaries     per system, per mode.
 * @param ratios        ChronoFabric against each baseline.
 * @param pairedRatios  each system that has a {@link SystemKind#pairedBaseline()} against it, by system, when both
 *                      were measured ({@code chronofabric-lean} against the raw Disruptor + raw Chronicle baseline).
 * @param sweep         the rate sweep per system; empty without one.
 * @param checks        the engine's performance promises, checked.
 */
public record PerfReport(Instant startedAt, double seconds, MachineInfo machine, String loadAtEnd, PerfPlan plan,
    Rss rssAtStart, Map<SystemKind, Map<Mode, ModeSummary>> summaries, Map<SystemKind, BaselineRatio> ratios,
    Map<SystemKind, BaselineRatio> pairedRatios, Map<SystemKind, RateSweep.Result> sweep, List<Check> checks)
{
    /**
     * @return {@code chronofabric-lean} against the raw Disruptor + raw Chronicle baseline; null when either was not
     *     measured.
     */
    public BaselineRatio leanRatio()
    {
        return pairedRatios.get(SystemKind.CHRONOFABRIC_LEAN);
    }

    /** @return warnings about the conditions of the run (an overloaded machine), possibly none. */
    public List<String> warnings()
    {
        final List<String> warnings = new java.util.ArrayList<>();
        final String atStart = MachineInfo.overloadWarning(machine.loadAverage(), machine.cpus());
        final String atEnd = MachineInfo.overloadWarning(loadAtEnd, machine.cpus());
        if (null != atStart || null != atEnd)
        {
            warnings.add(null != atStart ? atStart : atEnd);
        }
        return warnings;
    }

    /** @param kind a system. @param mode a mode. @return its summary, or null when it was not measured. */
    public ModeSummary summary(final SystemKind kind, final Mode mode)
    {
        final Map<Mode, ModeSummary> modes = summaries.get(kind);
        return null == modes ? null : modes.get(mode);
    }
}
