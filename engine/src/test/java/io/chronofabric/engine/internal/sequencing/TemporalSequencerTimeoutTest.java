package io.chronofabric.engine.internal.sequencing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.chronofabric.engine.internal.event.Recovery;
import io.chronofabric.engine.internal.pipeline.RecordingDeadLetters;
import io.chronofabric.engine.internal.pipeline.StagesOnTestThread;
import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.RecordFlags;
import io.chronofabric.journal.RecordLayout;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hold timeout, driven on the test thread with clocks that move only when told to. A message held longer than
 * {@code hold.timeout-ms} of HLC time is dead-lettered ({@code dependency_timeout}), and everything depending on it,
 * transitively ({@code dependency_dead_lettered}), dependency first. HLC time is, when a window ends, the HLC wall of
 * its last message (so a replay takes the same decisions), and on an idle tick the later of the wall clock and the
 * last HLC time plus the monotonic time since it arrived (so a wall clock stepping back cannot keep a message held); a
 * replay, and recovery until its last message, run on the journal's time only.
 */
class TemporalSequencerTimeoutTest
{
    private static final int TYPE = 1;
    private static final long WALL = SequencerOnTestThread.WALL_START;
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(1);

    /** What the delivery thread saw, in order: a delivery or a dead letter. */
    private record Event(boolean dead, long id, DeadLetterReason reason, int subscriber, int attempts)
    {
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

    @Test
    void shouldDeadLetterAHeldMessageOnceAnArrivingMessagesHlcTimeShowsItWaitedTheHoldTimeout()
    {
        final SequencerOnTestThread s = SequencerOnTestThread.builder().holdTimeoutNanos(TIMEOUT).build();
        final long first = s.feed.alone(TYPE);
        final long gap = s.feed.gap();
        s.wall.advance(10);
        final long held = s.feed.alone(TYPE, gap);
        s.wall.set(WALL + 10 + TIMEOUT - 1);
        final long justBefore = s.feed.alone(TYPE);
        assertEquals(1, s.temporal.held(), "held for 1 ns less than the timeout");
        s.wall.advance(1);
        final long atTimeout = s.feed.alone(TYPE);
        assertEquals(List.of(first, justBefore, atTimeout, held), s.sink.ids(),
            "timeouts are checked as the arriving message's window ends, after its release");
        assertEquals(dead(held, DeadLetterReason.DEPENDENCY_TIMEOUT), s.sink.deadLettered());
        assertEquals(0, s.temporal.held());
    }

    @Test
    void shouldTimeOutAgainstTheWallClockOnAnIdleTickWhenItIsAheadOfTheLastHlcTime()
    {
        final SequencerOnTestThread s = SequencerOnTestThread.builder().holdTimeoutNanos(TIMEOUT).build();
        final long held = s.feed.alone(TYPE, s.feed.gap());
        s.wall.set(WALL + TIMEOUT - 1);
        s.feed.idle();
        assertEquals(Map.of(), s.sink.deadLettered());
        assertEquals(TIMEOUT - 1, s.temporal.oldestHeldAgeNanos(s.wall.epochNanos()));
        s.wall.advance(1);
        s.feed.idle();
        assertEquals(dead(held, DeadLetterReason.DEPENDENCY_TIMEOUT), s.sink.deadLettered(),
            "the monotonic clock did not move: the wall clock decided");
    }

    @Test
    void shouldTimeOutAgainstTheLastHlcTimePlusTheMonotonicTimeSinceOnAnIdleTickWhenTheWallClockSteppedBack()
    {
        final SequencerOnTestThread s = SequencerOnTestThread.builder().holdTimeoutNanos(TIMEOUT).build();
        final long held = s.feed.alone(TYPE, s.feed.gap());
        s.wall.advance(-TimeUnit.SECONDS.toNanos(10));
        s.clock.advance(TIMEOUT - 1);
        s.feed.idle();
        assertEquals(Map.of(), s.sink.deadLettered());
        s.clock.advance(1);
        s.feed.idle();
        assertEquals(dead(held, DeadLetterReason.DEPENDENCY_TIMEOUT), s.sink.deadLettered());
    }

