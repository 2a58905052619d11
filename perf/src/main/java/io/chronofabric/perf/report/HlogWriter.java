package io.chronofabric.perf.report;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

import io.chronofabric.perf.model.IntervalSample;
import io.chronofabric.perf.model.ModeSummary;
import io.chronofabric.perf.model.TrialResult;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Writes one system's interval histograms of one mode, every round, as an HdrHistogram log ({@code .hlog}, read by
 * HistogramLogProcessor and HdrHistogram's plotting tools). Values are nanoseconds.
 * <p>
 * Every interval is written once, untagged, in time order: the rounds are one series (the same quantity measured
 * again later), so HistogramLogProcessor without {@code -tag} reads them all, merged like the report's table. A
 * comment before each round names its time range as HistogramLogProcessor's options ({@code #round 2: -start 1.1975
 * -end 1.7225}, seconds from the log's start time) to look at that round alone. Tags are left for different
 * quantities in one log, which this file never holds.
 */
public final class HlogWriter
{
    private static final double MILLIS_PER_SECOND = 1000.0;
    /** Rounds are hundreds of milliseconds apart (a trial settles 100 ms before it sends); intervals are in ms. */
    private static final double MARGIN_MILLIS = 0.5;

    private HlogWriter()
    {
    }

    /**
     * @param summary the system and mode.
     * @param file    the log file to write.
     */
    public static void write(final ModeSummary summary, final Path file)
    {
        final PrintStream out = OutputFiles.printStream(file);
        try
        {
            final HistogramLogWriter writer = new HistogramLogWriter(out);
            final long start = summary.trials().get(0).intervals().get(0).startMillis();
            writer.outputComment("ChronoFabric perf: " + summary.kind().label() + " (" + summary.kind().description() +
                "), mode " + summary.mode().label() + ", latency in ns from the intended send time; every round " +
                "untagged, each round's time range in a '#round' comment");
            writer.outputLogFormatVersion();
            writer.setBaseTime(start);
            writer.outputBaseTime(start);
            writer.outputStartTime(start);
            writer.outputLegend();
            for (final TrialResult trial : summary.trials())
            {
                final IntervalSample first = trial.intervals().stream().filter(s -> 0 != s.count()).findFirst()
                    .orElse(null);
                if (null == first)
                {
                    continue;
                }
                final IntervalSample last = trial.intervals().stream().filter(s -> 0 != s.count())
                    .reduce((a, b) -> b).orElseThrow();
                // half a millisecond wider on each side: the processor compares base + offset - start in doubles,
                // which at today's epoch seconds can land just outside a bound written at the interval's own time
                final double from = Math.max(0, first.startMillis() - start - MARGIN_MILLIS) / MILLIS_PER_SECOND;
                final double to = (last.endMillis() - start + MARGIN_MILLIS) / MILLIS_PER_SECOND;
                writer.outputComment(String.format(Locale.ROOT, "round %d: -start %.4f -end %.4f", trial.round() + 1,
                    from, to));
                for (final IntervalSample sample : trial.intervals())
                {
                    if (0 != sample.count())
                    {
                        writer.outputIntervalHistogram(sample.histogram());
                    }
                }
            }
        }
        finally
        {
            OutputFiles.close(out);
        }
    }
}
