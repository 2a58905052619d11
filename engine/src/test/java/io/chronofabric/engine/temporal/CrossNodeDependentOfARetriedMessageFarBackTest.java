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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.temporal.TemporalTestSupport.LONG_WRITER;
import static io.chronofabric.engine.temporal.TemporalTestSupport.awaitTrue;
import static io.chronofabric.engine.temporal.TemporalTestSupport.context;
import static io.chronofabric.engine.temporal.TemporalTestSupport.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * "Dependents of a message still being retried wait for it" and "a cross-node dependent is dead-lettered when its
 * dependency reached none of its subscribers", for a dependency on node 2's message 7 after node 2's message 7 +
 * 65,536 was also retried or dead here. A node's origin ids are its local ids, so they skip every message it received
 * from others: two of node 2's messages 65,536 origin ids apart can be minutes apart, well inside
 * {@code dependencies.window} (default 1,048,576), the horizon within which local dependents keep these promises.
 */
class CrossNodeDependentOfARetriedMessageFarBackTest
{
    private static final int TYPE = 0;
    private static final int OTHER_TYPE = 1;
    private static final long DEPENDED_ON = 100L;
    private static final long LATER = 200L;
    private static final long DEPENDENT = 1L;
    private static final long FAR = 7 + 65_536;

    @TempDir
    Path dir;

    private static long wallNow()
    {
        return System.currentTimeMillis() * 1_000_000L;
    }

    @Test
    void aDependentWaitsForItsDependencysRetryThoughALaterMessageOfThatNodeIsRetriedToo()
    {
        final List<Long> handled = new CopyOnWriteArrayList<>();
        final boolean[] failedOnce = {false};
        try (ChronoFabric engine = ChronoFabric.start(context(dir).nodeId(1)))
        {
            engine.subscribe(TYPE, message ->
            {
                if (!failedOnce[0])
                {
                    failedOnce[0] = true;
                    throw new IllegalStateException("venue busy, once");
                }
                handled.add(message.payload().getLong(0));
            }, new RetryPolicy(3, 300_000_000L, 300_000_000L, 10_000_000_000L, 100));
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
            engine.subscribe(TYPE, message ->
            {
                final long value = message.payload().getLong(0);
                if (DEPENDED_ON == value || LATER == value)
                {
                    throw new IllegalStateException("venue down");
                }
                handled.add(value);
            }, new RetryPolicy(2, 20_000_000L, 20_000_000L, 10_000_000_000L, 100));
            engine.subscribeDeadLetters(letter -> dead.merge(letter.message().payload().getLong(0), letter.reason(),
                (first, second) -> first));
            final RingPublisher shipper = (RingPublisher)engine.newPublisher(2);
            shipper.remoteOrigin(2, 7, wallNow(), 0).publish(TYPE, LONG_WRITER, DEPENDED_ON);
            shipper.remoteOrigin(2, FAR, wallNow(), 0).publish(TYPE, LONG_WRITER, LATER);
            awaitTrue(() -> dead.size() == 2, () -> "dead letters: " + dead);
            final Publisher local = engine.newPublisher(1);
            local.dependsOn(2, 7).publish(TYPE, LONG_WRITER, DEPENDENT);
            awaitTrue(() -> dead.size() == 3 || handled.contains(DEPENDENT), () -> "dead: " + dead + ", handled: " +
                handled);
            sleep(50);
            assertEquals(List.of(), handled, "the dependent of a message no subscriber took is not delivered");
            assertEquals(DeadLetterReason.DEPENDENCY_DEAD_LETTERED, dead.get(DEPENDENT), dead::toString);
        }
    }
}
