package io.chronofabric.perf;

import java.util.function.LongSupplier;

/**
 * The send schedule of a paced load: message {@code i} is meant to be sent at {@code start + i / rate}. The
 * generator waits for that time and stamps the message with it, not with the time it actually got sent, so a stall
 * in the system (or in the generator) shows in the latency of every message that should have gone out during it:
 * no coordinated omission. An unpaced schedule (rate 0) stamps each message with the time it is sent.
 */
public final class Pacer
{
    private final LongSupplier clock;
    private final double periodNanos;
    private long start;

    /**
     * @param ratePerSecond offered messages per second; 0 for as fast as possible.
     * @param clock         the monotonic clock, {@code System::nanoTime} outside tests.
     */
    public Pacer(final double ratePerSecond, final LongSupplier clock)
    {
        if (ratePerSecond < 0 || Double.isNaN(ratePerSecond) || Double.isInfinite(ratePerSecond))
        {
            throw new IllegalArgumentException("rate " + ratePerSecond + " msg/s must be a finite number >= 0");
        }
        this.clock = clock;
        this.periodNanos = 0 == ratePerSecond ? 0 : 1e9 / ratePerSecond;
    }

    /** @param ratePerSecond offered messages per second; 0 for as fast as possible. @return a pacer on the system clock. */
    public static Pacer systemClock(final double ratePerSecond)
    {
        return new Pacer(ratePerSecond, System::nanoTime);
    }

    /** Starts the schedule now: message 0 is due at once. @return the start time. */
    public long start()
    {
        start = clock.getAsLong();
        return start;
    }

    /**
     * Waits (spinning: the periods are microseconds) until message {@code i} is due; returns at once when it is
     * already late.
     *
     * @param i the message's index from 0.
     * @return its intended send time, the time its latency is measured from.
     */
    public long awaitSend(final long i)
    {
        if (0 == periodNanos)
        {
            return clock.getAsLong();
        }
        final long intended = intendedTime(i);
        while (clock.getAsLong() < intended)
        {
            Thread.onSpinWait();
        }
        return intended;
    }

    /** @param i the message's index from 0. @return when it is meant to be sent (unpaced: the start). */
    public long intendedTime(final long i)
    {
        return start + (long)(i * periodNanos);
    }
}
