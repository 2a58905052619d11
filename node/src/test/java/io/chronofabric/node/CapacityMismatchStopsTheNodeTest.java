package io.chronofabric.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A record this node cannot take (here a peer with a larger payload.capacity; equally a type beyond types.max) stops
 * the node loudly with the cause, instead of being skipped by Aeron's poll and asked for again every heartbeat: the
 * subscriber error handler rethrows, the conductor records the failure and awaitPeersDone names it.
 */
class CapacityMismatchStopsTheNodeTest
{
    @TempDir
    Path tmp;

    @Test
    void aRecordThisNodeCannotTakeFailsTheNodeLoudlyInsteadOfLoopingOnResends() throws Exception
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
            final String why = node2.awaitPeersDone(Duration.ofSeconds(6));
            final PeerStatus seen = InProcessNodes.peer(node2, 1);
            assertNotNull(why);
            assertTrue(null != engine2.failure() || why.contains("capacit"),
                "node 2 neither failed nor named the cause: '" + why + "'; engine failure " + engine2.failure() +
                "; its status for peer 1: " + seen);
            assertTrue(seen.resendsRequested() < 10, "node 2 loops on resends of the record it cannot take: " + seen);
        }
    }
}
