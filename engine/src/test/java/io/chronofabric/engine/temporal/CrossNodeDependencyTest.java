package io.chronofabric.engine.temporal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.pipeline.RingPublisher;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.RecordLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.temporal.TemporalTestSupport.LONG_WRITER;
import static io.chronofabric.engine.temporal.TemporalTestSupport.awaitTrue;
import static io.chronofabric.engine.temporal.TemporalTestSupport.context;
import static io.chronofabric.engine.temporal.TemporalTestSupport.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cross-node dependencies through the public front, on node 1: a second publisher injects messages "shipped" from
 * nodes 2 and 3 with {@link RingPublisher#remoteOrigin}, as the node layer will. A message depending on (node, origin
 * id) is delivered right after that shipped message, never before; one whose remote dependency never arrives is
 * dead-lettered after the hold timeout, with its dependents; {@code dependsOn(thisNode, id)} is {@code dependsOn(id)}.
 */
class CrossNodeDependencyTest
{
    private static final int TYPE = 0;
    private static final long HOLD_TIMEOUT_NANOS = 300_000_000L;

    @TempDir
    Path dir;

    /** One delivery: the message id and its first dependency (0 when none). */
    private record Delivery(long id, long firstDependency)
    {
    }

    private static long wallNow()
    {
        return System.currentTimeMillis() * 1_000_000L;
    }

    @Test
    void shouldDeliverADependentRightAfterTheShippedMessageItNamesAndDeadLetterOneWhoseDependencyNeverArrives()
    {
        final List<Delivery> delivered = new CopyOnWriteArrayList<>();
        final Map<Long, DeadLetterReason> dead = new ConcurrentHashMap<>();
        try (ChronoFabric engine = ChronoFabric.start(context(dir).nodeId(1).holdTimeoutNanos(HOLD_TIMEOUT_NANOS)))
        {
            engine.subscribe(TYPE, message -> delivered.add(new Delivery(message.id(),
                0 == message.dependencyCount() ? 0 : message.dependency(0))));
            engine.subscribeDeadLetters(letter -> dead.put(letter.message().id(), letter.reason()));
            final Publisher local = engine.newPublisher(1);
            final RingPublisher shipper = (RingPublisher)engine.newPublisher(2);

            final long dependent = local.dependsOn(2, 7).publish(TYPE, LONG_WRITER, 1L);
            final long unrelated = shipper.remoteOrigin(2, 8, wallNow(), 0).publish(TYPE, LONG_WRITER, 2L);
            awaitTrue(() -> delivered.size() == 1, () -> "the unrelated shipped message: " + delivered);
            sleep(50);
            assertEquals(List.of(new Delivery(unrelated, 0)), delivered, "(2, 8) does not stand in for (2, 7)");

            final long shipped = shipper.remoteOrigin(2, 7, wallNow(), 0).publish(TYPE, LONG_WRITER, 3L);
            awaitTrue(() -> delivered.size() == 3, () -> "the dependent after (2, 7): " + delivered);
            assertEquals(List.of(new Delivery(unrelated, 0), new Delivery(shipped, 0),
                new Delivery(dependent, RecordLayout.remoteDependency(2, 7))), delivered);

            // already arrived: delivered at once; on this node's own id: the plain local id
            final long late = local.dependsOn(2, 7).publish(TYPE, LONG_WRITER, 4L);
            final long self = local.dependsOn(1, shipped).publish(TYPE, LONG_WRITER, 5L);
            awaitTrue(() -> delivered.size() == 5, () -> delivered.toString());
            assertEquals(List.of(new Delivery(late, RecordLayout.remoteDependency(2, 7)), new Delivery(self, shipped)),
                delivered.subList(3, 5));

            // never arrives: dependency_timeout after the hold timeout, and its dependent follows it
            final long orphan = local.dependsOn(3, 99).publish(TYPE, LONG_WRITER, 6L);
            final long orphansDependent = local.dependsOn(orphan).publish(TYPE, LONG_WRITER, 7L);
            awaitTrue(() -> dead.size() == 2, () -> "dead letters: " + dead);
            assertEquals(Map.of(orphan, DeadLetterReason.DEPENDENCY_TIMEOUT,
                orphansDependent, DeadLetterReason.DEPENDENCY_DEAD_LETTERED), dead);
            assertEquals(5, delivered.size());
        }
    }

