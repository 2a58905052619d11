package io.chronofabric.engine.internal.clock;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.chronofabric.engine.api.SystemWallClock;

/**
 * The HLC on the host's clock, which it reads once per {@link HybridClock#ANCHOR_NANOS} and carries forward on the
 * monotonic readings the journal stage passes in: stamps still follow the wall clock, and move exactly as the monotonic
 * readings do between two readings of it.
 */
class HostClockStampTest
{
    private static final long MAX_OFFSET = TimeUnit.MILLISECONDS.toNanos(500);
    /** The host clock's own error (Chronicle refines {@code currentTimeMillis} to nanoseconds), with a margin. */
    private static final long TOLERANCE = TimeUnit.MILLISECONDS.toNanos(5);

    private final HybridClock clock = new HybridClock(SystemWallClock.INSTANCE, MAX_OFFSET, Integer.MAX_VALUE);

    @Test
    void shouldStampTheWallClockTimeOfEachMonotonicReadingOverSeveralAnchorPeriods() throws InterruptedException
    {
        for (int i = 0; i < 50; i++)
        {
            final long before = System.currentTimeMillis() * 1_000_000L;
            clock.now(System.nanoTime());
            final long after = System.currentTimeMillis() * 1_000_000L + 1_000_000L;
            assertTrue(clock.wall() >= before - TOLERANCE && clock.wall() <= after + TOLERANCE,
                "stamp " + i + ": wall " + clock.wall() + " outside [" + before + ", " + after + "] by more than 5 ms");
            Thread.sleep(0, 300_000); // a third of an anchor period, more or less: stamps on both sides of a re-read
        }
        assertEquals(0, clock.backwardJumps());
        assertEquals(0, clock.forwardJumps());
    }

    @Test
    void shouldMoveStampsByTheMonotonicDifferenceBetweenReadingsOfTheWallClock()
    {
        final long first = System.nanoTime();
        clock.now(first);
        final long wall = clock.wall();
        clock.now(first + 1_000);
        assertEquals(wall + 1_000, clock.wall(), "a reading 1 us later stamps 1 us later");
        assertEquals(0, clock.logical());
        clock.now(first + 1_000);
        assertEquals(wall + 1_000, clock.wall(), "the same reading again: the logical counter orders it");
        assertEquals(1, clock.logical());
    }

    @Test
    void shouldReadTheWallClockAgainOnceAReadingIsOlderThanTheAnchorPeriod()
    {
        final long first = System.nanoTime();
        clock.now(first);
        final long wall = clock.wall();
        // a monotonic reading far ahead of real time: the wall clock read again does not follow it there
        final long farAhead = first + TimeUnit.SECONDS.toNanos(60);
        clock.now(farAhead);
        assertTrue(clock.wall() < wall + TimeUnit.SECONDS.toNanos(1),
            "wall " + (clock.wall() - wall) + " ns after the first stamp: carried forward past the anchor period");
        assertEquals(0, clock.backwardJumps());
    }
}
