package io.chronofabric.cli.journal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import io.chronofabric.journal.TraceEntry;
import io.chronofabric.perf.report.OutputFiles;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Writes the trace as an HdrHistogram interval log ({@code .hlog}), one interval per second of publish time:
 * end-to-end latency untagged (what {@code HistogramLogProcessor} reads by default), each stage tagged with its
 * name ({@code HistogramLogProcessor -tag journal}). Values in nanoseconds. The publish clock is the monotonic clock
 * of the process that wrote the trace; where it jumps back (an engine restarted on the journal) a new interval
 * starts right after the previous one.
 */
final class IntervalLog implements AutoCloseable
{
    private static final long INTERVAL_NANOS = 1_000_000_000L;
    private static final double NANOS_PER_MILLI = 1e6;

    private final PrintStream out;
    private final HistogramLogWriter writer;
    private final Map<TraceStage, Histogram> interval = new EnumMap<>(TraceStage.class);
    private long windowStart;
    private long windowSecond;
    private boolean started;
    private boolean dirty;

    /**
     * @param file             the .hlog file to write.
     * @param startEpochMillis wall time of the first message, written as the log's start time.
     * @throws io.chronofabric.perf.report.OutputNotWrittenException when the file cannot be created.
     */
    IntervalLog(final Path file, final long startEpochMillis)
    {
        this.out = OutputFiles.printStream(file);
        this.writer = new HistogramLogWriter(out);
        writer.outputComment("ChronoFabric journal latency trace: end-to-end untagged, stages tagged; values in ns");
        writer.outputLogFormatVersion();
        writer.outputStartTime(startEpochMillis);
        writer.setBaseTime(startEpochMillis);
        writer.outputLegend();
        for (final TraceStage stage : TraceStage.values())
        {
            interval.put(stage, new Histogram(3));
        }
    }

    /**
     * @param entry     a trace entry, in trace order.
     * @param latencies its latency per stage, clamped at 0.
     */
    void record(final TraceEntry entry, final Map<TraceStage, Long> latencies)
    {
        final long published = entry.published();
        if (!started)
        {
            started = true;
            windowStart = published;
        }
        else if (published < windowStart)
        {
            flush();
            windowSecond++;
            windowStart = published;
        }
        else if (published - windowStart >= INTERVAL_NANOS)
        {
            flush();
            final long seconds = (published - windowStart) / INTERVAL_NANOS;
            windowSecond += seconds;
            windowStart += seconds * INTERVAL_NANOS;
        }
        latencies.forEach((stage, nanos) -> interval.get(stage).recordValue(nanos));
        dirty = true;
    }

    private void flush()
    {
        if (!dirty)
        {
            return;
        }
        for (final Map.Entry<TraceStage, Histogram> stage : interval.entrySet())
        {
            final Histogram histogram = stage.getValue();
            // tagged here, on every interval: Histogram.reset() clears the tag
            histogram.setTag(tag(stage.getKey()));
            writer.outputIntervalHistogram(windowSecond, windowSecond + 1, histogram, NANOS_PER_MILLI);
            histogram.reset();
        }
        dirty = false;
    }

    /** @return the stage's tag in the log: null (untagged) for end-to-end, what the log processor reads by default. */
    private static String tag(final TraceStage stage)
    {
        return TraceStage.END_TO_END == stage ? null : stage.label();
    }

    /** @throws io.chronofabric.perf.report.OutputNotWrittenException when a write failed (a full disk). */
    @Override
    public void close()
    {
        flush();
        OutputFiles.close(out);
    }
}
