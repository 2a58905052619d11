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
    void shouldStampAReadingTakenBeforeASlowStretchWithItsOwnTimeAndCountNoJump() throws InterruptedException
    {
        clock.now(System.nanoTime());
        Thread.sleep(2); // the wall clock reading that serves is now stale: the next stamp reads it again
        // the journal stage's reading can be older than the moment the clock gets it: a slow handler ran between
        final long reading = System.nanoTime();
        final long wallAtReading = System.currentTimeMillis() * 1_000_000L;
        Thread.sleep(80); // more than a tenth of the maximum offset: a jump, were the late wall paired with the reading
        clock.now(reading);
        assertTrue(Math.abs(clock.wall() - wallAtReading) <= TOLERANCE, "stamped " +
            (clock.wall() - wallAtReading) / 1_000_000 + " ms from the wall time of its reading");
        assertEquals(0, clock.forwardJumps(), "the sleep is no step of the wall clock");
        clock.now(System.nanoTime());
        assertEquals(0, clock.backwardJumps(), "nor is the stamp after it");
    }
}
