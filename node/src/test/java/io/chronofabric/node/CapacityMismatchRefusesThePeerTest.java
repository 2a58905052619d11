package io.chronofabric.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A record this node cannot take (here a peer with a larger payload.capacity; equally a type beyond types.max) refuses
 * the peer that sent it, loudly and with the cause, instead of being skipped by Aeron's poll and asked for again every
 * heartbeat: the peer is told why and stops; this node runs on, and names the refused peer as what it waits for.
 */
class CapacityMismatchRefusesThePeerTest
{
    @TempDir
    Path tmp;

    @Test
    void aRecordThisNodeCannotTakeRefusesItsSenderWhichStopsSayingWhyWhileThisNodeRunsOn() throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        try (Engine engine1 = InProcessNodes.engine(tmp, 1, Map.of("payload.capacity", "1024"));
             Engine engine2 = InProcessNodes.engine(tmp, 2, Map.of("payload.capacity", "256"));
             Node node1 = InProcessNodes.node(tmp, engine1, port1, 2, port2);
             Node node2 = InProcessNodes.node(tmp, engine2, port2, 1, port1))
        {
            final Publisher publisher = engine1.newPublisher(7);
            long last = publisher.publish(InProcessNodes.TYPE, (value, buffer) -> buffer.put(new byte[600]), null);
            for (int i = 0; i < 20; i++)
            {
                last = publisher.publish(InProcessNodes.TYPE, (value, buffer) -> buffer.putLong(value), (long)i);
            }
            node1.endOfStream(last);
            node2.endOfStream(0);

            assertTrue(InProcessNodes.await(() -> null != node1.failure(), 10_000), "the refused node 1 stops");
            assertInstanceOf(PeerRefusedException.class, node1.failure());
            assertTrue(node1.failure().getMessage().startsWith("peer 2 refuses node 1: it sent a "),
                node1.failure()::toString);
            assertTrue(node1.failure().getMessage().contains("payload.capacity=256"), node1.failure()::toString);

            final String why = node2.awaitPeersDone(Duration.ofMillis(500));
            assertTrue(null != why && why.contains("peer 1 (refused) because it sent a ") &&
                why.contains("the same capacities"), why);
            // peers() is a snapshot refreshed each heartbeat
            assertTrue(InProcessNodes.await(() -> PeerState.REFUSED == InProcessNodes.peer(node2, 1).state(), 1_000),
                () -> "peer 1 on node 2: " + InProcessNodes.peer(node2, 1));
            final PeerStatus seen = InProcessNodes.peer(node2, 1);
            assertNull(node2.failure(), "the refusing node runs on");
            assertNull(engine2.failure());
            assertTrue(seen.resendsRequested() < 10, "node 2 loops on resends of the record it cannot take: " + seen);
        }
    }
}
