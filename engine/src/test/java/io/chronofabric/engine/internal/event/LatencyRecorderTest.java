package io.chronofabric.engine.internal.event;

import java.util.concurrent.atomic.AtomicBoolean;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyRecorderTest
{
    @Test
    void shouldKeepEveryValueWhileReadersTakeSnapshotsConcurrently() throws InterruptedException
    {
        final LatencyRecorder recorder = new LatencyRecorder();
        final int values = 2_000_000;
        final AtomicBoolean writing = new AtomicBoolean(true);
        final Thread writer = new Thread(() ->
        {
            for (int i = 1; i <= values; i++)
            {
                recorder.record(1 + (i & 1023));
            }
            writing.set(false);
        }, "latency-writer");
        writer.start();
        long snapshots = 0;
        long lastCount = 0;
        while (writing.get())
        {
            final long count = recorder.cumulative().getTotalCount();
            assertTrue(count >= lastCount, "a snapshot never loses values: " + count + " after " + lastCount);
            lastCount = count;
            snapshots++;
        }
        writer.join();
        final Histogram total = recorder.cumulative();
        assertEquals(values, total.getTotalCount(), "every value is in the total, after " + snapshots + " snapshots");
        long expectedSum = 0;
        for (int i = 1; i <= values; i++)
        {
            expectedSum += 1 + (i & 1023);
        }
        assertEquals((double)expectedSum / values, total.getMean(), 0.01, "values land in the right buckets");
        assertEquals(1024, total.getMaxValue());
    }

    @Test
    void shouldClampValuesToTheTrackableRange()
    {
        final LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(-5);
        recorder.record(0);
        recorder.record(Long.MAX_VALUE);
        final Histogram total = recorder.cumulative();
        assertEquals(3, total.getTotalCount());
        assertEquals(1, total.getMinValue());
        assertTrue(total.getMaxValue() >= LatencyRecorder.HIGHEST_TRACKABLE_NANOS, "max " + total.getMaxValue());
    }

    @Test
    void shouldAccumulateAcrossSnapshots()
    {
        final LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(100);
        assertEquals(1, recorder.cumulative().getTotalCount());
        recorder.record(200);
        recorder.record(300);
        final Histogram total = recorder.cumulative();
        assertEquals(3, total.getTotalCount());
        assertEquals(200, total.getMean(), 1);
        assertEquals(3, recorder.cumulative().getTotalCount(), "a snapshot with nothing new keeps the total");
    }
}
