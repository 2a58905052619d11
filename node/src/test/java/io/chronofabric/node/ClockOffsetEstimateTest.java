package io.chronofabric.node;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer's clock measured far ahead stays judged so while a loaded host's pings wait seconds in queues (a black-box
 * round found three nodes on two cores taking thousands of messages of a node whose clock ran 2x the max offset ahead,
 * once the tight measurement left the last 16 pings), and a newer, tighter measurement replaces an older one.
 */
class ClockOffsetEstimateTest
{
    private static final long MS = 1_000_000L;
    private static final long MAX_OFFSET = 500 * MS;

    private final ClockOffsetEstimate estimate = new ClockOffsetEstimate();
    private long now = 1_000 * MS;

    @Test
    void shouldKnowNothingBeforeTheFirstExchange()
    {
        assertFalse(estimate.isMeasured());
        assertEquals(-1, estimate.errorNanos(now));
        assertEquals(Long.MIN_VALUE, estimate.aheadAtLeastNanos(now));
    }

    @Test
    void shouldKeepAPeerMeasuredFarAheadJudgedSoThroughARunOfPingsThatWaitedSeconds()
    {
        exchange(1_000 * MS, MS, MS);
        assertEquals(1_000 * MS, estimate.offsetNanos());
        assertTrue(estimate.aheadAtLeastNanos(now) > MAX_OFFSET);
        for (int i = 0; i < 100; i++)
        {
            // the answers wait in this node's queues: each alone bounds the offset only within seconds
            now += 50 * MS;
            exchange(1_000 * MS, MS, 3_000 * MS);
            assertTrue(estimate.aheadAtLeastNanos(now) > MAX_OFFSET, "after " + (i + 1) + " loose exchanges: " +
                estimate.aheadAtLeastNanos(now));
        }
        assertEquals(1_000 * MS, estimate.offsetNanos(), "the tight exchange is still the estimate");
        assertEquals(MS + (long)(ClockOffsetEstimate.DRIFT_PER_SECOND * 5_000 * MS), estimate.errorNanos(now),
            "its bound grew by the drift allowed over the 5 s since");
    }

    @Test
    void shouldTakeANewerTighterExchangeOverAnOlderOne()
    {
        exchange(1_000 * MS, 10 * MS, 10 * MS);
        now += 60_000 * MS;
        // the peer's clock was set right; one answer in 2 ms bounds it better than the minute-old 10 ms one
        exchange(0, MS, MS);
        assertEquals(0, estimate.offsetNanos());
        assertEquals(MS, estimate.errorNanos(now));
        assertFalse(estimate.aheadAtLeastNanos(now) > MAX_OFFSET);
    }

    @Test
    void shouldTakeTheTightestOfTheRecentExchanges()
    {
        exchange(700 * MS, 300 * MS, 300 * MS);
        assertFalse(estimate.aheadAtLeastNanos(now) > MAX_OFFSET, "700 ms +- 300 ms: possibly in range");
        now += 50 * MS;
        exchange(700 * MS, 5 * MS, 5 * MS);
        assertTrue(estimate.aheadAtLeastNanos(now) > MAX_OFFSET, "700 ms +- 5 ms: ahead beyond 500 ms");
        now += 50 * MS;
        exchange(700 * MS, 200 * MS, 200 * MS);
        assertEquals(5 * MS + (long)(ClockOffsetEstimate.DRIFT_PER_SECOND * 50 * MS), estimate.errorNanos(now));
    }

    @Test
    void shouldTakeAnExchangeThatExcludesTheKeptEstimateAsAClockStepEvenWhenItIsLooser()
    {
        exchange(1_000 * MS, MS, MS);
        now += 50 * MS;
        // the peer's clock was stepped back into range; the answer waited 400 ms, but 0 +- 200 ms excludes 1 s +- 1 ms
        exchange(0, MS, 400 * MS);
        assertEquals(-199 * MS - MS / 2, estimate.offsetNanos());
        assertFalse(estimate.aheadAtLeastNanos(now) > MAX_OFFSET, "no longer refused for a stale measurement");

        now += 50 * MS;
        exchange(0, MS, MS);
        now += 50 * MS;
        // and forwards: 2 s +- 5 ms excludes 0 +- 1 ms, so the peer is judged ahead at once
        exchange(2_000 * MS, 5 * MS, 5 * MS);
        assertTrue(estimate.aheadAtLeastNanos(now) > MAX_OFFSET);
    }

    @Test
    void shouldNotTakeAnExchangeWithANegativeRoundTripNorForgetWhatItKnew()
    {
        exchange(1_000 * MS, MS, MS);
        // t4 before t1 + (t3 - t2): this node's wall clock was stepped back during the exchange
        assertEquals(-1, estimate.sample(now, now + 5_000 * MS, now + 5_000 * MS, now - 10 * MS, now));
        assertEquals(1_000 * MS, estimate.offsetNanos());
        assertTrue(estimate.aheadAtLeastNanos(now) > MAX_OFFSET);
    }

    @Test
    void shouldForgetEverythingForAnotherProcessOfThePeer()
    {
        exchange(1_000 * MS, MS, MS);
        estimate.reset();
        assertFalse(estimate.isMeasured());
        assertEquals(Long.MIN_VALUE, estimate.aheadAtLeastNanos(now));
        exchange(0, 300 * MS, 300 * MS);
        assertEquals(0, estimate.offsetNanos());
    }

    /** One exchange with a peer whose clock is {@code offset} ahead, taking these one-way delays, answered now. */
    private void exchange(final long offset, final long there, final long back)
    {
        final long t1 = now - there - back; // wall clock here when the ping left
        final long t2 = t1 + there + offset;
        final long t3 = t2;
        final long t4 = now;
        assertEquals(there + back, estimate.sample(t1, t2, t3, t4, now));
    }
}
