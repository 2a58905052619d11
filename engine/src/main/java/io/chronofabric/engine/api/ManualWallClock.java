package io.chronofabric.engine.api;

/**
 * A wall clock that moves only when told to: for tests and deterministic replays.
 * Thread-safe for one writer and many readers.
 */
public final class ManualWallClock implements WallClock
{
    private volatile long nanos;

    /**
     * @param startNanos the initial reading in epoch nanoseconds.
     */
    public ManualWallClock(final long startNanos)
    {
        this.nanos = startNanos;
    }

    @Override
    public long epochNanos()
    {
        return nanos;
    }

    /**
     * @param epochNanos the new reading; may go backwards, as a stepped system clock does.
     */
    public void set(final long epochNanos)
    {
        this.nanos = epochNanos;
    }

    /**
     * @param deltaNanos how far to move, forwards or (negative) backwards.
     */
    public void advance(final long deltaNanos)
    {
        this.nanos += deltaNanos;
    }
}
