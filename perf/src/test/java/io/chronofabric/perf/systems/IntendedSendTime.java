package io.chronofabric.perf.systems;

import java.util.concurrent.TimeUnit;

import io.chronofabric.perf.spi.SystemUnderTest;
import org.HdrHistogram.Histogram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every system promises the harness: latency is measured from the intended send time carried in the payload. */
final class IntendedSendTime
{
    private IntendedSendTime()
    {
    }

    /**
     * Sends 100 messages meant to go 20 ms ago, closes the system, and checks that each latency is at least 20 ms: a
     * system that timed from the actual send would record far less.
     *
     * @param system a started system; closed here.
     */
    static void assertMeasuredFromTheIntendedSendTime(final SystemUnderTest system)
    {
        final long lateByNanos = TimeUnit.MILLISECONDS.toNanos(20);
        for (int i = 0; i < 100; i++)
        {
            system.send(System.nanoTime() - lateByNanos);
        }
        system.close();
        final Histogram latencies = system.probe().interval(null);
        assertEquals(100, latencies.getTotalCount());
        assertTrue(latencies.getMinValue() >= lateByNanos * 0.999, "min " + latencies.getMinValue() + " ns");
    }
}
