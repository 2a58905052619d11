package io.chronofabric.engine.internal.clock;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import io.chronofabric.engine.api.ManualWallClock;

/**
 * The hybrid logical clock's rules (Kulkarni et al., "Logical Physical Clocks", 2014), driven by a manual physical
 * clock. Wall values are small nanosecond numbers used directly as epoch nanoseconds.
 */
class HybridClockTest
{
    private static final long MAX_OFFSET = 500_000_000L; // 500 ms in ns
    private static final long MAX_LOGICAL = Integer.MAX_VALUE;
    /** A monotonic reading that does not move: each step of the manual physical clock is then exactly a step. */
    private static final long FROZEN_MONOTONIC = 1_000_000_000L;

    private final ManualWallClock physical = new ManualWallClock(0);
    private final HybridClock clock = new HybridClock(physical, MAX_OFFSET, MAX_LOGICAL);

    @Test
    void shouldKeepWallAndIncrementLogicalOnEachSendWhilePhysicalClockIsFrozen()
    {
        physical.set(1_000);
        for (int i = 0; i < 100; i++)
        {
            clock.now();
            assertTimestamp(1_000, i, "send " + i + " with a frozen physical clock");
        }
        assertEquals(0, clock.logicalOverflows());
        assertEquals(0, clock.backwardJumps());
    }

    @Test
    void shouldTakePhysicalTimeAndResetLogicalWhenPhysicalClockAdvances()
    {
        physical.set(1_000);
        clock.now();
        clock.now();
        clock.now();
        assertTimestamp(1_000, 2, "three sends at pt 1000");

        physical.set(1_001);
        clock.now();
        assertTimestamp(1_001, 0, "send after pt advanced by 1 ns");

        physical.advance(5_000_000);
        clock.now();
        assertTimestamp(5_001_001, 0, "send after pt advanced by 5 ms");
    }

    @Test
    void shouldKeepWallAndBumpLogicalWhenPhysicalClockStepsBackwards()
    {
        physical.set(10_000_000_000L);
        clock.now();
        assertTimestamp(10_000_000_000L, 0, "first send");

        long previousWall = clock.wall();
        long previousLogical = clock.logical();
        // a small backward step (1 ms, below maxOffset/10 = 50 ms): not counted as a jump
        physical.advance(-1_000_000);
        for (int i = 1; i <= 10; i++)
        {
            clock.now();
            assertTimestamp(10_000_000_000L, i, "send " + i + " after a 1 ms backward step");
            assertStrictlyAfter(previousWall, previousLogical, "send " + i);
            previousWall = clock.wall();
            previousLogical = clock.logical();
        }
        assertEquals(0, clock.backwardJumps(), "a 1 ms backward step is below maxOffset/10 and must not be counted");

        // a large backward step (2 s): wall is kept, logical bumped, and the jump is counted once
        physical.advance(-2_000_000_000L);
        clock.now();
        assertTimestamp(10_000_000_000L, 11, "send after a 2 s backward step");
        assertEquals(1, clock.backwardJumps());

        // staying at the stepped-back time is not another jump
        clock.now();
        assertTimestamp(10_000_000_000L, 12, "second send after the backward step");
        assertEquals(1, clock.backwardJumps());
    }

    @Test
    void shouldCountBackwardJumpsOnlyForStepsLargerThanATenthOfMaxOffset()
    {
        final long threshold = MAX_OFFSET / 10;
        physical.set(100_000_000_000L);
        clock.now(FROZEN_MONOTONIC);

        physical.advance(-threshold); // exactly the threshold: not counted
        clock.now(FROZEN_MONOTONIC);
        assertEquals(0, clock.backwardJumps(), "a step of exactly maxOffset/10 back");

        physical.advance(-(threshold + 1)); // one nanosecond more: counted
        clock.now(FROZEN_MONOTONIC);
        assertEquals(1, clock.backwardJumps(), "a step of maxOffset/10 + 1 ns back");

        physical.advance(10 * MAX_OFFSET); // a forward step is no backward one
        clock.now(FROZEN_MONOTONIC);
        assertEquals(1, clock.backwardJumps(), "a forward step");
        assertEquals(1, clock.forwardJumps(), "a forward step");

        physical.advance(-threshold - 1); // read by receive() as well
        assertTrue(clock.receive(0, 0, FROZEN_MONOTONIC));
        assertEquals(2, clock.backwardJumps(), "a backward step seen by receive");
    }

