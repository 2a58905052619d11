package io.chronofabric.engine.temporal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.Publisher;
import io.chronofabric.engine.api.TemporalStats;
import io.chronofabric.engine.api.ManualWallClock;
import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.DeadLetterRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.temporal.TemporalTestSupport.awaitTrue;
import static io.chronofabric.engine.temporal.TemporalTestSupport.context;
import static io.chronofabric.engine.temporal.TemporalTestSupport.deadLetters;
import static io.chronofabric.engine.temporal.TemporalTestSupport.publish;
import static io.chronofabric.engine.temporal.TemporalTestSupport.publishGap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dependency that never arrives: the message waiting for it is dead-lettered after {@code hold.timeout-ms} with
 * reason {@code dependency_timeout}, and everything depending on it, transitively (chains and diamonds), with reason
 * {@code dependency_dead_lettered}; the dead letters are journaled and handed to the dead-letter subscribers; none of
 * them is ever delivered; unrelated traffic flows meanwhile.
 */
class DependencyTimeoutTest
{
    private static final int TYPE = 1;
    private static final long HOLD_TIMEOUT_NANOS = 50_000_000L;

    @TempDir
    Path dir;

    /** What the delivery thread saw, in order: a delivery or a dead letter. */
    private record Event(boolean dead, long id, DeadLetterReason reason, int subscriber, int attempts)
    {
    }

    @Test
    void shouldDeadLetterAMissingDependencysDependentsTransitivelyAfterTheHoldTimeout()
    {
        final EngineConfiguration context = context(dir).holdTimeoutNanos(HOLD_TIMEOUT_NANOS).build();
        final List<Event> events = Collections.synchronizedList(new ArrayList<>());
        final Set<Long> unrelated = new HashSet<>();
        final long root;
        final long[] chain = new long[3];
        final long[] diamond = new long[3];
        final long mixed;
        final long late;
        final long heldAgain;
        final TemporalStats stats;
        try (ChronoFabric engine = ChronoFabric.start(context))
        {
            engine.subscribe(TYPE, message -> events.add(new Event(false, message.id(), null, 0, 0)));
            engine.subscribeDeadLetters(dead -> events.add(new Event(true, dead.message().id(), dead.reason(),
                dead.subscriberId(), dead.attempts())));
            final Publisher publisher = engine.newPublisher(1);
            final long before = publish(publisher, TYPE, 0);
            unrelated.add(before);
            final long gap = publishGap(publisher, TYPE, before);
            root = publish(publisher, TYPE, 1, gap);
            assertEquals(gap + 1, root, "the failed publish consumed exactly one id");
            chain[0] = publish(publisher, TYPE, 2, root);
            chain[1] = publish(publisher, TYPE, 3, chain[0]);
            chain[2] = publish(publisher, TYPE, 4, chain[1]);
            diamond[0] = publish(publisher, TYPE, 5, root);
            diamond[1] = publish(publisher, TYPE, 6, root);
            diamond[2] = publish(publisher, TYPE, 7, diamond[0], diamond[1]);
            mixed = publish(publisher, TYPE, 8, before, diamond[2]);
            long previous = before;
            for (int i = 0; i < 100; i++)
            {
                previous = publish(publisher, TYPE, 100 + i, 0 == i % 2 ? before : previous);
                unrelated.add(previous);
            }
            final Set<Long> doomed = Set.of(root, chain[0], chain[1], chain[2], diamond[0], diamond[1], diamond[2],
                mixed);
            awaitTrue(() -> deadIds(events).containsAll(doomed), () -> "dead letters so far: " + deadIds(events));

            // after the cascade: a new dependent of a dead-lettered message goes at once; a new dependent of the gap
            // is held again and times out on its own
            late = publish(publisher, TYPE, 9, chain[2]);
            heldAgain = publish(publisher, TYPE, 10, gap);
            awaitTrue(() -> deadIds(events).containsAll(Set.of(late, heldAgain)),
                () -> "dead letters so far: " + deadIds(events));
            awaitTrue(() -> deliveredIds(events).containsAll(unrelated), () -> "delivered " + deliveredIds(events));
            stats = engine.stats().temporal();
        }

        final List<Event> seen = new ArrayList<>(events);
        final Set<Long> delivered = deliveredIds(seen);
        assertEquals(unrelated, delivered, "exactly the unrelated messages are delivered, each once");
        assertEquals(unrelated.size(), seen.stream().filter(event -> !event.dead()).count(), "no duplicates");
        final Map<Long, DeadLetterReason> reasons = seen.stream().filter(Event::dead)
            .collect(Collectors.toMap(Event::id, Event::reason));
        assertEquals(10, seen.stream().filter(Event::dead).count(), "each doomed message dead-lettered once");
        assertEquals(DeadLetterReason.DEPENDENCY_TIMEOUT, reasons.get(root));
        assertEquals(DeadLetterReason.DEPENDENCY_TIMEOUT, reasons.get(heldAgain));
        for (final long id : new long[] {chain[0], chain[1], chain[2], diamond[0], diamond[1], diamond[2], mixed, late})
        {
            assertEquals(DeadLetterReason.DEPENDENCY_DEAD_LETTERED, reasons.get(id), "message " + id);
        }
        for (final Event event : seen)
        {
            if (event.dead())
            {
                assertEquals(DeadLetterJournal.WHOLE_MESSAGE, event.subscriber(), event.toString());
                assertEquals(0, event.attempts(), event.toString());
            }
        }
        final List<Long> deadOrder = seen.stream().filter(Event::dead).map(Event::id).collect(Collectors.toList());
        assertTrue(deadOrder.indexOf(root) < deadOrder.indexOf(chain[0]) &&
            deadOrder.indexOf(chain[0]) < deadOrder.indexOf(chain[1]) &&
            deadOrder.indexOf(chain[1]) < deadOrder.indexOf(chain[2]) &&
            deadOrder.indexOf(diamond[0]) < deadOrder.indexOf(diamond[2]) &&
            deadOrder.indexOf(diamond[1]) < deadOrder.indexOf(diamond[2]) &&
            deadOrder.indexOf(diamond[2]) < deadOrder.indexOf(mixed), "cascade goes dependency first: " + deadOrder);

        final List<DeadLetterRecord> journaled = deadLetters(dir);
        assertEquals(deadOrder, journaled.stream().map(DeadLetterRecord::messageId).collect(Collectors.toList()),
            "the dead-letter journal holds the same records in the same order");
        for (final DeadLetterRecord record : journaled)
        {
            assertEquals(reasons.get(record.messageId()), record.reason(), record.toString());
            assertEquals(TYPE, record.type(), record.toString());
            assertEquals(DeadLetterJournal.WHOLE_MESSAGE, record.subscriberId(), record.toString());
            assertEquals(0, record.attempts(), record.toString());
            assertTrue(record.epochNanos() > 0, record.toString());
        }
        assertEquals(2, stats.deadLetters().get(DeadLetterReason.DEPENDENCY_TIMEOUT));
        assertEquals(8, stats.deadLetters().get(DeadLetterReason.DEPENDENCY_DEAD_LETTERED));
        assertEquals(10, stats.deadLettersTotal());
        assertEquals(0, stats.heldNow());
        assertEquals(0, stats.oldestHeldAgeNanos());
        assertEquals(0, stats.causalityViolations());
    }

