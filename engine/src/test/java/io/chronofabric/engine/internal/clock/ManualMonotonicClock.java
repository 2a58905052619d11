package io.chronofabric.engine.internal.clock;

/**
 * A monotonic clock that moves only when told to, for stages driven on the test thread. A stage that waits on it
 * ({@link #parkNanos}) moves it by the time waited, as if that time had passed, and returns at once.
 */
public final class ManualMonotonicClock implements MonotonicClock
{
    private long nanos;
    private long parkedNanos;

    /**
     * @param startNanos the first reading.
     */
    public ManualMonotonicClock(final long startNanos)
    {
        this.nanos = startNanos;
    }

    @Override
    public long nanoTime()
    {
        return nanos;
    }

    @Override
    public void parkNanos(final long waitNanos)
    {
        if (waitNanos > 0)
        {
            nanos += waitNanos;
            parkedNanos += waitNanos;
        }
    }

    /**
     * @param deltaNanos how far to move it; never backwards.
     */
    public void advance(final long deltaNanos)
    {
        if (deltaNanos < 0)
        {
            throw new IllegalArgumentException("a monotonic clock does not go back: " + deltaNanos);
        }
        nanos += deltaNanos;
    }

    /**
     * @param atNanos where to move it; not before the current reading.
     */
    public void advanceTo(final long atNanos)
    {
        advance(atNanos - nanos);
    }

    /** @return how long stages have waited on it in all. */
    public long parkedNanos()
    {
        return parkedNanos;
    }
}
