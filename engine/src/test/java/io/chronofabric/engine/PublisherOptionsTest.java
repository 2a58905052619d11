package io.chronofabric.engine;

import io.chronofabric.engine.internal.Engine;
import java.nio.file.Path;
import java.util.List;

import io.chronofabric.engine.api.ManualWallClock;
import io.chronofabric.journal.MessageRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.EngineTestSupport.SEQUENCE_WRITER;
import static io.chronofabric.engine.EngineTestSupport.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.Publisher;

/**
 * Per-message options reach the journal and the subscriber, apply to one publish only, and are validated.
 */
class PublisherOptionsTest
{
    private static final long T = 1_800_000_000_000_000_000L;
    /** A minute: long enough that no message here can miss it. */
    private static final long DEADLINE_BUDGET = 60_000_000_000L;

    @TempDir
    Path dir;

    /** The deadline is fixed at publish: the (fixed) wall clock plus the budget, less the wait in the ring. */
    private static boolean withinBudget(final long deadlineEpochNanos)
    {
        return deadlineEpochNanos <= T + DEADLINE_BUDGET && deadlineEpochNanos > T + DEADLINE_BUDGET - 5_000_000_000L;
    }

    @Test
    void shouldJournalAndDeliverPriorityDeadlineAndDependenciesForOneMessageOnly()
    {
        final EngineConfiguration context = EngineTestSupport.context(dir).maxDependencies(3)
            .wallClock(new ManualWallClock(T)).build();
        final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Engine engine = EngineTestSupport.startRunning(context))
        {
            engine.subscribe(TYPE, message ->
            {
                final StringBuilder deps = new StringBuilder();
                for (int i = 0; i < message.dependencyCount(); i++)
                {
                    deps.append(0 == i ? "" : ",").append(message.dependency(i));
                }
                // what is left of the budget when the journal stamps it (at most the budget: see below)
                final String deadline = 0 == message.deadlineEpochNanos() ? "0" :
                    withinBudget(message.deadlineEpochNanos()) ? "T+budget" : "off by " +
                    (message.deadlineEpochNanos() - T - DEADLINE_BUDGET);
                seen.add(message.id() + " p" + message.priority() + " d" + deadline + " [" + deps +
                    "] s" + message.source() + " hlc" + message.hlcWall() + "." + message.hlcLogical());
            });
            final Publisher publisher = engine.newPublisher(5);
            final long[] data = {5, 0};
            final long first = publisher.publish(TYPE, SEQUENCE_WRITER, data);
            final long second = publisher.publish(TYPE, SEQUENCE_WRITER, data);
            final long third = publisher.priority(255).deadlineIn(DEADLINE_BUDGET).dependsOn(first).dependsOn(second)
                .publish(TYPE, SEQUENCE_WRITER, data);
            final long fourth = publisher.publish(TYPE, SEQUENCE_WRITER, data);
            assertEquals(5, publisher.source());
            EngineTestSupport.awaitTrue(() -> 4 == seen.size(), 10_000, () -> "seen " + seen);
            // compared as a set: the sequencer may release a higher-priority message ahead of ready ones
            assertEquals(java.util.Set.of(
                first + " p0 d0 [] s5 hlc" + T + ".0",
                second + " p0 d0 [] s5 hlc" + T + ".1",
                third + " p255 dT+budget [" + first + "," + second + "] s5 hlc" + T + ".2",
                fourth + " p0 d0 [] s5 hlc" + T + ".3"), new java.util.HashSet<>(seen));
        }
        final List<MessageRecord> journal = EngineTestSupport.readJournal(context);
        assertEquals(4, journal.size());
        final MessageRecord third = journal.get(2);
        assertEquals(255, third.priority());
        assertTrue(withinBudget(third.deadlineEpochNanos()), "deadline = HLC wall at journaling + what is left of the " +
            "budget after the wait in the ring: " + (third.deadlineEpochNanos() - T - DEADLINE_BUDGET));
        assertEquals(2, third.dependencyCount());
        assertEquals(journal.get(0).id(), third.dependency(0));
        assertEquals(journal.get(1).id(), third.dependency(1));
        assertEquals(5, third.source());
        assertEquals(0, journal.get(3).dependencyCount());
        assertEquals(0, journal.get(3).priority());
        assertEquals(0, journal.get(3).deadlineEpochNanos());
    }

    @Test
    void shouldRejectInvalidOptionsAndTypesAndResetAfterTooManyDependencies()
    {
        final EngineConfiguration context = EngineTestSupport.context(dir).maxDependencies(2).maxMessageTypes(10)
            .build();
        try (Engine engine = EngineTestSupport.startRunning(context))
        {
            final Publisher publisher = engine.newPublisher(1);
            assertThrows(IllegalArgumentException.class, () -> publisher.priority(256));
            assertThrows(IllegalArgumentException.class, () -> publisher.priority(-1));
            assertThrows(IllegalArgumentException.class, () -> publisher.deadlineIn(-1));
            final IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> publisher.dependsOn(1).dependsOn(2).dependsOn(3));
            assertTrue(tooMany.getMessage().contains("at most 2"), tooMany.getMessage());
            final IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> publisher.publish(10, SEQUENCE_WRITER, new long[2]));
            assertTrue(type.getMessage().contains("[0, 9]"), type.getMessage());
            assertThrows(IllegalArgumentException.class, () -> engine.subscribe(-1, message -> { }));
            assertThrows(IllegalArgumentException.class, () -> publisher.publishObject(3, "no codec"));

            // the failed dependsOn chain cleared the options: this message carries none
            publisher.publish(TYPE, SEQUENCE_WRITER, new long[2]);
            engine.close();
            assertEquals(1, engine.stats().published());
            assertEquals(0, engine.stats().rejected(), "invalid arguments are not payload rejections");
        }
        final List<MessageRecord> journal = EngineTestSupport.readJournal(context);
        assertEquals(1, journal.size());
        assertEquals(0, journal.get(0).dependencyCount());
    }
}