    /**
     * With a wall clock the test moves by hand, the hold timeout cannot fire by accident: held messages sit in the
     * buffer (their age reported exactly) while a thousand unrelated messages are delivered, and go to the dead
     * letters only once the clock passes the timeout.
     */
    @Test
    void shouldDeliverUnrelatedTrafficWhileMessagesAreHeldAndOnlyThenTimeThemOut()
    {
        final ManualWallClock clock = new ManualWallClock(System.currentTimeMillis() * 1_000_000L);
        final long holdTimeout = TimeUnit.SECONDS.toNanos(1);
        final EngineConfiguration context = context(dir).wallClock(clock).holdTimeoutNanos(holdTimeout).build();
        final List<Event> events = Collections.synchronizedList(new ArrayList<>());
        final Set<Long> held = new HashSet<>();
        final Set<Long> unrelated = new HashSet<>();
        try (ChronoFabric engine = ChronoFabric.start(context))
        {
            engine.subscribe(TYPE, message -> events.add(new Event(false, message.id(), null, 0, 0)));
            engine.subscribe(TYPE + 1, message -> events.add(new Event(false, message.id(), null, 0, 0)));
            engine.subscribeDeadLetters(dead -> events.add(new Event(true, dead.message().id(), dead.reason(),
                dead.subscriberId(), dead.attempts())));
            final Publisher publisher = engine.newPublisher(1);
            final long first = publish(publisher, TYPE, 0);
            unrelated.add(first);
            final long gap = publishGap(publisher, TYPE, first);
            final long root = publish(publisher, TYPE, 1, gap);
            held.add(root);
            held.add(publish(publisher, TYPE + 1, 2, root));
            held.add(publish(publisher, TYPE, 3, root, first));
            awaitTrue(() -> 3 == engine.temporal().held(), () -> "held now: " + engine.temporal().held());

            clock.advance(holdTimeout * 3 / 5);
            assertEquals(holdTimeout * 3 / 5, engine.stats().temporal().oldestHeldAgeNanos(),
                "the oldest held message's age, measured against the wall clock");
            long previous = first;
            for (int i = 0; i < 1_000; i++)
            {
                publisher.priority(i % 3 * 100);
                previous = 0 == i % 3 ? publish(publisher, TYPE + i % 2, 10 + i, first)
                    : 1 == i % 3 ? publish(publisher, TYPE + i % 2, 10 + i, previous)
                    : publish(publisher, TYPE + i % 2, 10 + i);
                unrelated.add(previous);
            }
            awaitTrue(() -> deliveredIds(events).containsAll(unrelated), () -> deliveredIds(events).size() + " of " +
                unrelated.size() + " unrelated messages delivered");
            assertTrue(deadIds(events).isEmpty(), "nothing timed out before the clock passed the timeout: " +
                deadIds(events));
            assertEquals(3, engine.temporal().held(), "the held messages are still held");

            clock.advance(holdTimeout);
            awaitTrue(() -> deadIds(events).equals(held), () -> "dead letters so far: " + deadIds(events));
            awaitTrue(() -> 0 == engine.temporal().held(), () -> "held now: " + engine.temporal().held());
            assertEquals(0, engine.stats().temporal().causalityViolations());
        }
        final List<Event> seen = new ArrayList<>(events);
        int firstDead = -1;
        for (int i = 0; i < seen.size(); i++)
        {
            if (seen.get(i).dead() && firstDead < 0)
            {
                firstDead = i;
            }
        }
        assertEquals(unrelated.size(), firstDead, "every unrelated message was delivered while the others were held");
        assertEquals(unrelated, deliveredIds(seen));
        assertEquals(held, deadLetters(dir).stream().map(DeadLetterRecord::messageId).collect(Collectors.toSet()));
    }

    private static Set<Long> deadIds(final List<Event> events)
    {
        synchronized (events)
        {
            return events.stream().filter(Event::dead).map(Event::id).collect(Collectors.toSet());
        }
    }

    private static Set<Long> deliveredIds(final List<Event> events)
    {
        synchronized (events)
        {
            return events.stream().filter(event -> !event.dead()).map(Event::id).collect(Collectors.toSet());
        }
    }
}