    /**
     * On an application's clock, forward steps are measured against the monotonic clock: one is counted at the tick
     * that sees it, however long after the last stamp, and the drift allowed for is at most the threshold again (it
     * grew with the time between stamps: after an hour, a 10 s step was not counted). A step back is a reading below
     * the one before: such a clock may be frozen while real time passes (a frozen clock's 200 ms was counted as a
     * step back: an adversarial review of the monotonic measure).
     */
    @Test
    void shouldCountAForwardStepAgainstTheMonotonicClockAndNotAFrozenClockAsAStepBack()
    {
        final long ms = 1_000_000L;
        long monotonic = 10_000 * ms;
        physical.set(100_000 * ms);
        clock.now(monotonic);

        monotonic += 200 * ms; // the manual clock stays frozen while 200 ms pass
        clock.now(monotonic);
        assertEquals(0, clock.backwardJumps(), "a frozen clock is no step back");
        assertEquals(0, clock.forwardJumps());

        monotonic += 3_600_000 * ms;
        physical.advance(3_600_000 * ms + 10_000 * ms); // an hour idle, then the clock is 10 s ahead
        clock.now(monotonic);
        assertEquals(1, clock.forwardJumps(), "10 s forward after an hour idle");

        monotonic += 10_000 * ms;
        physical.advance(10_000 * ms + 55 * ms); // ten seconds, the clock 5,500 ppm faster: drift, no step
        assertTrue(clock.receive(physical.epochNanos(), 0, monotonic));
        assertEquals(1, clock.forwardJumps(), "a drift of 0.55% of the time since the last stamp is not a step");
        assertEquals(0, clock.backwardJumps());
    }

    /**
     * The table of CockroachDB's TestHLCClock (pkg/util/hlc), except the last row, which follows the paper's rule
     * as documented in HybridClock: a receive whose wall component loses to the physical clock resets logical to 0.
     */
    @Test
    void shouldFollowTheHlcReceiveAndSendRulesOfTheReferenceTable()
    {
        physical.set(10);
        for (int i = 0; i <= 5; i++)
        {
            clock.now();
        }
        assertTimestamp(10, 5, "six sends at pt 10");

        // receive (10,5) at pt 10: all three walls equal -> max(5,5)+1
        assertTrue(clock.receive(10, 5));
        assertTimestamp(10, 6, "receive (10,5) @pt10");

        // send at pt 7 (clock behind): wall kept, logical +1
        physical.set(7);
        clock.now();
        assertTimestamp(10, 7, "send @pt7");

        physical.set(8);
        clock.now();
        assertTimestamp(10, 8, "send @pt8");

        // receive (10,4) at pt 8: local and remote walls equal -> max(8,4)+1
        assertTrue(clock.receive(10, 4));
        assertTimestamp(10, 9, "receive (10,4) @pt8");

        // receive (10,99) at pt 10: remote logical wins -> 99+1
        physical.set(10);
        assertTrue(clock.receive(10, 99));
        assertTimestamp(10, 100, "receive (10,99) @pt10");

        // receive (10,31) at pt 11: physical clock is ahead of both -> (11, 0)
        physical.set(11);
        assertTrue(clock.receive(10, 31));
        assertTimestamp(11, 0, "receive (10,31) @pt11");

        // receive (20,3) at pt 11: remote wall ahead (within max offset) -> (20, 3+1)
        assertTrue(clock.receive(20, 3));
        assertTimestamp(20, 4, "receive (20,3) @pt11");

        assertEquals(0, clock.offsetRejections());
    }

    @Test
    void shouldAcceptRemoteTimestampUpToMaxOffsetAhead()
    {
        final long pt = 1_000_000_000_000L;
        physical.set(pt);

        assertTrue(clock.receive(pt + 499_000_000L, 7), "remote 499 ms ahead");
        assertTimestamp(pt + 499_000_000L, 8, "after a remote 499 ms ahead");

        assertTrue(clock.receive(pt + MAX_OFFSET, 0), "remote exactly maxOffset ahead");
        assertTimestamp(pt + MAX_OFFSET, 1, "after a remote exactly maxOffset ahead");
        assertEquals(0, clock.offsetRejections());
    }

