package io.chronofabric.perf.jmh;


import io.chronofabric.engine.internal.event.LatencyRecorder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the delivery stage pays per latency it records: one {@link LatencyRecorder#stage}, flushed per batch (the
 * engine records an end-to-end value and one per stage for every message), or one {@link LatencyRecorder#record} (a
 * value recorded at once), for a latency that varies and for one that rises with each message as in a backlog; against HdrHistogram's {@link SingleWriterRecorder} (two
 * atomic read-modify-writes per value) and a plain single-threaded histogram (no hand-over to readers at all), for a
 * latency that varies as real ones do.
 */
@State(Scope.Thread)
public class LatencyRecordingBenchmark extends BenchmarkSettings
{
    private LatencyRecorder recorder;
    private SingleWriterRecorder singleWriterRecorder;
    private Histogram histogram;
    private long value;

    /** Creates the recorders. */
    @Setup
    public void setUp()
    {
        recorder = new LatencyRecorder();
        singleWriterRecorder = new SingleWriterRecorder(1, LatencyRecorder.HIGHEST_TRACKABLE_NANOS, 3);
        histogram = new Histogram(1, LatencyRecorder.HIGHEST_TRACKABLE_NANOS, 3);
    }

    /** Records through the engine's recorder. */
    @Benchmark
    public void engineRecorder()
    {
        recorder.record(200 + (++value & 1023));
    }

    /**
     * Records through the engine's recorder as the delivery stage does: staged per message, flushed per batch (of 64
     * here), a latency that varies.
     */
    @Benchmark
    public void engineRecorderStaged()
    {
        recorder.stage(200 + (++value & 1023));
        if (0 == (value & 63))
        {
            recorder.flush();
        }
    }

    /** As {@link #engineRecorder}, for a latency that rises with every message, as in a backlog: each one a new maximum. */
    @Benchmark
    public void engineRecorderRising()
    {
        recorder.record(++value);
    }

    /** As {@link #engineRecorderStaged}, for a latency that rises with every message. */
    @Benchmark
    public void engineRecorderStagedRising()
    {
        recorder.stage(++value);
        if (0 == (value & 63))
        {
            recorder.flush();
        }
    }

    /** Records through HdrHistogram's single-writer recorder. */
    @Benchmark
    public void singleWriterRecorder()
    {
        singleWriterRecorder.recordValue(200 + (++value & 1023));
    }

    /** Records into a plain histogram, no cross-thread hand-over. */
    @Benchmark
    public void plainHistogram()
    {
        histogram.recordValue(200 + (++value & 1023));
    }
}
