package io.chronofabric.cli.clock;

import java.util.function.LongSupplier;

/**
 * A wall clock's offset from the monotonic clock at one moment: the wall read bracketed between two
 * {@code nanoTime} reads, the tightest of several brackets kept, the offset taken at the bracket's middle. All in
 * {@code long}: epoch nanoseconds do not fit a double's mantissa (a double would quantise them to 256 ns).
 *
 * @param wallMinusMonotonicNanos the wall reading minus the bracket's middle, nanoseconds.
 * @param bracketNanos            the bracket's width: the offset is known to within half of it.
 * @param monotonicNanos          the bracket's middle, {@link System#nanoTime()}.
 */
public record WallOffset(long wallMinusMonotonicNanos, long bracketNanos, long monotonicNanos)
{
    /** Brackets tried per offset; the tightest is kept. */
    public static final int TRIES = 1_000;

    /**
     * @param wall  the wall clock, epoch nanoseconds.
     * @param tries how many brackets to try, at least 1.
     * @return the offset from the tightest bracket.
     */
    public static WallOffset sample(final LongSupplier wall, final int tries)
    {
        WallOffset best = null;
        for (int i = 0; i < tries; i++)
        {
            final long before = System.nanoTime();
            final long read = wall.getAsLong();
            final long after = System.nanoTime();
            final long width = after - before;
            if (null == best || width < best.bracketNanos)
            {
                final long middle = before + width / 2;
                best = new WallOffset(read - middle, width, middle);
            }
        }
        return best;
    }
}