    @Test
    void shouldRejectRemoteTimestampBeyondMaxOffsetAndLeaveClockUnchanged()
    {
        final long pt = 1_000_000_000_000L;
        physical.set(pt);
        clock.now();
        clock.now();
        assertTimestamp(pt, 1, "before the receive");

        assertFalse(clock.receive(pt + 1_000_000_000L, 3), "remote 1 s ahead with max offset 500 ms");
        assertTimestamp(pt, 1, "after a rejected receive");
        assertEquals(1, clock.offsetRejections());

        assertFalse(clock.receive(pt + MAX_OFFSET + 1, 0), "remote maxOffset + 1 ns ahead");
        assertTimestamp(pt, 1, "after a second rejected receive");
        assertEquals(2, clock.offsetRejections());

        clock.now();
        assertTimestamp(pt, 2, "the next send continues from the unchanged clock");
    }

    @Test
    void shouldCarryLogicalOverflowIntoWallInsteadOfWrapping()
    {
        final HybridClock small = new HybridClock(physical, MAX_OFFSET, 3);
        physical.set(100);
        for (int i = 0; i <= 3; i++)
        {
            small.now();
            assertEquals(100, small.wall());
            assertEquals(i, small.logical());
        }
        assertEquals(0, small.logicalOverflows());

        small.now();
        assertEquals(101, small.wall(), "the tick after logical 3 carries into wall");
        assertEquals(0, small.logical());
        assertEquals(1, small.logicalOverflows());

        long previousWall = small.wall();
        long previousLogical = small.logical();
        for (int i = 0; i < 1_000; i++)
        {
            small.now();
            assertTrue(small.logical() >= 0 && small.logical() <= 3, "logical stays within [0, 3]: " + small.logical());
            assertTrue(HlcTimestamps.compare(small.wall(), small.logical(), previousWall, previousLogical) > 0,
                "tick " + i + " is strictly after the previous one");
            previousWall = small.wall();
            previousLogical = small.logical();
        }
        assertEquals(1 + 1_000 / 4, small.logicalOverflows(), "one carry every 4 ticks at a frozen physical clock");
    }

    @Test
    void shouldCarryIntoWallWhenReceivedLogicalIsAtTheMaximum()
    {
        final HybridClock small = new HybridClock(physical, MAX_OFFSET, 3);
        physical.set(100);
        small.now();

        assertTrue(small.receive(100, 3));
        assertEquals(101, small.wall());
        assertEquals(0, small.logical());
        assertEquals(1, small.logicalOverflows());

        // a remote clock configured with a larger maximum: its logical is above ours
        assertTrue(small.receive(101, 1_000));
        assertEquals(102, small.wall());
        assertEquals(0, small.logical());
        assertEquals(2, small.logicalOverflows());
    }

    @Test
    void shouldResumeAboveAJournaledTimestampButNeverMoveBack()
    {
        physical.set(50);
        clock.resumeAbove(1_000, 7);
        clock.now();
        assertTimestamp(1_000, 8, "first send after resuming above (1000,7) with pt 50");

        clock.resumeAbove(900, 100);
        assertTimestamp(1_000, 8, "resuming above an older timestamp leaves the clock as is");
    }

