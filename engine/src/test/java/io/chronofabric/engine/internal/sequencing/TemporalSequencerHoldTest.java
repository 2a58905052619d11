package io.chronofabric.engine.internal.sequencing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chronofabric.engine.internal.event.Recovery;
import io.chronofabric.engine.internal.pipeline.StagesOnTestThread;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Causal holding, driven on the test thread: a message whose dependency is not yet released is held, indexed by what
 * it misses, and released right after the last of them, once; held messages never block unrelated traffic; a dependent
 * of a dead message is dead-lettered at once; the dependency window bounds what is tracked; what recovery found settled
 * passes straight on; what is still held at shutdown is dead-lettered ({@code engine_closed}) with its dependents.
 *
 * <p>Replay lets a dependent reach the sequencer before its dependency, which no live publisher can do, and so drives
 * the hold buffer's release path; it can also feed the same record twice.
 */
class TemporalSequencerHoldTest
{
    private static final int TYPE = 1;
    private static final long WALL = SequencerOnTestThread.WALL_START;

    private int logical;

    /** A journaled record, each its own batch, HLC time frozen (held messages cannot time out). */
    private MessageRecord record(final JournalFeed feed, final long id, final int priority, final long... dependencies)
    {
        return feed.record(id, TYPE, priority, WALL, logical++, RecordFlags.BATCH_END, dependencies);
    }

    @Test
    void shouldHoldAMessageWhoseDependencyNeverArrivedWithoutHoldingUpUnrelatedTraffic()
    {
        final SequencerOnTestThread s = SequencerOnTestThread.withDefaults();
        final long first = s.feed.alone(TYPE);
        final long gap = s.feed.gap();
        final long held = s.feed.alone(TYPE, gap);
        assertEquals(1, s.temporal.held());
        assertEquals(1, s.temporal.heldTotalCount());
        assertEquals(5, s.temporal.oldestHeldAgeNanos(WALL + 5), "held since the HLC time it arrived at");
        final long onFirst = s.feed.alone(TYPE, first);
        final long independent = s.feed.alone(TYPE);
        assertEquals(List.of(first, onFirst, independent), s.sink.released(), held + " is held; the rest flows");
        assertEquals(1, s.temporal.held());
        assertEquals(1, s.temporal.heldTotalCount(), "depending on a released message is no hold");
    }

    @Test
    void shouldReleaseHeldDependentsRightAfterTheirDependencyInTheSameWindowWhenItArrivesLate()
    {
        final SequencerOnTestThread s = SequencerOnTestThread.withDefaults();
        s.feed.replay(record(s.feed, 2, 0, 1));
        s.feed.replay(record(s.feed, 3, 0, 2));
        assertEquals(List.of(), s.sink.ids());
        assertEquals(2, s.temporal.held());
        s.feed.replay(record(s.feed, 1, 0));
        assertEquals(List.of(List.of(1L, 2L, 3L)), s.sink.releaseGroups());
        assertEquals(0, s.temporal.held());
        assertEquals(2, s.temporal.heldTotalCount());
    }

    @Test
    void shouldReleaseAHeldDependentOnceWhenItsDependencyIsReplayedTwice()
    {
        final StagesOnTestThread stages = StagesOnTestThread.withDefaults();
        final List<Long> delivered = new ArrayList<>();
        stages.subscribe(TYPE, message -> delivered.add(message.id()));
        stages.feed.replay(record(stages.feed, 2, 0, 1));
        assertEquals(1, stages.temporal.held(), "message 2 held for 1");
        stages.feed.replay(record(stages.feed, 1, 0));
        assertTrue(delivered.contains(2L), "delivered " + delivered);
        stages.feed.replay(record(stages.feed, 1, 0));
        stages.feed.replay(record(stages.feed, 3, 0, 1));
        assertTrue(delivered.contains(3L), "delivered " + delivered);

        final List<Long> order = new ArrayList<>(delivered);
        assertEquals(1, Collections.frequency(order, 2L), "the held dependent is released once: " + order);
        assertEquals(1, Collections.frequency(order, 3L), "a later dependent once: " + order);
        assertTrue(order.indexOf(1L) < order.indexOf(2L), "dependency first: " + order);
        assertEquals(0, stages.temporal.causalityViolations().get());
        assertEquals(0, stages.temporal.held());
        assertEquals(1, stages.temporal.heldTotalCount(), "only message 2 waited for a dependency");
        assertEquals(List.of(1L, 2L, 1L, 3L), order, "the duplicate is passed on as fed");
    }