    /**
     * A remote timestamp moves HLC time ahead by at most {@code hlc.max-offset-ms}: with the offset below the timeout,
     * a message stamped 400 ms ahead does not time out a hold that is nanoseconds old.
     */
    @Test
    void shouldNotTimeOutEarlyWhenAMessageStampedAheadByAnotherNodeArrives()
    {
        final SequencerOnTestThread s = SequencerOnTestThread.builder().holdTimeoutNanos(TIMEOUT).build();
        final long held = s.feed.alone(TYPE, s.feed.gap());
        final long remote = s.feed.alone(s.feed.message(TYPE)
            .remoteTimestamp(WALL + TimeUnit.MILLISECONDS.toNanos(400), 0));
        final long tooFarAhead = s.feed.alone(s.feed.message(TYPE).remoteTimestamp(WALL + TIMEOUT, 0));
        assertEquals(List.of(remote, tooFarAhead), s.sink.released(),
            "the one 1 s ahead is beyond hlc.max-offset-ms and stamped locally");
        assertEquals(Map.of(), s.sink.deadLettered(), "message " + held + " is held still");
        assertEquals(1, s.temporal.held());
    }

    @Test
    void shouldTimeOutHoldsOnTheJournalsTimeWhenReplayingWhateverTheWallClockSays()
    {
        final SequencerOnTestThread s = SequencerOnTestThread.builder().holdTimeoutNanos(TIMEOUT).build();
        s.feed.replay(s.feed.record(2, TYPE, 0, WALL, 0, RecordFlags.BATCH_END, 1));
        s.wall.set(WALL + TimeUnit.DAYS.toNanos(1));
        s.feed.idle();
        assertEquals(1, s.temporal.held(), "a journal a day old: its messages did not wait a day");
        s.clock.advance(TIMEOUT - 1);
        s.feed.idle();
        assertEquals(1, s.temporal.held());
        s.clock.advance(1);
        s.feed.idle();
        assertEquals(dead(2L, DeadLetterReason.DEPENDENCY_TIMEOUT), s.sink.deadLettered(),
            "the journal's time, extrapolated while idle");
    }

    @Test
    void shouldTimeOutRecoveredHoldsOnTheJournalsTimeUntilALiveMessageArrives()
    {
        final SequencerOnTestThread s = SequencerOnTestThread.builder().holdTimeoutNanos(TIMEOUT).build();
        s.feed.recover(s.feed.record(2, TYPE, 0, WALL - TimeUnit.DAYS.toNanos(1), 0, RecordFlags.BATCH_END, 1),
            Recovery.UNSETTLED);
        s.feed.idle();
        assertEquals(1, s.temporal.held(), "recovered a day after it was journaled: it did not wait while down");
        s.feed.alone(TYPE);
        assertEquals(dead(2L, DeadLetterReason.DEPENDENCY_TIMEOUT), s.sink.deadLettered(),
            "a live message's HLC time is today's");
    }

    /**
     * A journal batch whose HLC times span more than the hold timeout (the journal stalled while publishers went on):
     * a message whose dependency arrived in the same window, itself waiting on another there, is not waiting for a
     * dependency that may never come. It is released after them at the window's end, never timed out; only what
     * waits on an id that did not arrive times out.
     */
    @Test
    void shouldNotTimeOutAMessageWhoseDependenciesArrivedInTheSameWindowHoweverLongTheWindowSpans()
    {
        final SequencerOnTestThread s = SequencerOnTestThread.builder().holdTimeoutNanos(TIMEOUT).build();
        final long root = s.feed.journalOne(s.feed.message(TYPE), false);
        final long waiter = s.feed.journalOne(s.feed.message(TYPE).dependsOn(root), false);
        final long second = s.feed.journalOne(s.feed.message(TYPE).dependsOn(waiter), false);
        final long third = s.feed.journalOne(s.feed.message(TYPE).dependsOn(second, root), false);
        final long gap = s.feed.gap();
        final long onGap = s.feed.journalOne(s.feed.message(TYPE).dependsOn(gap), false);
        s.wall.advance(TIMEOUT);
        final long late = s.feed.journalOne(s.feed.message(TYPE).dependsOn(third), true);
        assertEquals(dead(onGap, DeadLetterReason.DEPENDENCY_TIMEOUT), s.sink.deadLettered(),
            "only the message waiting on an id that never arrived timed out");
        assertEquals(List.of(root, waiter, second, third, late), s.sink.released(), "the rest in causal order");
        assertEquals(0, s.temporal.held());
    }

