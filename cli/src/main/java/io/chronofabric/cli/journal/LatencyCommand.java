package io.chronofabric.cli.journal;

import io.chronofabric.cli.common.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.chronofabric.cli.common.Inputs;
import io.chronofabric.journal.TraceEntry;
import io.chronofabric.perf.report.OutputNotWrittenException;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronofabric journal latency DIR}: per-stage and end-to-end latency percentiles from the persisted trace.
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
    description = {"Per-stage (journal, sequencer, router, delivery) and end-to-end (publish -> delivered) latency "
        + "percentiles p50, p90, p99, p99.9, p99.99 and max from the journal's latency trace: a table in "
        + "microseconds, or JSON in nanoseconds. Latency is measured from each message's intended send time. "
        + "Messages redelivered by recovery are left out (their publish time is from before the restart).",
        "Exit codes: 0 success, 1 corrupt trace documents (the valid entries are still analysed), 2 bad arguments "
            + "or no trace, 3 an --hlog or --png file that could not be written (the report says which were)."})
public final class LatencyCommand extends JournalSubcommand
{
    @Parameters(index = "0", paramLabel = "DIR", description = "The journal folder (its trace is DIR/trace).")
    private Path dir;

    @Option(names = "--hlog", paramLabel = "FILE", description = "Also write an HdrHistogram interval log, one "
        + "interval per second of publish time (end-to-end untagged, stages tagged), readable by "
        + "HistogramLogProcessor.")
    private Path hlog;

    @Option(names = "--png", paramLabel = "FILE", description = "Also draw the percentile distribution as a PNG.")
    private Path png;

    @Option(names = "--json", description = "Print one JSON object (latencies in nanoseconds).")
    private boolean json;

    @Override
    protected Integer run() throws IOException
    {
        JournalFolder.require(spec(), dir);
        if (null != hlog)
        {
            Inputs.outputFile(spec(), "--hlog", hlog);
        }
        if (null != png)
        {
            Inputs.outputFile(spec(), "--png", png);
        }
        Inputs.tracedJournal(spec(), dir);
        final Map<TraceStage, Histogram> histograms = new EnumMap<>(TraceStage.class);
        for (final TraceStage stage : TraceStage.values())
        {
            histograms.put(stage, new Histogram(3));
        }
        final Problems problems = new Problems();
        final Map<TraceStage, Long> latencies = new EnumMap<>(TraceStage.class);
        long redelivered = 0;
        long negative = 0;
        long entries = 0;
        OutputNotWrittenException notWritten = null;
        // the trace has about one entry per journaled message; the journal's index counts them cheaply
        final long expected = QueueFacts.counted(dir).messages();
        try (TraceScan trace = new TraceScan(dir, problems);
             IntervalLog log = null == hlog ? null : new IntervalLog(hlog, firstWallMillis());
             ScanProgress progress = ScanProgress.start(spec().commandLine().getErr(), "latency", expected))
        {
            for (TraceEntry entry = trace.next(); null != entry; entry = trace.next())
            {
                progress.step();
                if (entry.redelivered())
                {
                    redelivered++;
                    continue;
                }
                for (final TraceStage stage : TraceStage.values())
                {
                    final long nanos = stage.nanos(entry);
                    if (nanos < 0)
                    {
                        negative++;
                    }
                    // below 1 ns is clock noise, recorded as 1 ns as the engine's own recorders do: the same
                    // percentiles here as in run's summary and the metrics
                    final long recorded = Math.max(1, nanos);
                    latencies.put(stage, recorded);
                    histograms.get(stage).recordValue(recorded);
                }
                if (null != log)
                {
                    log.record(entry, latencies);
                }
            }
            entries = trace.entries();
        }
        catch (final OutputNotWrittenException ex)
        {
            if (0 == entries)
            {
                throw ex; // the interval log could not even be made: nothing was read
            }
            notWritten = ex; // the interval log: the percentiles and the trace's problems are still reported
        }
        OutputNotWrittenException plotNotWritten = null;
        if (null != png)
        {
            try
            {
                PercentilePlot.write(histograms, png, "ChronoFabric latency, " + dir.toAbsolutePath());
            }
            catch (final OutputNotWrittenException ex)
            {
                plotNotWritten = ex;
            }
        }
        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("journal", dir.toAbsolutePath().toString());
        report.put("trace_entries", entries);
        report.put("redelivered_excluded", redelivered);
        report.put("negative_latencies_clamped", negative);
        final Map<String, Object> stages = new LinkedHashMap<>();
        histograms.forEach((stage, histogram) -> stages.put(stage.label(), percentiles(histogram)));
        report.put("latency_ns", stages);
        // a file that could not be written is not reported as written
        report.put("hlog", null == hlog || null != notWritten ? null : hlog.toAbsolutePath().toString());
        report.put("png", null == png || null != plotNotWritten ? null : png.toAbsolutePath().toString());
        if (!problems.isEmpty())
        {
            report.put("problems", problems.json());
        }
        final PrintWriter out = spec().commandLine().getOut();
        out.println(json ? Json.pretty(report) : table(report, histograms));
        out.flush();
        final PrintWriter err = spec().commandLine().getErr();
        problems.print(err, "chronofabric: ");
        err.flush();
        final int exit = problems.isEmpty() ? 0 : ExitCodes.FAILURE; // a corrupt trace is what the exit code tells
        if (null != notWritten && null != plotNotWritten)
        {
            err.println("chronofabric: " + notWritten.getMessage()); // both named; the plot's line ends the output
        }
        final OutputNotWrittenException last = null != plotNotWritten ? plotNotWritten : notWritten;
        return null == last ? exit : last.after(exit, err);
    }