    @Test
    void shouldRejectInvalidConstructorArguments()
    {
        assertThrows(IllegalArgumentException.class, () -> new HybridClock(physical, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new HybridClock(physical, MAX_OFFSET, 0));
        assertThrows(IllegalArgumentException.class, () -> new HybridClock(physical, MAX_OFFSET, 1L + Integer.MAX_VALUE));
    }

    /**
     * A million mixed sends and receives against a random-walk physical clock that also steps backwards, with remote
     * timestamps near and beyond the maximum offset. Checked against a small model of what must hold: every accepted
     * event is strictly after the previous one and after the remote timestamp; a rejection leaves the clock unchanged;
     * the wall component is never behind the physical clock; rejections and backward jumps are counted exactly (the
     * monotonic reading is frozen, so that each step of the physical clock is exactly a step).
     */
    @Test
    void shouldStayStrictlyMonotonicUnderRandomSendsReceivesAndPhysicalClockSteps()
    {
        final long seed = 0x5eed_c10c_4a11L;
        final Random random = new Random(seed);
        final long maxLogical = 1_000; // small, so that carries happen too
        final HybridClock hlc = new HybridClock(physical, MAX_OFFSET, maxLogical);
        final long jumpThreshold = MAX_OFFSET / 10;

        long pt = 1_000_000_000_000_000L;
        long lastPt = 0;
        physical.set(pt);
        long previousWall = Long.MIN_VALUE;
        long previousLogical = Long.MIN_VALUE;
        long expectedRejections = 0;
        long expectedBackwardJumps = 0;
        long accepted = 0;

        for (int event = 0; event < 1_500_000; event++)
        {
            // random walk: mostly small forward steps, frequent stalls, some backward steps, rare big jumps
            final int step = random.nextInt(100);
            if (step < 40)
            {
                pt += random.nextInt(1_000);
            }
            else if (step < 70)
            {
                pt += 0;
            }
            else if (step < 95)
            {
                pt -= random.nextInt(1_000);
            }
            else if (step < 98)
            {
                pt -= random.nextInt((int)(2 * jumpThreshold));
            }
            else
            {
                pt += random.nextInt((int)MAX_OFFSET);
            }
            physical.set(pt);
            if (lastPt - pt > jumpThreshold)
            {
                expectedBackwardJumps++;
            }
            lastPt = pt;

            final String where = "seed=" + seed + " event=" + event;
            if (random.nextBoolean())
            {
                hlc.now(FROZEN_MONOTONIC);
                accepted++;
            }
            else
            {
                final long remoteWall = remoteWall(random, pt, hlc.wall());
                final long remoteLogical = random.nextInt(random.nextBoolean() ? 5 : (int)maxLogical + 1);
                final boolean tooFarAhead = remoteWall - pt > MAX_OFFSET;
                final long wallBefore = hlc.wall();
                final long logicalBefore = hlc.logical();
                final boolean applied = hlc.receive(remoteWall, remoteLogical, FROZEN_MONOTONIC);
                if (tooFarAhead)
                {
                    expectedRejections++;
                    if (applied)
                    {
                        fail(where + ": remote wall " + remoteWall + " is " + (remoteWall - pt) +
                            " ns ahead of pt, beyond the max offset, yet it was accepted");
                    }
                    assertEquals(wallBefore, hlc.wall(), where + ": a rejected receive changed wall");
                    assertEquals(logicalBefore, hlc.logical(), where + ": a rejected receive changed logical");
                    continue;
                }
                assertTrue(applied, where + ": a remote timestamp within the max offset was rejected");
                accepted++;
                if (HlcTimestamps.compare(hlc.wall(), hlc.logical(), remoteWall, remoteLogical) <= 0)
                {
                    fail(where + ": receive result " + hlc.wall() + "." + hlc.logical() +
                        " is not after the remote timestamp " + remoteWall + "." + remoteLogical);
                }
            }
            if (HlcTimestamps.compare(hlc.wall(), hlc.logical(), previousWall, previousLogical) <= 0)
            {
                fail(where + ": timestamp " + hlc.wall() + "." + hlc.logical() + " is not after the previous " +
                    previousWall + "." + previousLogical);
            }
            if (hlc.wall() < pt)
            {
                fail(where + ": wall " + hlc.wall() + " is behind the physical clock " + pt);
            }
            if (hlc.logical() < 0 || hlc.logical() > maxLogical)
            {
                fail(where + ": logical " + hlc.logical() + " outside [0, " + maxLogical + "]");
            }
            previousWall = hlc.wall();
            previousLogical = hlc.logical();
        }
        assertEquals(expectedRejections, hlc.offsetRejections(), "seed=" + seed + ": offset rejections");
        assertEquals(expectedBackwardJumps, hlc.backwardJumps(), "seed=" + seed + ": backward jumps");
        assertTrue(expectedRejections > 1_000, "seed=" + seed + ": the walk must exercise rejections");
        assertTrue(expectedBackwardJumps > 100, "seed=" + seed + ": the walk must exercise backward jumps");
        assertTrue(hlc.logicalOverflows() > 0, "seed=" + seed + ": the walk must exercise logical carries");
        assertTrue(accepted > 1_000_000, "seed=" + seed + ": accepted events " + accepted);
    }

    private static long remoteWall(final Random random, final long pt, final long localWall)
    {
        switch (random.nextInt(6))
        {
            case 0:
                return localWall; // same wall as ours: the logical rules decide
            case 1:
                return pt - random.nextInt(10_000_000); // behind
            case 2:
                return pt + random.nextInt(1_000); // slightly ahead
            case 3:
                return pt + MAX_OFFSET - 50 + random.nextInt(101); // straddling the max offset
            case 4:
                return pt + MAX_OFFSET + 1 + random.nextInt(1_000_000_000); // beyond it
            default:
                return localWall + random.nextInt(3) - 1;
        }
    }

    /**
     * Four simulated nodes, each with its own HLC over its own physical clock skewed from true time by at most epsilon,
     * exchange messages with random delays. Causality: every receive is stamped after its send; each node's history
     * is strictly increasing; and, as the paper proves, no node's wall component runs more than the skew spread
     * (2 epsilon) ahead of its own physical clock.
     */
    @Test
    void shouldStampEveryReceiveAfterItsSendAcrossSkewedNodes()
    {
        final long seed = 20_260_424L;
        final Random random = new Random(seed);
        final int nodes = 4;
        final long epsilon = 100_000_000L; // 100 ms: 2 epsilon stays below the 500 ms max offset
        final ManualWallClock[] clocks = new ManualWallClock[nodes];
        final HybridClock[] hlcs = new HybridClock[nodes];
        final long[] skew = new long[nodes];
        final long[] lastWall = new long[nodes];
        final long[] lastLogical = new long[nodes];
        for (int i = 0; i < nodes; i++)
        {
            skew[i] = (long)((random.nextDouble() * 2 - 1) * epsilon);
            clocks[i] = new ManualWallClock(0);
            hlcs[i] = new HybridClock(clocks[i], MAX_OFFSET, MAX_LOGICAL);
            lastWall[i] = Long.MIN_VALUE;
            lastLogical[i] = Long.MIN_VALUE;
        }

        final List<ArrayDeque<long[]>> inboxes = new ArrayList<>();
        for (int i = 0; i < nodes; i++)
        {
            inboxes.add(new ArrayDeque<>());
        }
        long trueTime = 1_000_000_000_000_000L;
        long sends = 0;
        long receives = 0;
        for (int step = 0; step < 400_000; step++)
        {
            trueTime += random.nextInt(20) < 3 ? random.nextInt(5_000_000) : random.nextInt(3);
            final int node = random.nextInt(nodes);
            // each node's physical clock: true time + its skew + a little jitter, never beyond epsilon
            final long jitter = random.nextInt(1_000) - 500;
            final long offset = Math.max(-epsilon, Math.min(epsilon, skew[node] + jitter));
            clocks[node].set(trueTime + offset);
            final HybridClock hlc = hlcs[node];
            final String where = "seed=" + seed + " step=" + step + " node=" + node;

            final ArrayDeque<long[]> inbox = inboxes.get(node);
            if (!inbox.isEmpty() && random.nextInt(3) > 0)
            {
                // receive the oldest message addressed to this node (FIFO per destination)
                final long[] message = inbox.poll();
                assertTrue(hlc.receive(message[0], message[1]), where + ": a message within epsilon was rejected");
                receives++;
                if (HlcTimestamps.compare(hlc.wall(), hlc.logical(), message[0], message[1]) <= 0)
                {
                    fail(where + ": receive stamped " + hlc.wall() + "." + hlc.logical() + " is not after its send " +
                        message[0] + "." + message[1] + " from node " + message[2]);
                }
            }
            else
            {
                hlc.now();
                sends++;
                int destination = random.nextInt(nodes - 1);
                destination = destination >= node ? destination + 1 : destination;
                inboxes.get(destination).add(new long[] {hlc.wall(), hlc.logical(), node});
            }
            if (HlcTimestamps.compare(hlc.wall(), hlc.logical(), lastWall[node], lastLogical[node]) <= 0)
            {
                fail(where + ": local history not strictly increasing: " + hlc.wall() + "." + hlc.logical() +
                    " after " + lastWall[node] + "." + lastLogical[node]);
            }
            lastWall[node] = hlc.wall();
            lastLogical[node] = hlc.logical();
            final long ahead = hlc.wall() - clocks[node].epochNanos();
            if (ahead > 2 * epsilon)
            {
                fail(where + ": wall runs " + ahead + " ns ahead of the node's physical clock, beyond 2 epsilon");
            }
        }
        for (final HybridClock hlc : hlcs)
        {
            assertEquals(0, hlc.offsetRejections(), "seed=" + seed);
            assertEquals(0, hlc.logicalOverflows(), "seed=" + seed);
        }
        assertTrue(sends > 100_000 && receives > 100_000, "seed=" + seed + ": sends=" + sends + " receives=" + receives);
    }

    private void assertTimestamp(final long expectedWall, final long expectedLogical, final String what)
    {
        assertEquals(expectedWall + "." + expectedLogical, clock.wall() + "." + clock.logical(), what);
    }

    private void assertStrictlyAfter(final long wall, final long logical, final String what)
    {
        assertTrue(HlcTimestamps.compare(clock.wall(), clock.logical(), wall, logical) > 0,
            what + ": " + clock.wall() + "." + clock.logical() + " is not after " + wall + "." + logical);
    }
}
