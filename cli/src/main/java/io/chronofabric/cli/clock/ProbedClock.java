package io.chronofabric.cli.clock;

import io.chronofabric.engine.api.SystemWallClock;
import io.chronofabric.engine.config.Settings;
import io.chronofabric.engine.internal.clock.HybridClock;

/**
 * The clocks the engine reads. Each has its own read loops, so that every loop calls one clock directly (and the
 * compiler can inline it) instead of through one call site shared by all three, which would add a virtual call to
 * what is measured.
 */
public enum ProbedClock
{
    /** The monotonic clock: stage latencies, timeouts, pacing. */
    NANO_TIME("System.nanoTime")
    {
        @Override
        long readBatch(final int reads)
        {
            long sum = 0;
            for (int i = 0; i < reads; i++)
            {
                sum += System.nanoTime();
            }
            return sum;
        }

        @Override
        long smallestStep(final int reads)
        {
            long smallest = Long.MAX_VALUE;
            long previous = System.nanoTime();
            for (int i = 0; i < reads; i++)
            {
                final long now = System.nanoTime();
                final long step = now - previous;
                if (step > 0 && step < smallest)
                {
                    smallest = step;
                }
                previous = now;
            }
            return smallest;
        }
    },
    /** The wall clock the engine stamps with and judges deadlines by: {@link SystemWallClock}. */
    WALL("SystemWallClock")
    {
        @Override
        long readBatch(final int reads)
        {
            final SystemWallClock clock = SystemWallClock.INSTANCE;
            long sum = 0;
            for (int i = 0; i < reads; i++)
            {
                sum += clock.epochNanos();
            }
            return sum;
        }

        @Override
        long smallestStep(final int reads)
        {
            final SystemWallClock clock = SystemWallClock.INSTANCE;
            long smallest = Long.MAX_VALUE;
            long previous = clock.epochNanos();
            for (int i = 0; i < reads; i++)
            {
                final long now = clock.epochNanos();
                final long step = now - previous;
                if (step > 0 && step < smallest)
                {
                    smallest = step;
                }
                previous = now;
            }
            return smallest;
        }
    },
    /**
     * The engine's hybrid logical clock as the journal stage stamps with it: a tick, then its wall component. The
     * step is that of the wall component; stamps within one step of the wall clock differ in the logical one.
     */
    HLC("HybridClock")
    {
        @Override
        long readBatch(final int reads)
        {
            final HybridClock clock = Hlc.CLOCK;
            long sum = 0;
            for (int i = 0; i < reads; i++)
            {
                clock.now();
                sum += clock.wall() + clock.logical();
            }
            return sum;
        }

        @Override
        long smallestStep(final int reads)
        {
            final HybridClock clock = Hlc.CLOCK;
            long smallest = Long.MAX_VALUE;
            clock.now();
            long previous = clock.wall();
            for (int i = 0; i < reads; i++)
            {
                clock.now();
                final long now = clock.wall();
                final long step = now - previous;
                if (step > 0 && step < smallest)
                {
                    smallest = step;
                }
                previous = now;
            }
            return smallest;
        }
    };

    private final String label;

    ProbedClock(final String label)
    {
        this.label = label;
    }

    /** @return the clock's name as the output shows it. */
    public String label()
    {
        return label;
    }

    /**
     * @param reads how many reads.
     * @return the sum of what was read, so that the reads cannot be optimised away.
     */
    abstract long readBatch(int reads);

    /**
     * @param reads how many consecutive reads.
     * @return the smallest positive difference between two consecutive reads; {@link Long#MAX_VALUE} when none.
     */
    abstract long smallestStep(int reads);

    /** The HLC the probe ticks: the engine's defaults, on the engine's wall clock; created on first use. */
    private static final class Hlc
    {
        static final HybridClock CLOCK = new HybridClock(SystemWallClock.INSTANCE,
            Settings.HLC_MAX_OFFSET.defaultValue(), Settings.HLC_MAX_LOGICAL.defaultValue());
    }
}
