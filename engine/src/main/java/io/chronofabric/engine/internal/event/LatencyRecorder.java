package io.chronofabric.engine.internal.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.HdrHistogram.Histogram;

/**
 * Nanosecond latencies recorded by one pipeline thread without allocation or locks, read as a cumulative histogram
 * by any thread. The hand-over is HdrHistogram's writer-reader phaser (as in its {@code SingleWriterRecorder}), cut to
 * what a single writer needs: one atomic increment to enter a recording and an ordered store to leave it, instead of
 * two atomic increments. The delivery stage records five values per message, so this halves the atomics on the hot
 * path. A reader swaps in an empty histogram, flips the phase and waits for the writer to leave the old one (at most
 * one value's recording) before adding it to the total.
 */
public final class LatencyRecorder
{
    /** Largest latency tracked exactly; longer ones are recorded at this value. */
    public static final long HIGHEST_TRACKABLE_NANOS = 60_000_000_000L;
    private static final int SIGNIFICANT_DIGITS = 3;
    private static final VarHandle START_EPOCH;
    private static final VarHandle EVEN_END_EPOCH;
    private static final VarHandle ODD_END_EPOCH;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            START_EPOCH = lookup.findVarHandle(LatencyRecorder.class, "startEpoch", long.class);
            EVEN_END_EPOCH = lookup.findVarHandle(LatencyRecorder.class, "evenEndEpoch", long.class);
            ODD_END_EPOCH = lookup.findVarHandle(LatencyRecorder.class, "oddEndEpoch", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** Most latencies {@link #stage} holds before it flushes them itself. */
    static final int STAGED = 256;

    private final long[] staged = new long[STAGED];
    private int stagedCount;
    private int stagedMaxAt;
    private final Histogram total = newHistogram();
    private volatile Histogram active = newHistogram();
    private Histogram spare = newHistogram();
    @SuppressWarnings("unused")
    private volatile long startEpoch;
    @SuppressWarnings("unused")
    private volatile long evenEndEpoch;
    @SuppressWarnings("unused")
    private volatile long oddEndEpoch = Long.MIN_VALUE;

    /**
     * Records one latency at once; only the owning pipeline thread may call it.
     *
     * @param nanos a latency in nanoseconds; values below 1 ns (clock noise) are recorded as 1 ns.
     */
    public void record(final long nanos)
    {
        stage(nanos);
        flush();
    }

    /**
     * Stages one latency, for the next {@link #flush()}: readers see it only then. For a writer that records per
     * message and can flush per batch; only the owning pipeline thread may call it. Up to {@value #STAGED} values
     * wait; the one after them flushes them.
     *
     * @param nanos a latency in nanoseconds; values below 1 ns (clock noise) are recorded as 1 ns.
     */
    public void stage(final long nanos)
    {
        final long value = Math.max(1, Math.min(nanos, HIGHEST_TRACKABLE_NANOS));
        final int at = stagedCount;
        staged[at] = value;
        if (value > staged[stagedMaxAt])
        {
            stagedMaxAt = at;
        }
        stagedCount = at + 1;
        if (STAGED == stagedCount)
        {
            flush();
        }
    }

    /**
     * Records the staged latencies, entering the readers' phase once for all of them (an atomic add, where recording
     * each would take one each) and recording their largest first: a histogram moves its maximum by compare-and-set,
     * and in a backlog every latency is a new maximum. Only the owning pipeline thread may call it.
     */
    public void flush()
    {
        final int count = stagedCount;
        if (0 == count)
        {
            return;
        }
        final long enter = (long)START_EPOCH.getAndAdd(this, 1L);
        final Histogram histogram = active;
        final int maxAt = stagedMaxAt;
        histogram.recordValue(staged[maxAt]);
        for (int i = 0; i < count; i++)
        {
            if (i != maxAt)
            {
                histogram.recordValue(staged[i]);
            }
        }
        // the single writer is the only one to move its phase's end epoch: an ordered store is enough to leave
        if (enter < 0)
        {
            ODD_END_EPOCH.setRelease(this, enter + 1);
        }
        else
        {
            EVEN_END_EPOCH.setRelease(this, enter + 1);
        }
        stagedCount = 0;
        stagedMaxAt = 0;
    }

    /**
     * @return a copy of everything recorded so far.
     */
    public synchronized Histogram cumulative()
    {
        collect();
        return total.copy();
    }

    /**
     * Copies everything recorded so far into {@code into} without allocating: for a reader that samples every tick,
     * whose copies would otherwise be the engine's steady garbage and its young collections.
     *
     * @param into a histogram with this recorder's range and precision ({@link #newHistogram()}); overwritten.
     */
    public synchronized void cumulativeInto(final Histogram into)
    {
        collect();
        total.copyInto(into);
    }

    /** @return an empty histogram with this recorder's range and precision, for {@link #cumulativeInto}. */
    public static Histogram newHistogram()
    {
        return new Histogram(1, HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
    }

    /** Adds what the writer recorded since the last call to the total. */
    private void collect()
    {
        final Histogram sample = active;
        spare.reset();
        active = spare;
        flipPhase();
        total.add(sample);
        spare = sample;
    }

    /** Starts a new phase and waits until the writer has left every recording it entered in the old one. */
    private void flipPhase()
    {
        final boolean nextPhaseIsEven = (long)START_EPOCH.getVolatile(this) < 0;
        final long initialStart = nextPhaseIsEven ? 0 : Long.MIN_VALUE;
        (nextPhaseIsEven ? EVEN_END_EPOCH : ODD_END_EPOCH).setVolatile(this, initialStart);
        final long startAtFlip = (long)START_EPOCH.getAndSet(this, initialStart);
        final VarHandle oldEnd = nextPhaseIsEven ? ODD_END_EPOCH : EVEN_END_EPOCH;
        while ((long)oldEnd.getAcquire(this) != startAtFlip)
        {
            Thread.yield();
        }
    }
}
