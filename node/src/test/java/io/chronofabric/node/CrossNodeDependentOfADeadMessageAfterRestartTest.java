package io.chronofabric.node;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.engine.internal.pipeline.RingPublisher;
import io.chronofabric.journal.DeadLetterReason;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "A cross-node dependent is dead-lettered ({@code dependency_dead_lettered}) when the message it names reached none
 * of its subscribers, as a local dependent is": also after a restart. Node 1 (an engine started as a node starts it,
 * {@link Node#restoreOriginFloors}) takes a message shipped from node 2 (origin id 7) or a local one, which its only
 * subscriber fails on until it is dead-lettered; the engine is closed and started again on its journal, and a message
 * depending on it is published. A local dependent is dead-lettered (the settlement log says its dependency was dead);
 * the cross-node one must be too, not delivered.
 */
class CrossNodeDependentOfADeadMessageAfterRestartTest
{
    private static final int TYPE = InProcessNodes.TYPE;
    private static final long DEPENDED_ON = 100L;
    private static final long DEPENDENT = 1L;
    private static final PayloadWriter<Long> LONG_WRITER = (value, buffer) -> buffer.putLong(value);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "dependency shipped from another node: {0}")
    @ValueSource(booleans = {true, false})
    void aDependentOfAMessageDeliveredToNoneBeforeARestartIsDeadLettered(final boolean crossNode) throws Exception
    {
        final List<Long> handled = new CopyOnWriteArrayList<>();
        final Map<Long, DeadLetterReason> dead = new ConcurrentHashMap<>();
        final long dependedOn;
        try (Engine engine = start(handled, dead))
        {
            if (crossNode)
            {
                ((RingPublisher)engine.newPublisher(2)).remoteOrigin(2, 7, System.currentTimeMillis() * 1_000_000L, 0)
                    .publish(TYPE, LONG_WRITER, DEPENDED_ON);
                dependedOn = 0;
            }
            else
            {
                dependedOn = engine.newPublisher(1).publish(TYPE, LONG_WRITER, DEPENDED_ON);
            }
            assertTrue(InProcessNodes.await(() -> dead.containsKey(DEPENDED_ON), 10_000), () -> "dead: " + dead);
        }
        assertEquals(Map.of(DEPENDED_ON, DeadLetterReason.RETRIES_EXHAUSTED), dead);
        dead.clear();
        try (Engine engine = start(handled, dead))
        {
            final Publisher local = engine.newPublisher(1);
            if (crossNode)
            {
                local.dependsOn(2, 7);
            }
            else
            {
                local.dependsOn(dependedOn);
            }
            local.publish(TYPE, LONG_WRITER, DEPENDENT);
            assertTrue(InProcessNodes.await(() -> dead.containsKey(DEPENDENT) || handled.contains(DEPENDENT),
                10_000), () -> "dead: " + dead + ", handled: " + handled);
            Thread.sleep(50);
            assertEquals(List.of(), handled, "the dependent of a message no subscriber took is not delivered");
            assertEquals(Map.of(DEPENDENT, DeadLetterReason.DEPENDENCY_DEAD_LETTERED), dead);
        }
    }

    private Engine start(final List<Long> handled, final Map<Long, DeadLetterReason> dead)
    {
        final EngineConfiguration.Builder builder = EngineConfiguration.builder().nodeId(1)
            .journalDir(dir.resolve("journal-1"));
        builder.set("hold.timeout-ms", "500");
        return Engine.start(builder, engine ->
        {
            engine.subscribe(TYPE, message ->
            {
                final long value = message.payload().getLong(0);
                if (DEPENDED_ON == value)
                {
                    throw new IllegalStateException("venue down");
                }
                handled.add(value);
            }, new RetryPolicy(2, 20_000_000L, 20_000_000L, 10_000_000_000L, 100));
            engine.subscribeDeadLetters(letter -> dead.merge(letter.message().payload().getLong(0), letter.reason(),
                (first, second) -> first));
            Node.restoreOriginFloors(engine);
        });
    }
}
