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
    void stagedLatenciesReachReadersAtTheFlushWithTheirExtremes()
    {
        final LatencyRecorder recorder = new LatencyRecorder();
        recorder.stage(300);
        recorder.stage(9_000);
        recorder.stage(100);
        recorder.stage(9_000);
        assertEquals(0, recorder.cumulative().getTotalCount(), "staged, not yet flushed");
        recorder.flush();
        recorder.flush();
        final Histogram total = recorder.cumulative();
        assertEquals(4, total.getTotalCount(), "each staged value once, the largest too");
        assertEquals(2, total.getCountAtValue(9_000));
        assertTrue(total.valuesAreEquivalent(9_000, total.getMaxValue()), "max " + total.getMaxValue());
        assertTrue(total.valuesAreEquivalent(100, total.getMinValue()), "min " + total.getMinValue());
    }

    @Test
    void aFullStageFlushesItself()
    {
        final LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 0; i < LatencyRecorder.STAGED; i++)
        {
            recorder.stage(1_000 - i);
        }
        assertEquals(LatencyRecorder.STAGED, recorder.cumulative().getTotalCount());
        recorder.stage(5);
        assertEquals(LatencyRecorder.STAGED, recorder.cumulative().getTotalCount(), "the next one waits again");
        recorder.flush();
        assertEquals(LatencyRecorder.STAGED + 1, recorder.cumulative().getTotalCount());
    }

    @Test
    void shouldKeepEveryStagedValueWhileReadersTakeSnapshotsConcurrently() throws InterruptedException
    {
        final LatencyRecorder recorder = new LatencyRecorder();
        final int values = 2_000_000;
        final AtomicBoolean writing = new AtomicBoolean(true);
        final Thread writer = new Thread(() ->
        {
            for (int i = 1; i <= values; i++)
            {
                recorder.stage(i); // rising, as in a backlog: each value a new maximum
                if (0 == i % 37)
                {
                    recorder.flush();
                }
            }
            recorder.flush();
            writing.set(false);
        }, "latency-writer");
        writer.start();
        long lastCount = 0;
        while (writing.get())
        {
            final long count = recorder.cumulative().getTotalCount();
            assertTrue(count >= lastCount, "a snapshot never loses values: " + count + " after " + lastCount);
            lastCount = count;
        }
        writer.join();
        final Histogram total = recorder.cumulative();
        assertEquals(values, total.getTotalCount());
        assertTrue(total.valuesAreEquivalent(values, total.getMaxValue()), "max " + total.getMaxValue());
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
