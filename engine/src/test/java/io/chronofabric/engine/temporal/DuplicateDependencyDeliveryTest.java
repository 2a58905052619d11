package io.chronofabric.engine.temporal;

import io.chronofabric.engine.internal.Engine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.Publisher;
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

/**
 * A dependency delivered more than once must not release its dependents more than once.
 *
 * <p>Two ways a dependency reaches the sequencer again exist in the engine: journal replay ({@link ChronoFabric#replay}
 * feeds records as given, so the same record can be fed twice), and recovery, which delivers again what the settlement
 * log does not show as settled. This end-to-end test covers recovery across restarts; the replay cases (a dependency
 * fed twice, dependents fed before their dependency, chains and diamonds released in one pass) only need the
 * sequencer and are driven on the test thread in
 * {@code io.chronofabric.engine.internal.sequencing.TemporalSequencerHoldTest}.
 */
class DuplicateDependencyDeliveryTest
{
    private static final int TYPE = 1;
    private static final long WALL = System.currentTimeMillis() * 1_000_000L;

    @TempDir
    Path dir;

    private int logical;

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
        try (Engine engine = Engine.start(context,
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
        try (Engine engine = Engine.start(context,
            e -> e.subscribe(TYPE, message -> delivered.add(message.id()))))
        {
            assertEquals(0, engine.recoveredMessages());
            final long next = publish(engine.newPublisher(1), TYPE, 6, 3, fresh[1]);
            awaitTrue(() -> delivered.contains(next), () -> "delivered " + delivered);
        }
        assertEquals(1, delivered.size(), "only the new message: " + delivered);
    }
}
