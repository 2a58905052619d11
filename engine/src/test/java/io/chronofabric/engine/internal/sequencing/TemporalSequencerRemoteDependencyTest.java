package io.chronofabric.engine.internal.sequencing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.chronofabric.engine.api.HoldOverflowPolicy;
import io.chronofabric.engine.internal.event.Recovery;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;
import io.chronofabric.journal.RecordLayout;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Cross-node dependencies in the sequencer, on the test thread: a dependency on (node, origin id) is satisfied only
 * once the message that node shipped with that origin id was released here (or passed as settled by recovery, or lies
 * at or below the node's floor), and dead once it was dead-lettered here; until then the dependent is held, under the
 * same timeout, transitive dead-letter and overflow rules as for a local id.
 */
class TemporalSequencerRemoteDependencyTest
{
    private static final int TYPE = 1;
    private static final long WALL = SequencerOnTestThread.WALL_START;
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(1);

    private static long remote(final int node, final long originId)
    {
        return RecordLayout.remoteDependency(node, originId);
    }

    private static Map<Long, DeadLetterReason> dead(final Object... idsAndReasons)
    {
        final Map<Long, DeadLetterReason> dead = new LinkedHashMap<>();
        for (int i = 0; i < idsAndReasons.length; i += 2)
        {
            dead.put((Long)idsAndReasons[i], (DeadLetterReason)idsAndReasons[i + 1]);
        }
        return dead;
    }

    private static SequencerOnTestThread sequencer()
    {
        return SequencerOnTestThread.builder().holdTimeoutNanos(TIMEOUT).build();
    }

    @Test
    void shouldHoldADependentUntilTheRemoteMessageArrivesThenReleaseItRightAfter()
    {
        final SequencerOnTestThread s = sequencer();
        final long dependent = s.feed.alone(TYPE, remote(2, 7));
        assertEquals(List.of(), s.sink.ids());
        assertEquals(1, s.temporal.held());
        final long otherNode = s.feed.alone(s.feed.message(TYPE).shipped(3, 7));
        final long otherId = s.feed.alone(s.feed.message(TYPE).shipped(2, 6));
        final long local = s.feed.alone(TYPE);
        assertEquals(List.of(otherNode, otherId, local), s.sink.ids(), "only (2, 7) itself satisfies it");
        final long shipped = s.feed.alone(s.feed.message(TYPE).shipped(2, 7));
        assertEquals(List.of(otherNode, otherId, local, shipped, dependent), s.sink.ids());
        assertEquals(0, s.temporal.held());
        assertEquals(Map.of(), s.sink.deadLettered());
    }

    @Test
    void shouldNotTakeALaterMessageOfTheSameNodeForTheMissingOne()
    {
        final SequencerOnTestThread s = sequencer();
        final long dependent = s.feed.alone(TYPE, remote(2, 7));
        final long later = s.feed.alone(s.feed.message(TYPE).shipped(2, 8));
        assertEquals(List.of(later), s.sink.ids(), "the rule is exact: (2, 8) does not stand in for (2, 7)");
        s.wall.advance(TIMEOUT);
        s.feed.idle();
        assertEquals(dead(dependent, DeadLetterReason.DEPENDENCY_TIMEOUT), s.sink.deadLettered());
    }

    @Test
    void shouldReleaseADependentAtOnceWhenTheRemoteMessageWasAlreadyReleased()
    {
        final SequencerOnTestThread s = sequencer();
        final long shipped = s.feed.alone(s.feed.message(TYPE).shipped(2, 7));
        final long dependent = s.feed.alone(TYPE, remote(2, 7));
        assertEquals(List.of(shipped, dependent), s.sink.ids());
        assertEquals(0, s.temporal.heldTotal().get(), "never held");
    }

    @Test
    void shouldHoldADependentOnARemoteMessageOfTheSameWindowInTheHoldBufferAndReleaseItInTheSameGroup()
    {
        final SequencerOnTestThread s = sequencer();
        final long shipped = s.feed.publish(s.feed.message(TYPE).shipped(2, 7));
        final long dependent = s.feed.publish(TYPE, remote(2, 7));
        s.feed.endBatch();
        assertEquals(List.of(List.of(shipped, dependent)), s.sink.releaseGroups());
        assertEquals(1, s.temporal.heldTotal().get(), "held in the hold buffer, not chained in the window");
    }

    @Test
    void shouldTimeOutADependentWhoseRemoteMessageNeverArrivesAndDeadLetterItsDependentsTransitively()
    {
        final SequencerOnTestThread s = sequencer();
        final long held = s.feed.alone(TYPE, remote(2, 7));
        s.wall.advance(10);
        final long dependent = s.feed.alone(TYPE, held);
        s.wall.set(WALL + TIMEOUT - 1);
        s.feed.idle();
        assertEquals(Map.of(), s.sink.deadLettered());
        s.wall.set(WALL + TIMEOUT);
        s.feed.idle();
        assertEquals(dead(held, DeadLetterReason.DEPENDENCY_TIMEOUT, dependent,
            DeadLetterReason.DEPENDENCY_DEAD_LETTERED), s.sink.deadLettered());
        assertEquals(List.of(held, dependent), s.sink.ids());
        assertEquals(0, s.temporal.held());
    }

    @Test
    void shouldDeadLetterDependentsOfARemoteMessageThatWasDeadLettered()
    {
        final SequencerOnTestThread s = sequencer();
        final long gap = s.feed.gap();
        final long shipped = s.feed.alone(s.feed.message(TYPE).shipped(2, 7).dependsOn(gap));
        final long heldDependent = s.feed.alone(TYPE, remote(2, 7));
        s.wall.advance(TIMEOUT);
        s.feed.idle();
        final long lateDependent = s.feed.alone(TYPE, remote(2, 7));
        assertEquals(dead(shipped, DeadLetterReason.DEPENDENCY_TIMEOUT,
            heldDependent, DeadLetterReason.DEPENDENCY_DEAD_LETTERED,
            lateDependent, DeadLetterReason.DEPENDENCY_DEAD_LETTERED), s.sink.deadLettered());
    }

    @Test
    void shouldDeadLetterARemoteDependentOnHoldOverflowLikeALocalOne()
    {
        final SequencerOnTestThread s = SequencerOnTestThread.builder().holdTimeoutNanos(TIMEOUT).holdCapacity(1)
            .holdOverflow(HoldOverflowPolicy.DEAD_LETTER_OLDEST).build();
        final long oldest = s.feed.alone(TYPE, remote(2, 7));
        final long newest = s.feed.alone(TYPE, remote(2, 8));
        assertEquals(dead(oldest, DeadLetterReason.HOLD_OVERFLOW), s.sink.deadLettered());
        final long shipped = s.feed.alone(s.feed.message(TYPE).shipped(2, 8));
        assertEquals(List.of(oldest, shipped, newest), s.sink.ids());
    }

    @Test
    void shouldWaitForBothLocalAndRemoteDependencies()
    {
        final SequencerOnTestThread s = sequencer();
        final long local = s.feed.alone(TYPE, remote(3, 1));
        final long mixed = s.feed.alone(TYPE, local, remote(2, 7));
        final long fromTwo = s.feed.alone(s.feed.message(TYPE).shipped(2, 7));
        assertEquals(List.of(fromTwo), s.sink.ids(), "still waits for the local one");
        final long fromThree = s.feed.alone(s.feed.message(TYPE).shipped(3, 1));
        assertEquals(List.of(fromTwo, fromThree, local, mixed), s.sink.ids());
        // and the other way round: the local one first, the remote one last
        s.sink.clear();
        final long plain = s.feed.alone(TYPE);
        final long both = s.feed.alone(TYPE, plain, remote(2, 9));
        assertEquals(List.of(plain), s.sink.ids());
        final long nine = s.feed.alone(s.feed.message(TYPE).shipped(2, 9));
        assertEquals(List.of(plain, nine, both), s.sink.ids());
    }

    @Test
    void shouldChainARemoteDependentThroughItsShippedDependencysLocalIdToo()
    {
        final SequencerOnTestThread s = sequencer();
        final long shipped = s.feed.publish(s.feed.message(TYPE).shipped(2, 7));
        final long byLocalId = s.feed.publish(TYPE, shipped);
        final long byOriginId = s.feed.publish(TYPE, remote(2, 7), byLocalId);
        s.feed.endBatch();
        assertEquals(List.of(shipped, byLocalId, byOriginId), s.sink.ids());
    }

    @Test
    void shouldTreatOriginIdsAtOrBelowTheFloorAsReleased()
    {
        final SequencerOnTestThread s = sequencer();
        s.sequencer.originFloor(2, 10);
        final long atFloor = s.feed.alone(TYPE, remote(2, 10));
        final long below = s.feed.alone(TYPE, remote(2, 1));
        final long above = s.feed.alone(TYPE, remote(2, 11));
        final long otherNode = s.feed.alone(TYPE, remote(3, 10));
        assertEquals(List.of(atFloor, below), s.sink.ids());
        final long eleven = s.feed.alone(s.feed.message(TYPE).shipped(2, 11));
        assertEquals(List.of(atFloor, below, eleven, above), s.sink.ids());
        assertEquals(1, s.temporal.held(), "node 3 has no floor");
        s.feed.alone(s.feed.message(TYPE).shipped(3, 10));
        assertEquals(otherNode, (long)s.sink.ids().get(s.sink.ids().size() - 1));
    }

    @Test
    void shouldLetRecoveredSettledShippedMessagesSatisfyOrKillDependentsRecoveredBeforeOrAfterThem()
    {
        final SequencerOnTestThread s = sequencer();
        final MessageRecord waitsForTwelve = s.feed.record(1, TYPE, 0, WALL, 0, RecordFlags.BATCH_END, remote(2, 12));
        final MessageRecord waitsForThirteen = s.feed.record(2, TYPE, 0, WALL, 1, RecordFlags.BATCH_END,
            remote(2, 13));
        final MessageRecord twelve = shipped(s.feed.record(3, TYPE, 0, WALL, 2, RecordFlags.BATCH_END), 2, 12);
        final MessageRecord thirteen = shipped(s.feed.record(4, TYPE, 0, WALL, 3, RecordFlags.BATCH_END), 2, 13);
        final MessageRecord afterTwelve = s.feed.record(5, TYPE, 0, WALL, 4, RecordFlags.BATCH_END, remote(2, 12));
        final MessageRecord afterThirteen = s.feed.record(6, TYPE, 0, WALL, 5, RecordFlags.BATCH_END, remote(2, 13));
        s.feed.recover(waitsForTwelve, Recovery.UNSETTLED);
        s.feed.recover(waitsForThirteen, Recovery.UNSETTLED);
        assertEquals(2, s.temporal.held());
        s.feed.recover(twelve, Recovery.SETTLED);
        s.feed.recover(thirteen, Recovery.SETTLED_DEAD);
        s.feed.recover(afterTwelve, Recovery.UNSETTLED);
        s.feed.recover(afterThirteen, Recovery.UNSETTLED);
        assertEquals(List.of(3L, 1L, 5L), s.sink.released().stream().filter(id -> id != 4L).toList());
        assertEquals(dead(2L, DeadLetterReason.DEPENDENCY_DEAD_LETTERED, 6L,
            DeadLetterReason.DEPENDENCY_DEAD_LETTERED), s.sink.deadLettered());
        assertEquals(0, s.temporal.held());
    }

    private static MessageRecord shipped(final MessageRecord record, final int node, final long originId)
    {
        return record.originNode(node).originId(originId).flags(record.flags() | RecordFlags.REMOTE);
    }
}
