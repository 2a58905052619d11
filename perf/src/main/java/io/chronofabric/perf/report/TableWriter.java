package io.chronofabric.perf.report;

import io.chronofabric.engine.internal.Engine;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.chronofabric.perf.model.BaselineRatio;
import io.chronofabric.perf.model.Check;
import io.chronofabric.perf.model.LatencyStats;
import io.chronofabric.perf.model.Mode;
import io.chronofabric.perf.model.ModeSummary;
import io.chronofabric.perf.model.PerfPlan;
import io.chronofabric.perf.model.PerfReport;
import io.chronofabric.perf.model.RateSweep;
import io.chronofabric.perf.model.ThreadStat;
import io.chronofabric.perf.spi.SystemKind;

/**
 * The report as text tables: results per system and mode with ChronoFabric's ratio to each baseline, the rate
 * sweep, resources, and the checks, headed by the machine and the settings.
 */
public final class TableWriter
{
    private TableWriter()
    {
    }

    /** @param report the run. @return the tables, as printed by {@code chronofabric perf} and saved as report.txt. */
    public static String write(final PerfReport report)
    {
        final StringBuilder out = new StringBuilder();
        final PerfPlan plan = report.plan();
        out.append(String.format(Locale.ROOT, "ChronoFabric perf %s, %s, %.0f s%n", plan.quick() ? "--quick" : "(full)",
            report.startedAt(), report.seconds()));
        out.append(String.format(Locale.ROOT, "machine: %d CPUs, %s, %.1f GiB, %s, %s; load average %s at start, %s at end%n",
            report.machine().cpus(), report.machine().cpuModel(), report.machine().memoryKb() / 1048576.0,
            report.machine().jdk(), report.machine().os(), report.machine().loadAverage(), report.loadAtEnd()));
        out.append(String.format(Locale.ROOT, "profile %s%s, payload %d B (journal record %d B), %d rounds " +
                "interleaved, throughput %,d msgs/trial, latency %s msg/s for %s s/trial%n",
            plan.spec().profile(), plan.spec().overrides().isEmpty() ? "" : " " + plan.spec().overrides(),
            plan.spec().payloadBytes(), plan.spec().documentBytes(), plan.rounds(), plan.throughputMessages(),
            Format.rate(plan.latencyRate()),
            BigDecimal.valueOf(plan.latencySeconds()).stripTrailingZeros().toPlainString()));
        out.append(String.format(Locale.ROOT, "engine and baselines: %s%n", JsonWriter.engineLine(plan)));
        for (final String warning : report.warnings())
        {
            out.append("WARNING: ").append(warning).append('\n');
        }
        out.append('\n');
        results(report, out);
        phases(report, out);
        ratios(report, out);
        sweep(report, out);
        resources(report, out);
        checks(report, out);
        return out.toString();
    }