    /** The same for a dependency on another node's message, which always waits in the hold buffer. */
    @Test
    void shouldNotTimeOutAMessageWhoseCrossNodeDependencyArrivedInTheSameWindowHoweverLongTheWindowSpans()
    {
        final SequencerOnTestThread s = SequencerOnTestThread.builder().holdTimeoutNanos(TIMEOUT).build();
        final long shipped = s.feed.journalOne(s.feed.message(TYPE).shipped(2, 77), false);
        final long dependent = s.feed.journalOne(s.feed.message(TYPE)
            .dependsOn(RecordLayout.remoteDependency(2, 77)), false);
        final long onMissing = s.feed.journalOne(s.feed.message(TYPE)
            .dependsOn(RecordLayout.remoteDependency(2, 78)), false);
        s.wall.advance(TIMEOUT);
        final long late = s.feed.journalOne(s.feed.message(TYPE), true);
        assertEquals(dead(onMissing, DeadLetterReason.DEPENDENCY_TIMEOUT), s.sink.deadLettered(),
            "only the message waiting on a message that never arrived timed out");
        assertEquals(List.of(shipped, dependent, late), s.sink.released());
    }

    @Test
    void shouldDeadLetterChainsAndDiamondsOnATimedOutMessageDependencyFirst()
    {
        final SequencerOnTestThread s = SequencerOnTestThread.builder().holdTimeoutNanos(TIMEOUT).build();
        final long first = s.feed.alone(TYPE);
        final long root = s.feed.alone(TYPE, s.feed.gap());
        final long left = s.feed.alone(TYPE, root);
        final long right = s.feed.alone(TYPE, root);
        final long bottom = s.feed.alone(TYPE, left, right);
        final long below = s.feed.alone(TYPE, bottom);
        final long mixed = s.feed.alone(TYPE, first, bottom);
        assertEquals(6, s.temporal.held());
        s.wall.advance(TIMEOUT);
        s.feed.idle();
        assertEquals(dead(root, DeadLetterReason.DEPENDENCY_TIMEOUT, left, DeadLetterReason.DEPENDENCY_DEAD_LETTERED,
            right, DeadLetterReason.DEPENDENCY_DEAD_LETTERED, bottom, DeadLetterReason.DEPENDENCY_DEAD_LETTERED,
            below, DeadLetterReason.DEPENDENCY_DEAD_LETTERED, mixed, DeadLetterReason.DEPENDENCY_DEAD_LETTERED),
            s.sink.deadLettered());
        assertEquals(0, s.temporal.held());
        assertEquals(0, s.temporal.oldestHeldAgeNanos(s.wall.epochNanos()));
    }

