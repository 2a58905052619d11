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
 * "A cross-node dependent is dead-lettered when the message it names reached none of its subscribers", also across a
 * restart, within the dependency window: a cross-node dependency's window counts that node's origin ids
 * ({@code OriginWindows}), not this node's local ids. Node 1 takes node 2's message 7, which its only subscriber
 * fails on until it is dead-lettered, then journals more than {@code dependencies.window} (1,024) messages of its own
 * (a node receiving from busy peers does that while a quiet peer sends nothing). Node 2's message 8 then depends on
 * its message 7: one origin id back. Without a restart it is dead-lettered (control); after one it must be too, but
 * the start reads dead ids only {@code dependencies.window} local ids back, so node 2's message 7 counts as settled
 * and released below node 2's floor, and the dependent is delivered.
 */
class CrossNodeDependentOfADeadMessageFarBackAfterRestartTest
{
    private static final int TYPE = InProcessNodes.TYPE;
    private static final int UNSUBSCRIBED = 2;
    private static final int WINDOW = 1024;
    private static final long DEPENDED_ON = 100L;
    private static final long DEPENDENT = 1L;
    private static final PayloadWriter<Long> LONG_WRITER = (value, buffer) -> buffer.putLong(value);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "restarted in between: {0}")
    @ValueSource(booleans = {true, false})
    void aDependentOfADeadMessageOneOriginIdBackIsDeadLetteredThoughManyLocalIdsCameBetween(final boolean restart)
        throws Exception
    {
        final List<Long> handled = new CopyOnWriteArrayList<>();
        final Map<Long, DeadLetterReason> dead = new ConcurrentHashMap<>();
        Engine engine = start(handled, dead);
        try
        {
            ((RingPublisher)engine.newPublisher(2)).remoteOrigin(2, 7, System.currentTimeMillis() * 1_000_000L, 0)
                .publish(TYPE, LONG_WRITER, DEPENDED_ON);
            final Engine first = engine;
            assertTrue(InProcessNodes.await(() -> dead.containsKey(DEPENDED_ON), 10_000), () -> "dead: " + dead);
            final Publisher own = first.newPublisher(1);
            long last = 0;
            for (int i = 0; i < 2 * WINDOW; i++)
            {
                last = own.publish(UNSUBSCRIBED, LONG_WRITER, (long)i);
            }
            final long lastOwn = last;
            assertTrue(InProcessNodes.await(() -> first.settledWatermark() >= lastOwn, 10_000),
                () -> "settled through " + lastOwn);
            if (restart)
            {
                engine.close();
                engine = start(handled, dead);
            }
            dead.clear();
            final RingPublisher node2 = (RingPublisher)engine.newPublisher(2);
            node2.remoteOrigin(2, 8, System.currentTimeMillis() * 1_000_000L, 0).dependsOn(2, 7)
                .publish(TYPE, LONG_WRITER, DEPENDENT);
            assertTrue(InProcessNodes.await(() -> dead.containsKey(DEPENDENT) || handled.contains(DEPENDENT),
                10_000), () -> "dead: " + dead + ", handled: " + handled);
            Thread.sleep(50);
            assertEquals(List.of(), handled, "the dependent of a message no subscriber took is not delivered");
            assertEquals(Map.of(DEPENDENT, DeadLetterReason.DEPENDENCY_DEAD_LETTERED), dead);
        }
        finally
        {
            engine.close();
        }
    }

    private Engine start(final List<Long> handled, final Map<Long, DeadLetterReason> dead)
    {
        final EngineConfiguration.Builder builder = EngineConfiguration.builder().nodeId(1)
            .journalDir(dir.resolve("journal-1"));
        builder.set("hold.timeout-ms", "500");
        builder.set("dependencies.window", String.valueOf(WINDOW));
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