    private long firstWallMillis()
    {
        try (RecordScan scan = new RecordScan(dir))
        {
            return RecordScan.Step.RECORD == scan.next() ? scan.record().hlcWall() / 1_000_000L
                : System.currentTimeMillis();
        }
    }

    private static Map<String, Object> percentiles(final Histogram histogram)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("count", histogram.getTotalCount());
        map.put("p50", histogram.getValueAtPercentile(50));
        map.put("p90", histogram.getValueAtPercentile(90));
        map.put("p99", histogram.getValueAtPercentile(99));
        map.put("p999", histogram.getValueAtPercentile(99.9));
        map.put("p9999", histogram.getValueAtPercentile(99.99));
        map.put("max", histogram.getMaxValue());
        map.put("mean", Math.round(histogram.getMean()));
        return map;
    }

    private String table(final Map<String, Object> report, final Map<TraceStage, Histogram> histograms)
    {
        final StringBuilder table = new StringBuilder(String.format("latency from the trace of %s: %,d entries " +
            "(%,d redelivered left out)%n", report.get("journal"), (Long)report.get("trace_entries"),
            (Long)report.get("redelivered_excluded")));
        table.append(String.format("%-12s %10s %10s %10s %10s %10s %10s %10s%n", "stage (us)", "count", "p50", "p90",
            "p99", "p99.9", "p99.99", "max"));
        histograms.forEach((stage, histogram) -> table.append(String.format(
            "%-12s %10d %10.2f %10.2f %10.2f %10.2f %10.2f %10.2f%n", stage.label(), histogram.getTotalCount(),
            micros(histogram.getValueAtPercentile(50)), micros(histogram.getValueAtPercentile(90)),
            micros(histogram.getValueAtPercentile(99)), micros(histogram.getValueAtPercentile(99.9)),
            micros(histogram.getValueAtPercentile(99.99)), micros(histogram.getMaxValue()))));
        if (0 != (Long)report.get("negative_latencies_clamped"))
        {
            table.append(String.format("%,d negative stage latencies were clamped to 0%n",
                (Long)report.get("negative_latencies_clamped")));
        }
        if (null != report.get("hlog"))
        {
            table.append("interval log: ").append(report.get("hlog")).append('\n');
        }
        if (null != report.get("png"))
        {
            table.append("percentile plot: ").append(report.get("png")).append('\n');
        }
        return table.toString().stripTrailing();
    }

    private static double micros(final long nanos)
    {
        return nanos / 1000.0;
    }
}
