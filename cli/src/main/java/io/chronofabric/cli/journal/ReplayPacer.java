package io.chronofabric.cli.journal;

import java.util.concurrent.locks.LockSupport;

/**
 * Spaces replayed messages by their original HLC wall time gaps divided by a speed factor: 1 keeps the original
 * pace, 2.5 replays 2.5 times faster, 0 does not wait at all.
 */
final class ReplayPacer
{
    private final double factor;
    private long firstWall = Long.MIN_VALUE;
    private long startNanos;

    /**
     * @param factor speed factor, 0 for as fast as possible.
     */
    ReplayPacer(final double factor)
    {
        this.factor = factor;
    }

    /**
     * Waits until the message with this HLC wall time is due.
     *
     * @param hlcWall the message's HLC wall time, epoch nanoseconds.
     */
    void await(final long hlcWall)
    {
        if (0 == factor)
        {
            return;
        }
        if (Long.MIN_VALUE == firstWall)
        {
            firstWall = hlcWall;
            startNanos = System.nanoTime();
            return;
        }
        final long due = startNanos + (long)((hlcWall - firstWall) / factor);
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime())
        {
            LockSupport.parkNanos(wait);
        }
    }
}
