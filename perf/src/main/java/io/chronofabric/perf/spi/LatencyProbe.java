package io.chronofabric.perf.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Where a system under test reports each delivered message: records the latency from the message's intended send
 * time into an HdrHistogram recorder and counts it. Called by one thread only (the system's last stage), without
 * allocation or locks; read by the harness from any thread.
 */
public final class LatencyProbe
{
    /** Longest latency tracked exactly; longer ones are recorded at this value (and would show as the max). */
    public static final long HIGHEST_TRACKABLE_NANOS = 60_000_000_000L;
    /** Significant digits kept by every histogram of the harness. */
    public static final int SIGNIFICANT_DIGITS = 3;
    /** Longest {@link #awaitDelivered} waits: 60 s. */
    public static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long DRAIN_PARK_NANOS = 100_000;

    private static final VarHandle DELIVERED;

    static
    {
        try
        {
            DELIVERED = MethodHandles.lookup().findVarHandle(LatencyProbe.class, "delivered", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final SingleWriterRecorder recorder = new SingleWriterRecorder(1, HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
    private final SingleWriterRecorder startup = new SingleWriterRecorder(1, HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
    private final SingleWriterRecorder steady = new SingleWriterRecorder(1, HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
    /** Messages meant to be sent before it are start-up, the others steady state; MIN_VALUE: no split. */
    private volatile long startupEndNanos = Long.MIN_VALUE;
    @SuppressWarnings("unused")
    private long delivered;
    private volatile long lastDeliveryNanos;

    /**
     * Records one delivery, now.
     *
     * @param intendedNanos the {@link System#nanoTime()} at which the message was meant to be sent.
     */
    public void delivered(final long intendedNanos)
    {
        delivered(intendedNanos, System.nanoTime());
    }

    /**
     * Records one delivery at a given time (tests and pacing checks use this form).
     *
     * @param intendedNanos the time the message was meant to be sent.
     * @param nowNanos      the time it was delivered.
     */
    public void delivered(final long intendedNanos, final long nowNanos)
    {
        final long latency = Math.max(1, Math.min(nowNanos - intendedNanos, HIGHEST_TRACKABLE_NANOS));
        recorder.recordValue(latency);
        final long startupEnd = startupEndNanos;
        if (Long.MIN_VALUE != startupEnd)
        {
            (intendedNanos < startupEnd ? startup : steady).recordValue(latency);
        }
        lastDeliveryNanos = nowNanos;
        DELIVERED.setRelease(this, (long)DELIVERED.getOpaque(this) + 1);
    }

    /**
     * Splits the latencies from now on into start-up and steady state by intended send time; called by the sender
     * before its first send (the system's hand-off publishes it to the recording thread).
     *
     * @param endNanos messages meant to be sent before this {@link System#nanoTime()} are start-up.
     */
    public void splitStartupAt(final long endNanos)
    {
        startupEndNanos = endNanos;
    }

    /** @return the start-up latencies recorded since {@link #splitStartupAt}; read once the deliveries are done. */
    public Histogram startup()
    {
        return startup.getIntervalHistogram();
    }

    /** @return the steady-state latencies recorded since {@link #splitStartupAt}; read once the deliveries are done. */
    public Histogram steady()
    {
        return steady.getIntervalHistogram();
    }

    /** @return messages delivered so far; a delivery seen here has its latency in the recorder. */
    public long deliveredCount()
    {
        return (long)DELIVERED.getAcquire(this);
    }

    /**
     * Waits, parking 100 us at a time, until {@code count} messages were delivered or {@link #DRAIN_TIMEOUT_NANOS}
     * passed: what a system's close waits for before it stops its threads.
     *
     * @param count the messages sent.
     * @return true once they were all delivered; false when the wait ran out first.
     */
    public boolean awaitDelivered(final long count)
    {
        final long deadline = System.nanoTime() + DRAIN_TIMEOUT_NANOS;
        while (deliveredCount() < count)
        {
            if (System.nanoTime() - deadline >= 0)
            {
                return false;
            }
            LockSupport.parkNanos(DRAIN_PARK_NANOS);
        }
        return true;
    }

    /**
     * @param system the system's label, for the message.
     * @param count  the messages sent.
     * @throws IllegalStateException when fewer than {@code count} were delivered (after {@link #awaitDelivered}).
     */
    public void requireDelivered(final String system, final long count)
    {
        if (deliveredCount() < count)
        {
            throw new IllegalStateException(system + " delivered " + deliveredCount() + " of " + count +
                " messages within " + TimeUnit.NANOSECONDS.toSeconds(DRAIN_TIMEOUT_NANOS) + " s");
        }
    }

    /** @return the {@link System#nanoTime()} of the latest delivery, 0 before any. */
    public long lastDeliveryNanos()
    {
        return lastDeliveryNanos;
    }

    /**
     * Swaps out the latencies recorded since the previous call (HdrHistogram's interval pattern).
     *
     * @param recycle a histogram returned by an earlier call that the caller no longer needs, or null.
     * @return the interval histogram, with its start and end time stamps set.
     */
    public Histogram interval(final Histogram recycle)
    {
        return recorder.getIntervalHistogram(recycle);
    }

    /** @return a new empty histogram with the harness's range and precision. */
    public static Histogram newHistogram()
    {
        return new Histogram(1, HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
    }
}
