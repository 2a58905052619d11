package io.chronofabric.perf;

import java.util.concurrent.atomic.AtomicLong;

import io.chronofabric.perf.spi.LatencyProbe;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacerTest
{
    private static final long MILLI = 1_000_000;

    @Test
    void shouldMeasureFromTheIntendedSendTimeWhenTheSystemStalls()
    {
        // 1000 msg/s: message i is due at i ms; the system stalls 10 ms on message 0, so messages 1..10 go out late
        final AtomicLong clock = new AtomicLong(5 * MILLI);
        final Pacer pacer = new Pacer(1_000, clock::get);
        final LatencyProbe probe = new LatencyProbe();
        final long start = pacer.start();
        for (long i = 0; i <= 10; i++)
        {
            final long intended = pacer.awaitSend(i);
            assertEquals(start + i * MILLI, intended, "message " + i + " is stamped with its due time");
            if (0 == i)
            {
                clock.addAndGet(10 * MILLI);
            }
            probe.delivered(intended, clock.get());
        }
        final Histogram latencies = probe.interval(null);
        assertEquals(11, latencies.getTotalCount());
        // measured from the send time, every message after the stall would look instant; from the due time,
        // message 1 waited 9 ms, message 2 8 ms ... message 10 0 ms
        assertEquals(10 * MILLI, latencies.getMaxValue(), 50_000);
        assertEquals(5 * MILLI, latencies.getValueAtPercentile(50), 50_000);
        assertEquals(11, probe.deliveredCount());
    }

    @Test
    void shouldWaitUntilAMessageIsDue()
    {
        final AtomicLong clock = new AtomicLong();
        final Pacer pacer = new Pacer(1_000_000, () -> clock.addAndGet(100));
        final long start = pacer.start();
        final long intended = pacer.awaitSend(5);
        assertEquals(start + 5_000, intended);
        assertTrue(clock.get() >= intended, "returned at " + clock.get() + ", before the due time " + intended);
        assertTrue(clock.get() < intended + 200, "waited past the due time: " + clock.get());
    }

    @Test
    void shouldStampTheSendTimeWhenUnpaced()
    {
        final AtomicLong clock = new AtomicLong(1_000);
        final Pacer pacer = new Pacer(0, () -> clock.addAndGet(7));
        pacer.start();
        assertEquals(1_014, pacer.awaitSend(0));
        assertEquals(1_021, pacer.awaitSend(1_000_000));
    }

    @Test
    void shouldRejectANegativeRate()
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new Pacer(-1, System::nanoTime));
        assertTrue(error.getMessage().contains("-1"), error.getMessage());
    }
}
