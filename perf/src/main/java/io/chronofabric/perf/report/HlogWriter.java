package io.chronofabric.perf.report;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import io.chronofabric.perf.IntervalSample;
import io.chronofabric.perf.ModeSummary;
import io.chronofabric.perf.TrialResult;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Writes one system's interval histograms of one mode, every round, as an HdrHistogram log ({@code .hlog}, read by
 * HistogramLogProcessor and HdrHistogram's plotting tools). Each interval is tagged with its round; values are
 * nanoseconds.
 */
public final class HlogWriter
{
    private HlogWriter()
    {
    }

    /**
     * @param summary the system and mode.
     * @param file    the log file to write.
     */
    public static void write(final ModeSummary summary, final Path file)
    {
        try (PrintStream out = new PrintStream(file.toFile(), "US-ASCII"))
        {
            final HistogramLogWriter writer = new HistogramLogWriter(out);
            final long start = summary.trials().get(0).intervals().get(0).startMillis();
            writer.outputComment("ChronoFabric perf: " + summary.kind().label() + " (" + summary.kind().description() +
                "), mode " + summary.mode().label() + ", latency in ns from the intended send time, tag = round");
            writer.outputLogFormatVersion();
            writer.setBaseTime(start);
            writer.outputBaseTime(start);
            writer.outputStartTime(start);
            writer.outputLegend();
            for (final TrialResult trial : summary.trials())
            {
                for (final IntervalSample sample : trial.intervals())
                {
                    if (0 == sample.count())
                    {
                        continue;
                    }
                    final Histogram interval = sample.histogram();
                    interval.setTag("round" + (trial.round() + 1));
                    writer.outputIntervalHistogram(interval);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
    }
}
