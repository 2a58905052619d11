package io.chronofabric.perf.report;

import java.util.Locale;
import java.util.Map;

import io.chronofabric.perf.model.BaselineRatio;
import io.chronofabric.perf.model.LatencyStats;
import io.chronofabric.perf.model.Mode;
import io.chronofabric.perf.model.ModeSummary;
import io.chronofabric.perf.model.PerfReport;
import io.chronofabric.perf.model.RateSweep;
import io.chronofabric.perf.model.ThreadStat;
import io.chronofabric.perf.spi.SystemKind;

/**
 * The report as CSV: {@code results.csv} has one row per system and mode (the table's columns, latencies in ns,
 * plus resources); {@code sweep.csv} one row per sweep step.
 */
public final class CsvWriter
{
    private CsvWriter()
    {
    }

    /** @param report the run. @return results.csv's text. */
    public static String results(final PerfReport report)
    {
        final StringBuilder out = new StringBuilder("system,mode,rounds,messages_per_trial,offered_rate," +
            "throughput_msgs_per_sec,p50_ns,p90_ns,p99_ns,p99_9_ns,p99_99_ns,max_ns,mean_ns," +
            "cf_throughput_ratio,cf_p50_ratio,cf_p99_ratio,alloc_bytes_per_msg,rss_idle_kb,rss_peak_kb,cpu_utilisation\n");
        for (final Map<Mode, ModeSummary> modes : report.summaries().values())
        {
            for (final ModeSummary summary : modes.values())
            {
                final LatencyStats latency = summary.latency();
                final BaselineRatio ratio = report.ratios().get(summary.kind());
                // as in the table: the throughput ratio on the throughput row, the latency ratios on the latency row
                final boolean throughputRow = Mode.THROUGHPUT == summary.mode();
                final StringBuilder cpu = new StringBuilder();
                for (final ThreadStat thread : summary.threads())
                {
                    cpu.append(0 == cpu.length() ? "" : ";").append(thread.name()).append('=')
                        .append(String.format(Locale.ROOT, "%.3f", thread.utilisation()));
                }
                out.append(String.join(",", summary.kind().label(), summary.mode().label(),
                    Integer.toString(summary.trials().size()), Long.toString(summary.messagesPerTrial()),
                    number(summary.offeredRate()), number(summary.throughput()), Long.toString(latency.p50()),
                    Long.toString(latency.p90()), Long.toString(latency.p99()), Long.toString(latency.p999()),
                    Long.toString(latency.p9999()), Long.toString(latency.max()), number(latency.mean()),
                    null == ratio || !throughputRow ? "" : number(ratio.throughput()),
                    null == ratio || throughputRow ? "" : number(ratio.latencyP50()),
                    null == ratio || throughputRow ? "" : number(ratio.latencyP99()),
                    number(summary.allocationPerMessage()),
                    Long.toString(summary.rssIdle().totalKb()), Long.toString(summary.rssPeak().totalKb()),
                    '"' + cpu.toString() + '"')).append('\n');
            }
        }
        return out.toString();
    }

    /** @param report the run. @return sweep.csv's text (a header only without a sweep). */
    public static String sweep(final PerfReport report)
    {
        final StringBuilder out = new StringBuilder("system,offered_rate,p99_ns,within_bound,p99_bound_ns\n");
        for (final Map.Entry<SystemKind, RateSweep.Result> entry : report.sweep().entrySet())
        {
            for (final RateSweep.StepResult step : entry.getValue().steps())
            {
                out.append(String.join(",", entry.getKey().label(), number(step.rate()), Long.toString(step.p99()),
                    Boolean.toString(step.within()), Long.toString(report.plan().sweep().p99BoundNanos()))).append('\n');
            }
        }
        return out.toString();
    }

    private static String number(final double value)
    {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.3f", value);
    }
}
