package io.chronofabric.engine.temporal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongPredicate;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.internal.pipeline.RingPublisher;
import io.chronofabric.journal.DeadLetterReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.chronofabric.engine.temporal.TemporalTestSupport.LONG_WRITER;
import static io.chronofabric.engine.temporal.TemporalTestSupport.awaitTrue;
import static io.chronofabric.engine.temporal.TemporalTestSupport.context;
import static io.chronofabric.engine.temporal.TemporalTestSupport.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * "Dependents of a message still being retried wait for it", and a message delivered to none of its subscribers
 * takes its dependents with it: the same for a dependency on another node's message ({@code dependsOn(node, id)}) as
 * for a local one. Node 1; the message depended on is either shipped from node 2 ({@link RingPublisher#remoteOrigin})
 * or local, and its one subscriber fails on it first. Also with a later message of node 2 retried or dead too, 65,536
 * origin ids further (a node's origin ids skip the messages it received, so that is well inside the dependency
 * window).
 */
class CrossNodeDependentOfARetriedMessageTest
{
    private static final int TYPE = 0;
    private static final int OTHER_TYPE = 1;
    private static final long DEPENDED_ON = 100L;
    private static final long LATER = 200L;
    private static final long DEPENDENT = 1L;
    private static final long FAR = 7 + 65_536;
    private static final RetryPolicy SLOW_RETRY = new RetryPolicy(3, 300_000_000L, 300_000_000L, 10_000_000_000L, 100);
    private static final RetryPolicy TWO_QUICK_ATTEMPTS = new RetryPolicy(2, 20_000_000L, 20_000_000L,
        10_000_000_000L, 100);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "dependency shipped from another node: {0}")
    @ValueSource(booleans = {true, false})
    void aDependentWaitsUntilItsDependencyIsDeliveredAfterItsRetry(final boolean crossNode)
    {
        final List<Long> handled = new CopyOnWriteArrayList<>();
        try (ChronoFabric engine = ChronoFabric.start(context(dir).nodeId(1)))
        {
            // the dependent goes to another subscriber, which a retry elsewhere does not hold up otherwise
            subscribeFailing(engine, handled, failingOnce(), SLOW_RETRY);
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
            subscribeFailing(engine, handled, value -> DEPENDED_ON == value, TWO_QUICK_ATTEMPTS);
            subscribeDeadLetters(engine, dead);
            publishPair(engine, crossNode, TYPE);
            awaitTrue(() -> dead.size() == 2, () -> "dead letters: " + dead + ", handled: " + handled);
            sleep(50);
            assertEquals(List.of(), handled, "the dependent of a message no subscriber took is not delivered");
            assertEquals(Map.of(DEPENDED_ON, DeadLetterReason.RETRIES_EXHAUSTED,
                DEPENDENT, DeadLetterReason.DEPENDENCY_DEAD_LETTERED), dead);
        }
    }

    @Test
    void aDependentWaitsForItsDependencysRetryThoughALaterMessageOfThatNodeIsRetriedToo()
    {
        final List<Long> handled = new CopyOnWriteArrayList<>();
        try (ChronoFabric engine = ChronoFabric.start(context(dir).nodeId(1)))
        {
            subscribeFailing(engine, handled, failingOnce(), SLOW_RETRY);
            engine.subscribe(OTHER_TYPE, message -> handled.add(message.payload().getLong(0)));
            final RingPublisher shipper = (RingPublisher)engine.newPublisher(2);
            shipper.remoteOrigin(2, 7, wallNow(), 0).publish(TYPE, LONG_WRITER, DEPENDED_ON);
            // queued behind the retry of (2, 7): pending too
            shipper.remoteOrigin(2, FAR, wallNow(), 0).publish(TYPE, LONG_WRITER, LATER);
            engine.newPublisher(1).dependsOn(2, 7).publish(OTHER_TYPE, LONG_WRITER, DEPENDENT);
            awaitTrue(() -> handled.size() == 3, () -> "handled: " + handled);
            assertEquals(List.of(DEPENDED_ON, LATER, DEPENDENT), handled, "the dependent after its dependency's retry");
            assertEquals(0, engine.stats().temporal().causalityViolations());
        }
    }

    @Test
    void aDependentOfAMessageDeliveredToNoneIsDeadLetteredThoughALaterMessageOfThatNodeWasToo()
    {
        final List<Long> handled = new CopyOnWriteArrayList<>();
        final Map<Long, DeadLetterReason> dead = new ConcurrentHashMap<>();
        try (ChronoFabric engine = ChronoFabric.start(context(dir).nodeId(1)))
        {
            subscribeFailing(engine, handled, value -> DEPENDED_ON == value || LATER == value, TWO_QUICK_ATTEMPTS);
            subscribeDeadLetters(engine, dead);
            final RingPublisher shipper = (RingPublisher)engine.newPublisher(2);
            shipper.remoteOrigin(2, 7, wallNow(), 0).publish(TYPE, LONG_WRITER, DEPENDED_ON);
            shipper.remoteOrigin(2, FAR, wallNow(), 0).publish(TYPE, LONG_WRITER, LATER);
            awaitTrue(() -> dead.size() == 2, () -> "dead letters: " + dead);
            engine.newPublisher(1).dependsOn(2, 7).publish(TYPE, LONG_WRITER, DEPENDENT);
            awaitTrue(() -> dead.size() == 3 || handled.contains(DEPENDENT), () -> "dead: " + dead + ", handled: " +
                handled);
            sleep(50);
            assertEquals(List.of(), handled, "the dependent of a message no subscriber took is not delivered");
            assertEquals(DeadLetterReason.DEPENDENCY_DEAD_LETTERED, dead.get(DEPENDENT), dead::toString);
        }
    }

    /** Subscribes to {@link #TYPE}: a handler that throws for the payloads {@code fails} accepts, else notes them. */
    private static void subscribeFailing(final ChronoFabric engine, final List<Long> handled, final LongPredicate fails,
        final RetryPolicy policy)
    {
        engine.subscribe(TYPE, message ->
        {
            final long value = message.payload().getLong(0);
            if (fails.test(value))
            {
                throw new IllegalStateException("venue busy");
            }
            handled.add(value);
        }, policy);
    }

    /** @return true the first time only. */
    private static LongPredicate failingOnce()
    {
        final boolean[] failed = {false};
        return value ->
        {
            final boolean first = !failed[0];
            failed[0] = true;
            return first;
        };
    }

    private static void subscribeDeadLetters(final ChronoFabric engine, final Map<Long, DeadLetterReason> dead)
    {
        engine.subscribeDeadLetters(letter -> dead.merge(letter.message().payload().getLong(0), letter.reason(),
            (first, second) -> first));
    }

    /** The message depended on (payload 100), then its dependent (payload 1) of {@code dependentType}. */
    private static void publishPair(final ChronoFabric engine, final boolean crossNode, final int dependentType)
    {
        final Publisher local = engine.newPublisher(1);
        if (crossNode)
        {
            final RingPublisher shipper = (RingPublisher)engine.newPublisher(2);
            shipper.remoteOrigin(2, 7, wallNow(), 0).publish(TYPE, LONG_WRITER, DEPENDED_ON);
            local.dependsOn(2, 7).publish(dependentType, LONG_WRITER, DEPENDENT);
        }
        else
        {
            final long dependedOn = local.publish(TYPE, LONG_WRITER, DEPENDED_ON);
            local.dependsOn(dependedOn).publish(dependentType, LONG_WRITER, DEPENDENT);
        }
    }

    private static long wallNow()
    {
        return System.currentTimeMillis() * 1_000_000L;
    }
}
