package io.chronofabric.engine.internal.sequencing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import io.chronofabric.engine.internal.event.MessageEvent;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Messages waiting for their dependencies, indexed by what they miss: handed over exactly when the last missing one is
 * released, in hold order; a dead dependency takes its dependents with it, transitively and each once; the oldest is
 * found at once, for the hold timeout and the dead-letter-oldest overflow policy; it never holds more than its
 * capacity.
 */
class HoldBufferTest
{
    private static final long WALL = 1_000_000_000L;

    private final List<Long> handedOver = new ArrayList<>();

    private static MessageEvent message(final long id, final long... dependencies)
    {
        final MessageEvent message = new MessageEvent(8, 8);
        message.record().clear();
        message.record().id(id);
        message.record().dependencyCount(dependencies.length);
        for (int i = 0; i < dependencies.length; i++)
        {
            message.record().dependency(i, dependencies[i]);
        }
        return message;
    }

    /** Holds a message missing all its dependencies, as the sequencer does. */
    private static MessageEvent hold(final HoldBuffer buffer, final long wall, final long id, final long... missing)
    {
        final MessageEvent message = message(id, missing);
        buffer.hold(message, missing, missing.length, wall);
        return message;
    }

    @Test
    void shouldHandOverAMessageOnlyOnceTheLastOfItsMissingDependenciesIsReleased()
    {
        final HoldBuffer buffer = new HoldBuffer(4, 8);
        hold(buffer, WALL, 10, 7, 8, 9);
        buffer.onReleased(8, m -> handedOver.add(m.id()));
        buffer.onReleased(7, m -> handedOver.add(m.id()));
        assertEquals(List.of(), handedOver);
        assertEquals(1, buffer.size());
        buffer.onReleased(9, m -> handedOver.add(m.id()));
        assertEquals(List.of(10L), handedOver);
        assertEquals(0, buffer.size());
        buffer.onReleased(9, m -> handedOver.add(m.id()));
        assertEquals(List.of(10L), handedOver, "a second release of the same id hands over nothing again");
    }

    @Test
    void shouldHandOverTheWaitersOfAReleasedIdInHoldOrderAndLeaveOthersWaiting()
    {
        final HoldBuffer buffer = new HoldBuffer(8, 8);
        hold(buffer, WALL, 12, 5);
        hold(buffer, WALL, 10, 5);
        hold(buffer, WALL, 11, 6);
        hold(buffer, WALL, 13, 5, 6);
        buffer.onReleased(5, m -> handedOver.add(m.id()));
        assertEquals(List.of(12L, 10L), handedOver);
        assertEquals(2, buffer.size());
        buffer.onReleased(4, m -> handedOver.add(m.id()));
        assertEquals(List.of(12L, 10L), handedOver, "an id nobody waits for hands over nothing");
        buffer.onReleased(6, m -> handedOver.add(m.id()));
        assertEquals(List.of(12L, 10L, 11L, 13L), handedOver);
    }

    @Test
    void shouldHandOverADependencyListedTwiceOnlyWhenItIsReleased()
    {
        final HoldBuffer buffer = new HoldBuffer(2, 8);
        hold(buffer, WALL, 3, 1, 1);
        buffer.onReleased(1, m -> handedOver.add(m.id()));
        assertEquals(List.of(3L), handedOver);
        assertEquals(0, buffer.size());
    }

    /** The sequencer's cascade: each dead id is marked, then its held dependents are dead-lettered in turn. */
    @Test
    void shouldHandOverTheDependentsOfADeadIdTransitivelyDependencyFirstAndEachOnce()
    {
        final HoldBuffer buffer = new HoldBuffer(8, 8);
        // 1 is missing; 2 <- 1, 3 <- 1, 4 <- (2, 3), 5 <- 4, and 6 waits for something else
        hold(buffer, WALL, 2, 1);
        hold(buffer, WALL, 3, 1);
        hold(buffer, WALL, 4, 2, 3);
        hold(buffer, WALL, 5, 4);
        hold(buffer, WALL, 6, 99);
        final ArrayDeque<Long> cascade = new ArrayDeque<>(List.of(1L));
        Long dead;
        while (null != (dead = cascade.pollFirst()))
        {
            buffer.onDead(dead, m ->
            {
                handedOver.add(m.id());
                cascade.addLast(m.id());
            });
        }
        assertEquals(List.of(2L, 3L, 4L, 5L), handedOver);
        assertEquals(1, buffer.size(), "only 6 is left");
        assertSame(null, buffer.pollTimedOut(WALL + 1, 2), "6 has waited 1 ns, timeout 2 ns");
        assertEquals(6, buffer.pollOldest().id(), "the dead left; 6 is the oldest");
    }

    @Test
    void shouldTimeOutTheOldestHeldMessageExactlyWhenItHasWaitedTheTimeout()
    {
        final HoldBuffer buffer = new HoldBuffer(4, 8);
        hold(buffer, WALL, 10, 1);
        hold(buffer, WALL + 5, 11, 1);
        assertEquals(WALL, buffer.oldestSinceWall());
        assertEquals(99, buffer.oldestAgeNanos(WALL + 99));
        assertNull(buffer.pollTimedOut(WALL + 99, 100), "99 ns of 100");
        assertEquals(10, buffer.pollTimedOut(WALL + 100, 100).id());
        assertNull(buffer.pollTimedOut(WALL + 100, 100), "the next one was held 5 ns later");
        assertEquals(11, buffer.pollTimedOut(WALL + 105, 100).id());
        assertEquals(0, buffer.size());
        assertEquals(0, buffer.oldestSinceWall());
        assertEquals(0, buffer.oldestAgeNanos(WALL + 200));
    }

    @Test
    void shouldNeitherReportNorTimeOutAMessageThatAlreadyLeft()
    {
        final HoldBuffer buffer = new HoldBuffer(4, 8);
        hold(buffer, WALL, 10, 1);
        hold(buffer, WALL + 50, 11, 2);
        buffer.onReleased(1, m -> handedOver.add(m.id()));
        assertEquals(WALL + 50, buffer.oldestSinceWall(), "10 was released: 11 is the oldest");
        assertEquals(0, buffer.oldestAgeNanos(WALL), "never negative");
        assertEquals(11, buffer.pollOldest().id());
        assertNull(buffer.pollOldest());
    }

    @Test
    void shouldNotHandOverAMessageThatTimedOutWhenItsDependencyIsReleasedLater()
    {
        final HoldBuffer buffer = new HoldBuffer(4, 8);
        hold(buffer, WALL, 10, 1, 2);
        assertEquals(10, buffer.pollTimedOut(WALL + 100, 100).id());
        buffer.onReleased(1, m -> handedOver.add(m.id()));
        buffer.onReleased(2, m -> handedOver.add(m.id()));
        buffer.onDead(2, m -> handedOver.add(m.id()));
        assertEquals(List.of(), handedOver);
        assertEquals(0, buffer.size());
    }

    @Test
    void shouldBeFullAtItsCapacityAndHaveRoomAgainOnceOneLeaves()
    {
        final HoldBuffer buffer = new HoldBuffer(2, 8);
        hold(buffer, WALL, 10, 1);
        assertFalse(buffer.isFull());
        hold(buffer, WALL, 11, 2);
        assertTrue(buffer.isFull());
        assertEquals(2, buffer.capacity());
        assertEquals(10, buffer.pollOldest().id());
        assertFalse(buffer.isFull());
        assertEquals(1, buffer.size());
    }
}