    @Test
    void shouldReleaseAHeldDependentOnceWhenItsDependencyArrivesTwiceInTheSameWindow()
    {
        final StagesOnTestThread stages = StagesOnTestThread.withDefaults();
        final List<Long> delivered = new ArrayList<>();
        stages.subscribe(TYPE, message -> delivered.add(message.id()));
        final MessageRecord dependent = record(stages.feed, 2, 0, 1);
        dependent.flags(0);
        final MessageRecord firstCopy = record(stages.feed, 1, 0);
        firstCopy.flags(0);
        stages.feed.replay(dependent);
        stages.feed.replay(firstCopy);
        stages.feed.replay(record(stages.feed, 1, 0));
        assertTrue(delivered.contains(2L), "delivered " + delivered);
        stages.feed.replay(record(stages.feed, 4, 0));
        assertTrue(delivered.contains(4L), "delivered " + delivered);
        assertEquals(0, stages.temporal.causalityViolations().get());

        final List<Long> order = new ArrayList<>(delivered);
        assertEquals(1, Collections.frequency(order, 2L), "the held dependent is released once: " + order);
        assertTrue(order.indexOf(1L) < order.indexOf(2L), "dependency first: " + order);
    }

    /**
     * Dependents fed before their dependency are held; the dependency's arrival releases the diamond and the chain
     * below it in one pass, each once, in causal order, and among messages made ready together the higher priority
     * goes first. Feeding the root and a middle message again releases nothing again.
     */
    @Test
    void shouldReleaseHeldChainsAndDiamondsExactlyOnceWhenTheirRootArrivesAndIgnoreItsDuplicates()
    {
        final int last = 20;
        final StagesOnTestThread stages = StagesOnTestThread.withDefaults();
        final JournalFeed feed = stages.feed;
        final List<Long> delivered = new ArrayList<>();
        stages.subscribe(TYPE, message -> delivered.add(message.id()));
        // 1 <- 2, 1 <- 3, (2, 3) <- 4 <- 5 <- ... <- 20, fed from the bottom up
        for (long id = last; id >= 5; id--)
        {
            feed.replay(record(feed, id, (int)(id * 10), id - 1));
        }
        feed.replay(record(feed, 4, 0, 2, 3));
        feed.replay(record(feed, 3, 200, 1));
        feed.replay(record(feed, 2, 0, 1));
        assertEquals(last - 1, stages.temporal.held());
        assertTrue(delivered.isEmpty(), "nothing delivered before the root: " + delivered);

        feed.replay(record(feed, 1, 0));
        assertEquals(last, delivered.size(), "delivered " + delivered);
        feed.replay(record(feed, 1, 0));
        feed.replay(record(feed, 4, 0, 2, 3));
        feed.replay(record(feed, last + 1, 0, 1, 4, last));
        assertTrue(delivered.contains((long)last + 1), "delivered " + delivered);

        final List<Long> order = new ArrayList<>(delivered);
        final List<Long> expected = new ArrayList<>(List.of(1L, 3L, 2L));
        for (long id = 4; id <= last; id++)
        {
            expected.add(id);
        }
        assertEquals(expected, order.subList(0, last), "root, then its dependents made ready together by priority " +
            "(3 has 200, 2 has 0), then the diamond's bottom and the chain");
        for (long id = 2; id <= last + 1; id++)
        {
            if (4 != id)
            {
                assertEquals(1, Collections.frequency(order, id), "message " + id + " delivered once: " + order);
            }
        }
        assertEquals(0, stages.temporal.causalityViolations().get());
        assertEquals(0, stages.temporal.held());
        assertEquals(last - 1, stages.temporal.heldTotalCount());
    }

    @Test
    void shouldDeadLetterADependentOfADeadLetteredMessageAtOnceWithoutHoldingIt()
    {
        final SequencerOnTestThread s = SequencerOnTestThread.builder().holdTimeoutNanos(1_000).build();
        final long gap = s.feed.gap();
        final long held = s.feed.alone(TYPE, gap);
        s.wall.advance(1_000);
        final long trigger = s.feed.alone(TYPE);
        final long late = s.feed.alone(TYPE, held);
        final long later = s.feed.alone(TYPE, trigger, late);
        final Map<Long, DeadLetterReason> expected = new LinkedHashMap<>();
        expected.put(held, DeadLetterReason.DEPENDENCY_TIMEOUT);
        expected.put(late, DeadLetterReason.DEPENDENCY_DEAD_LETTERED);
        expected.put(later, DeadLetterReason.DEPENDENCY_DEAD_LETTERED);
        assertEquals(expected, s.sink.deadLettered());
        assertEquals(List.of(trigger), s.sink.released());
        assertEquals(0, s.temporal.held());
        assertEquals(1, s.temporal.heldTotalCount(), "only the first was held");
    }

