package io.chronofabric.engine.temporal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.internal.pipeline.RingPublisher;
import io.chronofabric.journal.DeadLetterReason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.temporal.TemporalTestSupport.LONG_WRITER;
import static io.chronofabric.engine.temporal.TemporalTestSupport.awaitTrue;
import static io.chronofabric.engine.temporal.TemporalTestSupport.context;
import static io.chronofabric.engine.temporal.TemporalTestSupport.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * "Dependents of a message still being retried wait for it", and a message delivered to none of its subscribers
 * takes its dependents with it: the same for a dependency on another node's message ({@code dependsOn(node, id)}) as
 * for a local one. Node 1; the message depended on is either shipped from node 2 ({@link RingPublisher#remoteOrigin})
 * or local, and its one subscriber fails on it first.
 */
class CrossNodeDependentOfARetriedMessageTest
{
    private static final int TYPE = 0;
    private static final int OTHER_TYPE = 1;
    private static final long DEPENDED_ON = 100L;
    private static final long DEPENDENT = 1L;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "dependency shipped from another node: {0}")
    @ValueSource(booleans = {true, false})
    void aDependentWaitsUntilItsDependencyIsDeliveredAfterItsRetry(final boolean crossNode)
    {
        final List<Long> handled = new CopyOnWriteArrayList<>();
        final boolean[] failedOnce = {false};
        try (ChronoFabric engine = ChronoFabric.start(context(dir).nodeId(1)))
        {
            // the dependent goes to another subscriber, which a retry elsewhere does not hold up otherwise
            engine.subscribe(TYPE, message ->
            {
                if (!failedOnce[0])
                {
                    failedOnce[0] = true;
                    throw new IllegalStateException("venue busy, once");
                }
                handled.add(message.payload().getLong(0));
            }, new RetryPolicy(3, 200_000_000L, 200_000_000L, 10_000_000_000L, 100));
            engine.subscribe(OTHER_TYPE, message -> handled.add(message.payload().getLong(0)));
            publishPair(engine, crossNode, OTHER_TYPE);
            awaitTrue(() -> handled.size() == 2, () -> "handled: " + handled);
            assertEquals(List.of(DEPENDED_ON, DEPENDENT), handled, "the dependent after its dependency's retry");
            assertEquals(0, engine.stats().temporal().causalityViolations());
        }
    }

    @ParameterizedTest(name = "dependency shipped from another node: {0}")
    @ValueSource(booleans = {true, false})
    void aDependentOfAMessageDeliveredToNoneOfItsSubscribersIsDeadLettered(final boolean crossNode)
    {
        final List<Long> handled = new CopyOnWriteArrayList<>();
        final Map<Long, DeadLetterReason> dead = new ConcurrentHashMap<>();
        try (ChronoFabric engine = ChronoFabric.start(context(dir).nodeId(1)))
        {
            engine.subscribe(TYPE, message ->
            {
                final long value = message.payload().getLong(0);
                if (DEPENDED_ON == value)
                {
                    throw new IllegalStateException("venue down");
                }
                handled.add(value);
            }, new RetryPolicy(2, 50_000_000L, 50_000_000L, 10_000_000_000L, 100));
            engine.subscribeDeadLetters(letter -> dead.merge(letter.message().payload().getLong(0), letter.reason(),
                (first, second) -> first));
            publishPair(engine, crossNode, TYPE);
            awaitTrue(() -> dead.size() == 2, () -> "dead letters: " + dead + ", handled: " + handled);
            sleep(50);
            assertEquals(List.of(), handled, "the dependent of a message no subscriber took is not delivered");
            assertEquals(Map.of(DEPENDED_ON, DeadLetterReason.RETRIES_EXHAUSTED,
                DEPENDENT, DeadLetterReason.DEPENDENCY_DEAD_LETTERED), dead);
        }
    }

    /** The message depended on (payload 100), then its dependent (payload 1) of {@code dependentType}. */
    private static void publishPair(final ChronoFabric engine, final boolean crossNode, final int dependentType)
    {
        final Publisher local = engine.newPublisher(1);
        if (crossNode)
        {
            final RingPublisher shipper = (RingPublisher)engine.newPublisher(2);
            shipper.remoteOrigin(2, 7, System.currentTimeMillis() * 1_000_000L, 0).publish(TYPE, LONG_WRITER,
                DEPENDED_ON);
            local.dependsOn(2, 7).publish(dependentType, LONG_WRITER, DEPENDENT);
        }
        else
        {
            final long dependedOn = local.publish(TYPE, LONG_WRITER, DEPENDED_ON);
            local.dependsOn(dependedOn).publish(dependentType, LONG_WRITER, DEPENDENT);
        }
    }
}
