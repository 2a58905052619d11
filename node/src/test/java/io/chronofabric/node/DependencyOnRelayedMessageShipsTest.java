package io.chronofabric.node;

import java.nio.file.Path;
import java.util.Map;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An application on node 1 relays a message stamped with node 2's clock only ({@code remoteTimestamp}: origin id 0),
 * then publishes one of node 1's own that depends on it by its local id. Node 1 ships its own message: the shipper
 * must not turn the dependency into a cross-node one on (node 2, origin id 0), which is no valid dependency, and stop
 * the node with it.
 */
class DependencyOnRelayedMessageShipsTest
{
    @TempDir
    Path dir;

    @Test
    void aNodeKeepsShippingWhenItsOwnMessageDependsOnARelayedOne() throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        try (Engine engine2 = InProcessNodes.engine(dir, 2, Map.of());
             Node node2 = InProcessNodes.node(dir, engine2, port2, 1, port1);
             Engine engine1 = InProcessNodes.engine(dir, 1, Map.of());
             Node node1 = InProcessNodes.node(dir, engine1, port1, 2, port2))
        {
            final Publisher application = engine1.newPublisher(7);
            final long relayed = application.remoteTimestamp(2, System.currentTimeMillis() * 1_000_000L, 0)
                .publish(InProcessNodes.TYPE, (value, buffer) -> buffer.putLong(value), -1L);
            final long own = application.dependsOn(relayed)
                .publish(InProcessNodes.TYPE, (value, buffer) -> buffer.putLong(value), 1L);
            final long after = application.publish(InProcessNodes.TYPE, (value, buffer) -> buffer.putLong(value), 2L);
            assertTrue(InProcessNodes.await(() -> null != node1.failure() ||
                InProcessNodes.peer(node2, 1).highWaterMark() == after, 10_000), () -> "node 2 received node 1's " +
                "messages " + own + " and " + after + ": " + node2.peers());
            assertNull(node1.failure(), () -> "node 1 stopped shipping: " + node1.failure());
        }
    }
}