    /**
     * A message the application marks with another node's clock only ({@link Publisher#remoteTimestamp}) is that
     * node's message without an id from it: it names no message of that node, so a dependency on (node, its local
     * id) still waits for the message that node gave that id, and is dead-lettered when it never comes.
     */
    @Test
    void shouldNotTakeAMessageMarkedWithARemoteTimestampOnlyForThePeersMessageOfTheSameId()
    {
        final List<Delivery> delivered = new CopyOnWriteArrayList<>();
        final List<long[]> origins = new CopyOnWriteArrayList<>();
        final Map<Long, DeadLetterReason> dead = new ConcurrentHashMap<>();
        try (ChronoFabric engine = ChronoFabric.start(context(dir).nodeId(1).holdTimeoutNanos(HOLD_TIMEOUT_NANOS)))
        {
            engine.subscribe(TYPE, message ->
            {
                delivered.add(new Delivery(message.id(), 0 == message.dependencyCount() ? 0 : message.dependency(0)));
                origins.add(new long[] {message.originNode(), message.originId()});
            });
            engine.subscribeDeadLetters(letter -> dead.put(letter.message().id(), letter.reason()));
            final Publisher publisher = engine.newPublisher(1);

            final long relayed = publisher.remoteTimestamp(2, wallNow(), 0).publish(TYPE, LONG_WRITER, 1L);
            final long dependent = publisher.dependsOn(2, relayed).publish(TYPE, LONG_WRITER, 2L);
            awaitTrue(() -> dead.size() == 1, () -> "dead letters: " + dead + ", delivered: " + delivered);
            assertEquals(List.of(new Delivery(relayed, 0)), delivered, "(2, " + relayed + ") never arrived");
            assertEquals(Map.of(dependent, DeadLetterReason.DEPENDENCY_TIMEOUT), dead);
            assertEquals(2, origins.get(0)[0], "the node whose clock stamped it");
            assertEquals(0, origins.get(0)[1], "no origin id: that node gave it none");
        }
    }

    @Test
    void shouldRefuseImpossibleRemoteDependenciesAndResetTheOptionsGivenSoFar()
    {
        final List<Delivery> delivered = new CopyOnWriteArrayList<>();
        try (ChronoFabric engine = ChronoFabric.start(context(dir).nodeId(1)))
        {
            engine.subscribe(TYPE, message -> delivered.add(new Delivery(message.id(), message.dependencyCount())));
            final Publisher publisher = engine.newPublisher(1);
            final long first = publisher.publish(TYPE, LONG_WRITER, 1L);
            assertThrows(IllegalArgumentException.class, () -> publisher.dependsOn(2, 7).dependsOn(0, 5));
            assertThrows(IllegalArgumentException.class, () -> publisher.dependsOn(2, 0));
            assertThrows(IllegalArgumentException.class, () -> publisher.dependsOn(2, RecordLayout.MAX_REMOTE_ORIGIN_ID + 1));
            final long plain = publisher.publish(TYPE, LONG_WRITER, 2L);
            // an encoded remote dependency passed as a local id cannot exist, and self with a bad id is a bad local id
            publisher.dependsOn(RecordLayout.remoteDependency(2, 7));
            assertThrows(IllegalArgumentException.class, () -> publisher.publish(TYPE, LONG_WRITER, 3L));
            publisher.dependsOn(1, plain + 10);
            assertThrows(IllegalArgumentException.class, () -> publisher.publish(TYPE, LONG_WRITER, 4L));
            awaitTrue(() -> delivered.size() == 2, () -> delivered.toString());
            assertEquals(List.of(new Delivery(first, 0), new Delivery(plain, 0)), delivered,
                "the failed option calls left no dependency behind");
            assertTrue(publisher.rejected() >= 2);
        }
    }
}
