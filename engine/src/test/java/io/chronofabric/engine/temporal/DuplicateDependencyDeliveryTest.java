package io.chronofabric.engine.temporal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.Publisher;
import io.chronofabric.engine.api.TemporalStats;
import io.chronofabric.engine.api.ManualWallClock;
import io.chronofabric.journal.JournalWriter;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.temporal.TemporalTestSupport.awaitTrue;
import static io.chronofabric.engine.temporal.TemporalTestSupport.context;
import static io.chronofabric.engine.temporal.TemporalTestSupport.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dependency delivered more than once must not release its dependents more than once.
 *
 * <p>Two ways a dependency reaches the sequencer again exist in the engine: journal replay ({@link ChronoFabric#replay}
 * feeds records as given, so the same record can be fed twice), and recovery, which delivers again what the latency
 * trace does not show as delivered. Replay also lets a dependent reach the sequencer before its dependency, which no
 * live publisher can do (ids grow in publish order), and so exercises the hold buffer's release path: a dependent held
 * for a dependency that then arrives, with chains and diamonds released in one pass.
 */
class DuplicateDependencyDeliveryTest
{
    private static final int TYPE = 1;
    private static final long WALL = System.currentTimeMillis() * 1_000_000L;

    @TempDir
    Path dir;

    private int logical;

    /** A replay engine on a frozen wall clock: held messages cannot time out while the test feeds records. */
    private EngineConfiguration.Builder replayContext()
    {
        return context(dir.resolve("replay")).wallClock(new ManualWallClock(WALL));
    }

    private MessageRecord record(final long id, final int priority, final long... dependencies)
    {
        final MessageRecord record = new MessageRecord(8, 256);
        record.clear();
        record.id(id).type(TYPE).source(9).priority(priority).hlc(WALL, logical++).flags(RecordFlags.BATCH_END);
        record.dependencyCount(dependencies.length);
        for (int i = 0; i < dependencies.length; i++)
        {
            record.dependency(i, dependencies[i]);
        }
        record.payload()[0] = (byte)id;
        record.payloadLength(1);
        return record;
    }

    @Test
    void shouldReleaseAHeldDependentOnceWhenItsDependencyIsReplayedTwice()
    {
        final List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
        final TemporalStats stats;
        try (ChronoFabric engine = ChronoFabric.start(replayContext()))
        {
            engine.subscribe(TYPE, message -> delivered.add(message.id()));
            engine.replay(record(2, 0, 1));
            awaitTrue(() -> 1 == engine.temporal().held(), () -> "message 2 held for 1: " + engine.temporal().held());
            engine.replay(record(1, 0));
            awaitTrue(() -> delivered.contains(2L), () -> "delivered " + delivered);
            engine.replay(record(1, 0));
            engine.replay(record(3, 0, 1));
            awaitTrue(() -> delivered.contains(3L), () -> "delivered " + delivered);
            stats = engine.stats().temporal();
        }
        final List<Long> order = new ArrayList<>(delivered);
        assertEquals(1, Collections.frequency(order, 2L), "the held dependent is released once: " + order);
        assertEquals(1, Collections.frequency(order, 3L), "a later dependent once: " + order);
        assertTrue(order.indexOf(1L) < order.indexOf(2L), "dependency first: " + order);
        assertEquals(0, stats.causalityViolations());
        assertEquals(0, stats.heldNow());
        assertEquals(1, stats.held(), "only message 2 waited for a dependency");
    }

    @Test
    void shouldReleaseAHeldDependentOnceWhenItsDependencyArrivesTwiceInTheSameWindow()
    {
        final List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
        try (ChronoFabric engine = ChronoFabric.start(replayContext()))
        {
            engine.subscribe(TYPE, message -> delivered.add(message.id()));
            final MessageRecord dependent = record(2, 0, 1);
            dependent.flags(0);
            final MessageRecord firstCopy = record(1, 0);
            firstCopy.flags(0);
            engine.replay(dependent);
            engine.replay(firstCopy);
            engine.replay(record(1, 0));
            awaitTrue(() -> delivered.contains(2L), () -> "delivered " + delivered);
            engine.replay(record(4, 0));
            awaitTrue(() -> delivered.contains(4L), () -> "delivered " + delivered);
            assertEquals(0, engine.stats().temporal().causalityViolations());
        }
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
        final List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
        final TemporalStats stats;
        try (ChronoFabric engine = ChronoFabric.start(replayContext()))
        {
            engine.subscribe(TYPE, message -> delivered.add(message.id()));
            // 1 <- 2, 1 <- 3, (2, 3) <- 4 <- 5 <- ... <- 20, fed from the bottom up
            for (long id = last; id >= 5; id--)
            {
                engine.replay(record(id, (int)(id * 10), id - 1));
            }
            engine.replay(record(4, 0, 2, 3));
            engine.replay(record(3, 200, 1));
            engine.replay(record(2, 0, 1));
            awaitTrue(() -> last - 1 == engine.temporal().held(), () -> "held now: " + engine.temporal().held());
            assertTrue(delivered.isEmpty(), "nothing delivered before the root: " + delivered);

            engine.replay(record(1, 0));
            awaitTrue(() -> delivered.size() >= last, () -> "delivered " + delivered);
            engine.replay(record(1, 0));
            engine.replay(record(4, 0, 2, 3));
            engine.replay(record(last + 1, 0, 1, 4, last));
            awaitTrue(() -> delivered.contains((long)last + 1), () -> "delivered " + delivered);
            stats = engine.stats().temporal();
        }
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
        assertEquals(0, stats.causalityViolations());
        assertEquals(0, stats.heldNow());
        assertEquals(last - 1, stats.held());
    }

    /**
     * Recovery: a dependency and its dependents were journaled but never traced as delivered (the process died in
     * between); the next engine delivers them again, once each, in causal order, before new messages that depend on
     * them, and the engine after that delivers none of them again.
     */
    @Test
    void shouldDeliverRecoveredDependenciesAndTheirDependentsOnceEachAcrossRestarts()
    {
        final EngineConfiguration context = context(dir).build();
        try (JournalWriter writer = new JournalWriter(dir, "FAST_DAILY", 8, 256))
        {
            writer.append(record(1, 0));
            writer.append(record(2, 50, 1));
            writer.append(record(3, 255, 1, 2));
        }
        final List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
        final long[] fresh = new long[2];
        try (ChronoFabric engine = ChronoFabric.start(context,
            e -> e.subscribe(TYPE, message -> delivered.add(message.id()))))
        {
            assertEquals(3, engine.recoveredMessages());
            final Publisher publisher = engine.newPublisher(1);
            fresh[0] = publish(publisher.priority(255), TYPE, 4, 3);
            fresh[1] = publish(publisher, TYPE, 5, 2, fresh[0]);
            awaitTrue(() -> delivered.size() >= 5, () -> "delivered " + delivered);
            assertEquals(0, engine.stats().temporal().causalityViolations());
        }
        assertEquals(List.of(1L, 2L, 3L, fresh[0], fresh[1]), new ArrayList<>(delivered));

        delivered.clear();
        try (ChronoFabric engine = ChronoFabric.start(context,
            e -> e.subscribe(TYPE, message -> delivered.add(message.id()))))
        {
            assertEquals(0, engine.recoveredMessages());
            final long next = publish(engine.newPublisher(1), TYPE, 6, 3, fresh[1]);
            awaitTrue(() -> delivered.contains(next), () -> "delivered " + delivered);
        }
        assertEquals(1, delivered.size(), "only the new message: " + delivered);
    }
}