    /**
     * {@code dependencies.window} ids are tracked: a dependency further back than that behind the newest released id
     * counts as released (a publisher refuses to declare one), one within it is waited for.
     */
    @Test
    void shouldWaitForADependencyWithinTheDependencyWindowAndCountOneBeyondItAsReleased()
    {
        final SequencerOnTestThread s = SequencerOnTestThread.builder().dependencyWindow(64).build();
        final long oldGap = 5;
        final long recentGap = 40;
        while (s.feed.lastId() < 100)
        {
            if (s.feed.lastId() + 1 == oldGap || s.feed.lastId() + 1 == recentGap)
            {
                s.feed.gap();
            }
            else
            {
                s.feed.alone(TYPE);
            }
        }
        final long onOldGap = s.feed.alone(TYPE, oldGap);
        final long onRecentGap = s.feed.alone(TYPE, recentGap);
        assertTrue(s.sink.released().contains(onOldGap), "100 - 5 > 63: too old to be tracked");
        assertTrue(!s.sink.released().contains(onRecentGap), "101 - 40 <= 63: tracked, never released");
        assertEquals(1, s.temporal.held());
    }

    @Test
    void shouldPassWhatRecoveryFoundSettledStraightOnAndDeadLetterTheDependentsOfWhatWasDeliveredToNone()
    {
        final SequencerOnTestThread s = SequencerOnTestThread.withDefaults();
        s.sequencer.deadBeforeStart(1);
        s.feed.recover(record(s.feed, 2, 0), Recovery.SETTLED_DEAD);
        s.feed.recover(record(s.feed, 3, 0), Recovery.SETTLED);
        assertEquals(List.of(2L, 3L), s.sink.released(), "passed on at once, for delivery to learn from");
        assertEquals(List.of(Recovery.SETTLED_DEAD, Recovery.SETTLED),
            List.of(s.sink.outs().get(0).recovery(), s.sink.outs().get(1).recovery()));
        s.feed.recover(record(s.feed, 4, 0, 1), Recovery.UNSETTLED);
        s.feed.recover(record(s.feed, 5, 0, 2), Recovery.UNSETTLED);
        s.feed.recover(record(s.feed, 6, 0, 3), Recovery.UNSETTLED);
        final Map<Long, DeadLetterReason> expected = new LinkedHashMap<>();
        expected.put(4L, DeadLetterReason.DEPENDENCY_DEAD_LETTERED);
        expected.put(5L, DeadLetterReason.DEPENDENCY_DEAD_LETTERED);
        assertEquals(expected, s.sink.deadLettered());
        assertEquals(List.of(2L, 3L, 6L), s.sink.released());
    }

    @Test
    void shouldReleaseWhatIsReadyAndDeadLetterWhatIsStillHeldWithItsDependentsAtShutdown()
    {
        final SequencerOnTestThread s = SequencerOnTestThread.withDefaults();
        final long ready = s.feed.journalOne(s.feed.message(TYPE), false);
        final long gap = s.feed.gap();
        final long held = s.feed.journalOne(s.feed.message(TYPE).dependsOn(gap), false);
        final long dependent = s.feed.journalOne(s.feed.message(TYPE).dependsOn(held), false);
        assertEquals(List.of(), s.sink.ids());
        assertEquals(2, s.temporal.held());
        s.sequencer.onShutdown();
        assertEquals(List.of(ready, held, dependent), s.sink.ids());
        assertEquals(List.of(ready), s.sink.released());
        final Map<Long, DeadLetterReason> expected = new LinkedHashMap<>();
        expected.put(held, DeadLetterReason.ENGINE_CLOSED);
        expected.put(dependent, DeadLetterReason.DEPENDENCY_DEAD_LETTERED);
        assertEquals(expected, s.sink.deadLettered());
        assertEquals(0, s.temporal.held());
        assertEquals(1, s.sink.closes());
        assertEquals(1, s.sink.starts());
    }
}
