package io.chronofabric.engine.internal.clock;

import java.util.concurrent.TimeUnit;

import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
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

    /**
     * On the host's clock a step is measured against the monotonic clock, either way: a step back smaller than the
     * time since the last stamp leaves the wall clock ahead of that stamp, and comparing readings alone missed it (a
     * black-box helper's finding: 150 ms back, 250 ms after the last stamp, never counted). The host's clock is
     * Chronicle's {@code SystemTimeProvider.CLOCK}, stepped here by an offset.
     */
    @Test
    void shouldCountAStepBackOfTheHostClockMadeLongerAfterTheLastStampThanItsSize() throws InterruptedException
    {
        onSteppedHostClock(stepped ->
        {
            clock.now(System.nanoTime());
            Thread.sleep(250);
            stepped.offsetNanos = -TimeUnit.MILLISECONDS.toNanos(150);
            clock.now(System.nanoTime());
            assertEquals(1, clock.backwardJumps(), "150 ms back, 250 ms after the last stamp");
            assertEquals(0, clock.forwardJumps());
        });
    }

    /** The journal stage's idle ticks read the host's clock: a step is counted while no message is stamped. */
    @Test
    void shouldCountAStepOfTheHostClockAtAnIdleTickWithoutAStamp() throws InterruptedException
    {
        onSteppedHostClock(stepped ->
        {
            clock.now(System.nanoTime());
            Thread.sleep(2);
            clock.idle(System.nanoTime());
            assertEquals(0, clock.forwardJumps(), "no step yet");
            stepped.offsetNanos = TimeUnit.SECONDS.toNanos(2);
            Thread.sleep(2);
            clock.idle(System.nanoTime());
            assertEquals(1, clock.forwardJumps(), "2 s forward, seen at an idle tick");
            Thread.sleep(2);
            clock.idle(System.nanoTime());
            assertEquals(1, clock.forwardJumps(), "counted once");
            assertEquals(0, clock.backwardJumps());
        });
    }

    /** Runs a check with Chronicle's host clock replaced by one it can step; puts the host clock back after. */
    private static void onSteppedHostClock(final SteppedCheck check) throws InterruptedException
    {
        final TimeProvider host = SystemTimeProvider.CLOCK;
        final SteppedClock stepped = new SteppedClock();
        SystemTimeProvider.CLOCK = stepped;
        try
        {
            check.run(stepped);
        }
        finally
        {
            SystemTimeProvider.CLOCK = host;
        }
    }

    /** A check on the stepped host clock. */
    private interface SteppedCheck
    {
        void run(SteppedClock stepped) throws InterruptedException;
    }

    /** The host's clock plus an offset a test steps. */
    private static final class SteppedClock implements TimeProvider
    {
        private volatile long offsetNanos;

        @Override
        public long currentTimeMillis()
        {
            return SystemTimeProvider.INSTANCE.currentTimeMillis() + offsetNanos / 1_000_000L;
        }

        @Override
        public long currentTimeMicros()
        {
            return SystemTimeProvider.INSTANCE.currentTimeMicros() + offsetNanos / 1_000L;
        }

        @Override
        public long currentTimeNanos()
        {
            return SystemTimeProvider.INSTANCE.currentTimeNanos() + offsetNanos;
        }
    }
}