    private static void results(final PerfReport report, final StringBuilder out)
    {
        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"system", "mode", "msgs", "offered/s", "throughput/s", "p50 us", "p90 us", "p99 us",
            "p99.9 us", "p99.99 us", "max us", "CF thr ratio", "CF p50 ratio", "CF p99 ratio"});
        for (final Map.Entry<SystemKind, Map<Mode, ModeSummary>> system : report.summaries().entrySet())
        {
            for (final ModeSummary summary : system.getValue().values())
            {
                final LatencyStats latency = summary.latency();
                final BaselineRatio ratio = report.ratios().get(summary.kind());
                rows.add(new String[] {summary.kind().label(), summary.mode().label(),
                    String.format(Locale.ROOT, "%,d", latency.count()), Format.rate(summary.offeredRate()),
                    Format.rate(summary.throughput()), Format.micros(latency.p50()), Format.micros(latency.p90()),
                    Format.micros(latency.p99()), Format.micros(latency.p999()), Format.micros(latency.p9999()),
                    Format.micros(latency.max()),
                    null == ratio || Mode.THROUGHPUT != summary.mode() ? "" : Format.ratio(ratio.throughput()),
                    null == ratio || Mode.LATENCY != summary.mode() ? "" : Format.ratio(ratio.latencyP50()),
                    null == ratio || Mode.LATENCY != summary.mode() ? "" : Format.ratio(ratio.latencyP99())});
            }
        }
        out.append("Results (throughput: median of rounds; latency from each message's intended send time, all rounds merged;\n" +
            "CF ratio: ChronoFabric's value over this baseline's, throughput above 1 and latency below 1 favour ChronoFabric)\n");
        grid(rows, out);
    }

    /** The latency mode split in two: the first second of each trial (a fresh system and journal) and the rest. */
    private static void phases(final PerfReport report, final StringBuilder out)
    {
        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"system", "phase", "msgs", "p50 us", "p90 us", "p99 us", "p99.9 us", "max us"});
        for (final Map.Entry<SystemKind, Map<Mode, ModeSummary>> system : report.summaries().entrySet())
        {
            final ModeSummary latency = system.getValue().get(Mode.LATENCY);
            if (null == latency || null == latency.startup())
            {
                continue;
            }
            phaseRow(rows, system.getKey(), "start-up", latency.startup());
            phaseRow(rows, system.getKey(), "steady", latency.steady());
        }
        if (rows.size() > 1)
        {
            out.append(String.format(Locale.ROOT, "%nLatency mode by phase (start-up: messages meant to be sent in " +
                "the first %.0f s after the system started on a fresh journal; steady: the rest of the trial; all " +
                "rounds merged)%n", PerfPlan.STARTUP_NANOS / 1e9));
            grid(rows, out);
        }
    }

    private static void phaseRow(final List<String[]> rows, final SystemKind kind, final String phase,
        final LatencyStats latency)
    {
        rows.add(new String[] {kind.label(), phase, String.format(Locale.ROOT, "%,d", latency.count()),
            0 == latency.count() ? "-" : Format.micros(latency.p50()),
            0 == latency.count() ? "-" : Format.micros(latency.p90()),
            0 == latency.count() ? "-" : Format.micros(latency.p99()),
            0 == latency.count() ? "-" : Format.micros(latency.p999()),
            0 == latency.count() ? "-" : Format.micros(latency.max())});
    }

    private static void ratios(final PerfReport report, final StringBuilder out)
    {
        if (report.ratios().isEmpty() && report.pairedRatios().isEmpty())
        {
            return;
        }
        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ChronoFabric vs", "throughput", "p50 latency", "p99 latency", "sustainable rate"});
        for (final BaselineRatio ratio : report.ratios().values())
        {
            rows.add(new String[] {ratio.baseline().label(), Format.ratio(ratio.throughput()),
                Format.ratio(ratio.latencyP50()), Format.ratio(ratio.latencyP99()), Format.ratio(ratio.sustainableRate())});
        }
        report.pairedRatios().forEach((system, paired) -> rows.add(new String[] {
            system.label() + " vs " + paired.baseline().label(), Format.ratio(paired.throughput()),
            Format.ratio(paired.latencyP50()), Format.ratio(paired.latencyP99()), Format.ratio(paired.sustainableRate())}));
        out.append("\nChronoFabric's ratio to each baseline (and, as 'X vs Y', each system's to its paired baseline: " +
            SystemKind.CHRONOFABRIC_LEAN.label() + ", stage latencies and trace off, to the journaled baseline)\n");
        grid(rows, out, 0);
    }

    private static void sweep(final PerfReport report, final StringBuilder out)
    {
        if (report.sweep().isEmpty())
        {
            return;
        }
        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"system", "highest sustainable/s", "first beyond/s", "steps (rate: p99 us)"});
        for (final RateSweep.Result result : report.sweep().values())
        {
            final StringBuilder steps = new StringBuilder();
            for (final RateSweep.StepResult step : result.steps())
            {
                steps.append(0 == steps.length() ? "" : ", ").append(Format.rate(step.rate())).append(": ")
                    .append(Format.micros(step.p99())).append(step.within() ? "" : "!");
            }
            rows.add(new String[] {result.kind().label(),
                0 == result.highestSustainable() ? "< " + Format.rate(result.steps().get(0).rate()) :
                    Format.rate(result.highestSustainable()),
                0 == result.lowestFailing() ? "none up to " + Format.rate(result.cap()) : Format.rate(result.lowestFailing()),
                steps.toString()});
        }
        out.append(String.format(Locale.ROOT, "%nRate sweep: highest offered rate with p99 <= %s us ('!' marks a step beyond)%n",
            Format.micros(report.plan().sweep().p99BoundNanos())));
        grid(rows, out, 0, 3);
    }

    private static void resources(final PerfReport report, final StringBuilder out)
    {
        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"system", "RSS idle MB", "RSS peak MB (anon/file)", "alloc B/msg thr", "alloc B/msg lat",
            "CPU per thread (throughput mode)"});
        for (final Map.Entry<SystemKind, Map<Mode, ModeSummary>> system : report.summaries().entrySet())
        {
            final ModeSummary throughput = system.getValue().get(Mode.THROUGHPUT);
            final ModeSummary latency = system.getValue().get(Mode.LATENCY);
            final StringBuilder cpu = new StringBuilder();
            for (final ThreadStat thread : throughput.threads())
            {
                cpu.append(0 == cpu.length() ? "" : ", ").append(thread.name()).append(' ')
                    .append(Format.percent(thread.utilisation()));
            }
            rows.add(new String[] {system.getKey().label(), Format.megabytes(throughput.rssIdle().totalKb()),
                Format.megabytes(throughput.rssPeak().totalKb()) + " (" + Format.megabytes(throughput.rssPeak().anonKb()) +
                    "/" + Format.megabytes(throughput.rssPeak().fileKb()) + ")",
                Format.bytes(throughput.allocationPerMessage()), Format.bytes(latency.allocationPerMessage()),
                cpu.toString()});
        }
        out.append(String.format(Locale.ROOT, "%nResources (process RSS %s MB before any system started; one JVM runs " +
            "every system, so RSS is the process's; allocation: publisher + system threads, steady state, worst round)%n",
            Format.megabytes(report.rssAtStart().totalKb())));
        grid(rows, out, 0, 5);
    }

    private static void checks(final PerfReport report, final StringBuilder out)
    {
        if (report.checks().isEmpty())
        {
            return;
        }
        out.append("\nChecks\n");
        for (final Check check : report.checks())
        {
            out.append(String.format(Locale.ROOT, "  [%s] %s: %s %s (bound %s)%n",
                null == check.met() ? "n/a " : check.met() ? "PASS" : "FAIL", check.description(),
                String.format(Locale.ROOT, "%.3f", check.value()), check.unit(),
                String.format(Locale.ROOT, "%.3f", check.threshold())));
        }
    }

    private static void grid(final List<String[]> rows, final StringBuilder out)
    {
        grid(rows, out, 0, 1);
    }

    /** Columns of text are left-aligned, numbers right-aligned. */
    private static void grid(final List<String[]> rows, final StringBuilder out, final int... textColumns)
    {
        final int[] widths = new int[rows.get(0).length];
        for (final String[] row : rows)
        {
            for (int i = 0; i < row.length; i++)
            {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (final String[] row : rows)
        {
            final StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++)
            {
                boolean text = row == rows.get(0);
                for (final int column : textColumns)
                {
                    text |= column == i;
                }
                line.append(0 == i ? "" : "  ").append(String.format("%" + (text ? "-" : "") + widths[i] + "s", row[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