    /**
     * A dependency that never arrives: the message waiting for it is dead-lettered after the hold timeout, and
     * everything depending on it, transitively (chains and diamonds); the dead letters are journaled and handed to
     * the dead-letter subscribers; none of them is ever delivered; unrelated traffic flows meanwhile.
     */
    @Test
    void shouldDeadLetterAMissingDependencysDependentsTransitivelyAfterTheHoldTimeout()
    {
        final long holdTimeout = 50_000_000L;
        final StagesOnTestThread stages = StagesOnTestThread.builder().holdTimeoutNanos(holdTimeout).build();
        final JournalFeed feed = stages.feed;
        final List<Event> events = new ArrayList<>();
        final Set<Long> unrelated = new HashSet<>();
        final long[] chain = new long[3];
        final long[] diamond = new long[3];
        stages.subscribe(TYPE, message -> events.add(new Event(false, message.id(), null, 0, 0)));
        stages.subscribeDeadLetters(dead -> events.add(new Event(true, dead.message().id(), dead.reason(),
            dead.subscriberId(), dead.attempts())));
        final long before = feed.alone(TYPE);
        unrelated.add(before);
        final long gap = feed.gap();
        final long root = feed.alone(TYPE, gap);
        assertEquals(gap + 1, root, "the failed publish consumed exactly one id");
        chain[0] = feed.alone(TYPE, root);
        chain[1] = feed.alone(TYPE, chain[0]);
        chain[2] = feed.alone(TYPE, chain[1]);
        diamond[0] = feed.alone(TYPE, root);
        diamond[1] = feed.alone(TYPE, root);
        diamond[2] = feed.alone(TYPE, diamond[0], diamond[1]);
        final long mixed = feed.alone(TYPE, before, diamond[2]);
        long previous = before;
        for (int i = 0; i < 100; i++)
        {
            previous = feed.alone(TYPE, 0 == i % 2 ? before : previous);
            unrelated.add(previous);
        }
        final Set<Long> doomed = Set.of(root, chain[0], chain[1], chain[2], diamond[0], diamond[1], diamond[2],
            mixed);
        assertEquals(Set.of(), deadIds(events), "nothing before the hold timeout");
        stages.wall.advance(holdTimeout);
        stages.clock.advance(holdTimeout);
        stages.idle();
        assertEquals(doomed, deadIds(events));

        // after the cascade: a new dependent of a dead-lettered message goes at once; a new dependent of the gap
        // is held again and times out on its own
        final long late = feed.alone(TYPE, chain[2]);
        final long heldAgain = feed.alone(TYPE, gap);
        assertTrue(deadIds(events).contains(late));
        assertTrue(!deadIds(events).contains(heldAgain), "held again, for a hold timeout of its own");
        stages.wall.advance(holdTimeout);
        stages.clock.advance(holdTimeout);
        stages.idle();
        assertTrue(deadIds(events).containsAll(Set.of(late, heldAgain)), "dead letters so far: " + deadIds(events));
        assertTrue(deliveredIds(events).containsAll(unrelated), "delivered " + deliveredIds(events));

        final Set<Long> delivered = deliveredIds(events);
        assertEquals(unrelated, delivered, "exactly the unrelated messages are delivered, each once");
        assertEquals(unrelated.size(), events.stream().filter(event -> !event.dead()).count(), "no duplicates");
        final Map<Long, DeadLetterReason> reasons = events.stream().filter(Event::dead)
            .collect(Collectors.toMap(Event::id, Event::reason));
        assertEquals(10, events.stream().filter(Event::dead).count(), "each doomed message dead-lettered once");
        assertEquals(DeadLetterReason.DEPENDENCY_TIMEOUT, reasons.get(root));
        assertEquals(DeadLetterReason.DEPENDENCY_TIMEOUT, reasons.get(heldAgain));
        for (final long id : new long[] {chain[0], chain[1], chain[2], diamond[0], diamond[1], diamond[2], mixed, late})
        {
            assertEquals(DeadLetterReason.DEPENDENCY_DEAD_LETTERED, reasons.get(id), "message " + id);
        }
        for (final Event event : events)
        {
            if (event.dead())
            {
                assertEquals(DeadLetterJournal.WHOLE_MESSAGE, event.subscriber(), event.toString());
                assertEquals(0, event.attempts(), event.toString());
            }
        }
        final List<Long> deadOrder = events.stream().filter(Event::dead).map(Event::id).collect(Collectors.toList());
        assertTrue(deadOrder.indexOf(root) < deadOrder.indexOf(chain[0]) &&
            deadOrder.indexOf(chain[0]) < deadOrder.indexOf(chain[1]) &&
            deadOrder.indexOf(chain[1]) < deadOrder.indexOf(chain[2]) &&
            deadOrder.indexOf(diamond[0]) < deadOrder.indexOf(diamond[2]) &&
            deadOrder.indexOf(diamond[1]) < deadOrder.indexOf(diamond[2]) &&
            deadOrder.indexOf(diamond[2]) < deadOrder.indexOf(mixed), "cascade goes dependency first: " + deadOrder);

        final List<RecordingDeadLetters.Letter> journaled = stages.deadLetterLog.letters();
        assertEquals(deadOrder, journaled.stream().map(RecordingDeadLetters.Letter::messageId)
            .collect(Collectors.toList()), "the dead-letter journal holds the same records in the same order");
        for (final RecordingDeadLetters.Letter record : journaled)
        {
            assertEquals(reasons.get(record.messageId()), record.reason(), record.toString());
            assertEquals(TYPE, record.type(), record.toString());
            assertEquals(DeadLetterJournal.WHOLE_MESSAGE, record.subscriberId(), record.toString());
            assertEquals(0, record.attempts(), record.toString());
            assertTrue(record.epochNanos() > 0, record.toString());
        }
        assertEquals(journaled.size(), stages.deadLetterLog.synced(), "made durable at the end of each batch");
        assertEquals(2, stages.temporal.deadLetters(DeadLetterReason.DEPENDENCY_TIMEOUT));
        assertEquals(8, stages.temporal.deadLetters(DeadLetterReason.DEPENDENCY_DEAD_LETTERED));
        assertEquals(10, stages.temporal.deadLettersTotal());
        assertEquals(0, stages.temporal.held());
        assertEquals(0, stages.temporal.oldestHeldAgeNanos(stages.wall.epochNanos()));
        assertEquals(0, stages.temporal.causalityViolations().get());
    }

