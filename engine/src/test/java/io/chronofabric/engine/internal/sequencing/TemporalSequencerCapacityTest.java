package io.chronofabric.engine.internal.sequencing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chronofabric.engine.api.HoldOverflowPolicy;
import io.chronofabric.engine.internal.pipeline.StagesOnTestThread;
import io.chronofabric.journal.DeadLetterReason;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hold buffer is bounded, driven on the test thread: it never holds more than {@code hold.capacity} messages;
 * {@code dead-letter-oldest} makes room by dead-lettering the oldest held message ({@code hold_overflow}), its held
 * dependents with it; under {@code reject-new} publishers reserve room before publishing, and a message that must
 * wait when there is none is dead-lettered ({@code hold_overflow}) while the held ones stay; a reservation is returned
 * when its message leaves. The wall clock moves only by hand, so no hold timeout interferes.
 */
class TemporalSequencerCapacityTest
{
    private static final int TYPE = 2;
    private static final long HOLD_TIMEOUT_NANOS = 1_000_000_000L;

    @Test
    void shouldNeverHoldMoreThanTheCapacityAndDeadLetterTheOldestToMakeRoom()
    {
        final int capacity = 8;
        final StagesOnTestThread stages = StagesOnTestThread.builder().holdCapacity(capacity)
            .holdOverflow(HoldOverflowPolicy.DEAD_LETTER_OLDEST).holdTimeoutNanos(HOLD_TIMEOUT_NANOS).build();
        final JournalFeed feed = stages.feed;
        final Map<Long, DeadLetterReason> dead = new HashMap<>();
        final List<Long> delivered = new ArrayList<>();
        final List<Long> held = new ArrayList<>();
        final int[] maxHeld = new int[1];
        final int[] duplicates = new int[1];
        stages.subscribe(TYPE, message -> delivered.add(message.id()));
        stages.subscribeDeadLetters(letter ->
        {
            if (null != dead.put(letter.message().id(), letter.reason()))
            {
                duplicates[0]++;
            }
        });
        final Runnable sample = () -> maxHeld[0] = Math.max(maxHeld[0], stages.temporal.held());
        final long first = feed.alone(TYPE);
        final long gap = feed.gap();
        for (int i = 0; i < 50; i++)
        {
            held.add(feed.alone(TYPE, gap));
            sample.run();
            // unrelated traffic keeps flowing while the buffer is full
            feed.alone(TYPE, first);
            sample.run();
        }
        assertEquals(42, dead.size());
        assertEquals(51, delivered.size());
        assertEquals(capacity, stages.temporal.held(), "full");
        for (int i = 0; i < 42; i++)
        {
            assertEquals(DeadLetterReason.HOLD_OVERFLOW, dead.get(held.get(i)), "the oldest go first: " + dead);
        }

        // a held message's held dependent goes with it when it is pushed out
        final long newest = held.get(49);
        final long dependent = feed.alone(TYPE, newest);
        sample.run();
        for (int i = 0; i < 7; i++)
        {
            held.add(feed.alone(TYPE, gap));
            sample.run();
        }
        assertTrue(dead.containsKey(dependent), "dead letters " + dead);
        assertEquals(DeadLetterReason.HOLD_OVERFLOW, dead.get(newest));
        assertEquals(DeadLetterReason.DEPENDENCY_DEAD_LETTERED, dead.get(dependent));
        assertEquals(7, stages.temporal.held());

        stages.wall.advance(2 * HOLD_TIMEOUT_NANOS);
        stages.idle();
        assertEquals(0, stages.temporal.held());
        assertEquals(58, dead.size());

        assertTrue(maxHeld[0] <= capacity, "held " + maxHeld[0] + " at once, capacity " + capacity);
        assertEquals(capacity, maxHeld[0], "the buffer did fill up");
        assertEquals(50, stages.temporal.deadLetters(DeadLetterReason.HOLD_OVERFLOW));
        assertEquals(1, stages.temporal.deadLetters(DeadLetterReason.DEPENDENCY_DEAD_LETTERED));
        assertEquals(7, stages.temporal.deadLetters(DeadLetterReason.DEPENDENCY_TIMEOUT));
        for (int i = 50; i < 57; i++)
        {
            assertEquals(DeadLetterReason.DEPENDENCY_TIMEOUT, dead.get(held.get(i)));
        }
        assertEquals(51, delivered.size(), "no held message delivered, all unrelated ones delivered");
        assertEquals(0, duplicates[0], "no message dead-lettered twice");
        assertEquals(0, stages.temporal.causalityViolations().get());
    }

