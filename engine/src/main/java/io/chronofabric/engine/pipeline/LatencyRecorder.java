package io.chronofabric.engine.pipeline;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Nanosecond latencies recorded by one pipeline thread without allocation or locks (HdrHistogram
 * {@link SingleWriterRecorder}), read as a cumulative histogram by any thread.
 */
public final class LatencyRecorder
{
    /** Largest latency tracked exactly; longer ones are recorded at this value. */
    public static final long HIGHEST_TRACKABLE_NANOS = 60_000_000_000L;

    private final SingleWriterRecorder recorder = new SingleWriterRecorder(1, HIGHEST_TRACKABLE_NANOS, 3);
    private final Histogram total = new Histogram(1, HIGHEST_TRACKABLE_NANOS, 3);
    private Histogram interval;

    /**
     * @param nanos a latency in nanoseconds; values below 1 ns (clock noise) are recorded as 1 ns.
     */
    public void record(final long nanos)
    {
        recorder.recordValue(Math.max(1, Math.min(nanos, HIGHEST_TRACKABLE_NANOS)));
    }

    /**
     * @return a copy of everything recorded so far.
     */
    public synchronized Histogram cumulative()
    {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return total.copy();
    }
}