    /**
     * With a wall clock the test moves by hand, the hold timeout cannot fire by accident: held messages sit in the
     * buffer (their age reported exactly) while a thousand unrelated messages are delivered, and go to the dead
     * letters only once the clock passes the timeout.
     */
    @Test
    void shouldDeliverUnrelatedTrafficWhileMessagesAreHeldAndOnlyThenTimeThemOut()
    {
        final long holdTimeout = TimeUnit.SECONDS.toNanos(1);
        final StagesOnTestThread stages = StagesOnTestThread.builder().holdTimeoutNanos(holdTimeout).build();
        final JournalFeed feed = stages.feed;
        final List<Event> events = new ArrayList<>();
        final Set<Long> held = new HashSet<>();
        final Set<Long> unrelated = new HashSet<>();
        stages.subscribe(TYPE, message -> events.add(new Event(false, message.id(), null, 0, 0)));
        stages.subscribe(TYPE + 1, message -> events.add(new Event(false, message.id(), null, 0, 0)));
        stages.subscribeDeadLetters(dead -> events.add(new Event(true, dead.message().id(), dead.reason(),
            dead.subscriberId(), dead.attempts())));
        final long first = feed.alone(TYPE);
        unrelated.add(first);
        final long gap = feed.gap();
        final long root = feed.alone(TYPE, gap);
        held.add(root);
        held.add(feed.alone(TYPE + 1, root));
        held.add(feed.alone(TYPE, root, first));
        assertEquals(3, stages.temporal.held());

        stages.wall.advance(holdTimeout * 3 / 5);
        assertEquals(holdTimeout * 3 / 5, stages.temporal.oldestHeldAgeNanos(stages.wall.epochNanos()),
            "the oldest held message's age, measured against the wall clock");
        long previous = first;
        for (int i = 0; i < 1_000; i++)
        {
            final JournalFeed.Msg message = feed.message(TYPE + i % 2).priority(i % 3 * 100);
            previous = 0 == i % 3 ? feed.alone(message.dependsOn(first))
                : 1 == i % 3 ? feed.alone(message.dependsOn(previous))
                : feed.alone(message);
            unrelated.add(previous);
        }
        assertTrue(deliveredIds(events).containsAll(unrelated), deliveredIds(events).size() + " of " +
            unrelated.size() + " unrelated messages delivered");
        assertTrue(deadIds(events).isEmpty(), "nothing timed out before the clock passed the timeout: " +
            deadIds(events));
        assertEquals(3, stages.temporal.held(), "the held messages are still held");

        stages.wall.advance(holdTimeout);
        stages.idle();
        assertEquals(held, deadIds(events));
        assertEquals(0, stages.temporal.held());
        assertEquals(0, stages.temporal.causalityViolations().get());

        int firstDead = -1;
        for (int i = 0; i < events.size(); i++)
        {
            if (events.get(i).dead() && firstDead < 0)
            {
                firstDead = i;
            }
        }
        assertEquals(unrelated.size(), firstDead, "every unrelated message was delivered while the others were held");
        assertEquals(unrelated, deliveredIds(events));
        assertEquals(held, stages.deadLetterLog.letters().stream().map(RecordingDeadLetters.Letter::messageId)
            .collect(Collectors.toSet()));
    }

    /**
     * The wall clock runs with real time (here: with the monotonic clock), then steps back 10 s, as an NTP correction
     * can: the held message still goes to the dead letters 100 ms after it was held, not 10 s later.
     */
    @Test
    void shouldStillTimeOutAHeldMessageWhenTheWallClockStepsBack()
    {
        final long holdTimeout = TimeUnit.MILLISECONDS.toNanos(100);
        final StagesOnTestThread stages = StagesOnTestThread.builder().holdTimeoutNanos(holdTimeout).build();
        final List<Long> dead = new ArrayList<>();
        stages.subscribeDeadLetters(letter -> dead.add(letter.message().id()));
        stages.feed.alone(TYPE);
        final long held = stages.feed.alone(TYPE, stages.feed.gap());
        final long heldAt = stages.clock.nanoTime();
        assertEquals(1, stages.temporal.held());
        stages.wall.advance(-TimeUnit.SECONDS.toNanos(10));
        stages.feed.alone(TYPE);
        final long tick = TimeUnit.MILLISECONDS.toNanos(1);
        while (dead.isEmpty() && stages.clock.nanoTime() - heldAt < TimeUnit.SECONDS.toNanos(2))
        {
            stages.wall.advance(tick);
            stages.clock.advance(tick);
            stages.idle();
        }
        assertEquals(List.of(held), dead, "held with hold.timeout-ms=100, yet still held 2 s after the wall clock " +
            "stepped back 10 s: held now " + stages.temporal.held());
        assertEquals(holdTimeout, stages.clock.nanoTime() - heldAt, "on the first idle tick 100 ms after the hold");
    }

    private static Set<Long> deadIds(final List<Event> events)
    {
        return events.stream().filter(Event::dead).map(Event::id).collect(Collectors.toSet());
    }

    private static Set<Long> deliveredIds(final List<Event> events)
    {
        return events.stream().filter(event -> !event.dead()).map(Event::id).collect(Collectors.toSet());
    }
}