    @Test
    void shouldReportTheBufferFullExactlyWhileItHoldsItsCapacity()
    {
        final SequencerOnTestThread s = SequencerOnTestThread.builder().holdCapacity(2)
            .holdOverflow(HoldOverflowPolicy.DEAD_LETTER_OLDEST).build();
        final long gap = s.feed.gap();
        final long oldest = s.feed.alone(TYPE, gap);
        assertFalse(s.temporal.isHoldFull());
        final long second = s.feed.alone(TYPE, gap);
        assertTrue(s.temporal.isHoldFull());
        final long third = s.feed.alone(TYPE, gap);
        assertTrue(s.temporal.isHoldFull(), "room made for the third");
        assertEquals(Map.of(oldest, DeadLetterReason.HOLD_OVERFLOW), s.sink.deadLettered(), "the oldest went");
        assertEquals(2, s.temporal.held());
        assertEquals(List.of(), s.sink.released(), second + " and " + third + " are held");
    }

    @Test
    void shouldDeadLetterAMessageThatMustWaitWhenTheBufferIsFullUnderRejectNewAndKeepTheHeldOnes()
    {
        final SequencerOnTestThread s = SequencerOnTestThread.builder().holdCapacity(2)
            .holdOverflow(HoldOverflowPolicy.REJECT_NEW).build();
        final long first = s.feed.alone(TYPE);
        final long gap = s.feed.gap();
        final long held1 = s.feed.alone(TYPE, gap);
        final long held2 = s.feed.alone(TYPE, gap);
        final long overflow = s.feed.alone(TYPE, gap);
        final long onFirst = s.feed.alone(TYPE, first);
        final Map<Long, DeadLetterReason> expected = new LinkedHashMap<>();
        expected.put(overflow, DeadLetterReason.HOLD_OVERFLOW);
        assertEquals(expected, s.sink.deadLettered(), held1 + " and " + held2 + " stay held");
        assertEquals(List.of(first, onFirst), s.sink.released(), "a message that needs no hold still goes");
        assertEquals(2, s.temporal.held());
    }

    /** Under reject-new a publisher reserves room first; the sequencer returns it whichever way the message leaves. */
    @Test
    void shouldReturnAHoldReservationWhenItsMessageIsReleasedOrDeadLettered()
    {
        final int capacity = 2;
        final SequencerOnTestThread s = SequencerOnTestThread.builder().holdCapacity(capacity)
            .holdOverflow(HoldOverflowPolicy.REJECT_NEW).holdTimeoutNanos(HOLD_TIMEOUT_NANOS).build();
        final long first = s.feed.alone(TYPE);
        final long gap = s.feed.gap();
        assertTrue(s.temporal.tryReserveHold(capacity));
        final long held = s.feed.alone(s.feed.message(TYPE).dependsOn(gap).holdReserved());
        assertTrue(s.temporal.tryReserveHold(capacity));
        assertFalse(s.temporal.tryReserveHold(capacity), "both places reserved");
        s.feed.alone(s.feed.message(TYPE).dependsOn(first).holdReserved());
        assertTrue(s.temporal.tryReserveHold(capacity), "released at once: its place is free again");
        assertFalse(s.temporal.tryReserveHold(capacity));
        s.temporal.releaseHoldReservation();
        s.wall.advance(HOLD_TIMEOUT_NANOS);
        s.feed.idle();
        assertEquals(Map.of(held, DeadLetterReason.DEPENDENCY_TIMEOUT), s.sink.deadLettered());
        assertTrue(s.temporal.tryReserveHold(capacity), "timed out: its place is free again");
        assertTrue(s.temporal.tryReserveHold(capacity), "and nothing else is reserved");
        assertFalse(s.temporal.tryReserveHold(capacity));
    }
}
