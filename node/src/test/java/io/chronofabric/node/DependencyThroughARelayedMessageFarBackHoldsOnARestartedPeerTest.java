package io.chronofabric.node;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "A dependency on a message relayed with remoteTimestamp travels as what that message depends on" and, when it
 * cannot, as a dependency "which holds on the peer until its hold timeout: dead-lettered, never early". On node 1 the
 * application relays a message stamped with node 3's clock only, waiting for node 3's message 5, which never arrives
 * anywhere; then it relays 65,536 more messages (the shipper remembers received and relayed messages in 65,536 slots by
 * local id, so the first one's slot is taken over), publishes one of its own (settled on node 2, which puts node 2's
 * floor for node 1 above the relayed message's local id once node 2 restarts) and, node 2 restarted, one that depends
 * on the first relayed message. Well within dependencies.window, node 1 holds it. The shipper no longer finds the
 * relayed message and ships the dependency as one on node 1's message of that local id, which no message of node 1
 * carries and node 2's floor covers: node 2 delivers node 1's message at once. Control: the same with 16 relayed
 * messages in between, where the shipper still finds the relayed one and ships node 3's message 5 in its place.
 */
class DependencyThroughARelayedMessageFarBackHoldsOnARestartedPeerTest
{
    private static final int TYPE = InProcessNodes.TYPE;
    private static final long EARLIER = 2L;
    private static final long DEPENDENT = 1L;
    private static final long RELAYED = -1L;
    private static final PayloadWriter<Long> LONG_WRITER = (value, buffer) -> buffer.putLong(value);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "relayed messages in between: {0}")
    @ValueSource(ints = {1 << 16, 16})
    void aDependentOfARelayedMessageWaitingForNode3IsNotDeliveredOnARestartedNode2(final int relayedInBetween)
        throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        final List<Long> deliveredOn1 = new CopyOnWriteArrayList<>();
        final List<Long> deliveredOn2 = new CopyOnWriteArrayList<>();
        Engine engine2 = engine(2, deliveredOn2);
        Node node2 = InProcessNodes.node(dir, engine2, port2, 1, port1);
        try (Engine engine1 = engine(1, deliveredOn1);
             Node node1 = InProcessNodes.node(dir, engine1, port1, 2, port2))
        {
            final Publisher application = engine1.newPublisher(7);
            final long wall = System.currentTimeMillis() * 1_000_000L;
            // held on node 1 until node 3's message 5 arrives, which it never does
            final long relay = application.remoteTimestamp(3, wall, 0).dependsOn(3, 5)
                .publish(TYPE, LONG_WRITER, RELAYED);
            for (int i = 0; i < relayedInBetween; i++)
            {
                application.remoteTimestamp(3, wall, 0).publish(TYPE, LONG_WRITER, RELAYED);
            }
            final long earlier = application.publish(TYPE, LONG_WRITER, EARLIER);
            final Node first = node2;
            assertTrue(InProcessNodes.await(() -> deliveredOn2.contains(EARLIER) &&
                InProcessNodes.peer(first, 1).highWaterMark() == earlier, 20_000), () -> "node 2 took node 1's " +
                "message " + earlier + ": " + first.peers() + ", delivered " + deliveredOn2);
            Thread.sleep(200); // its settlement persisted at the batch end
            node2.close();
            engine2.close();
            final long dependent = application.dependsOn(relay).publish(TYPE, LONG_WRITER, DEPENDENT);
            engine2 = engine(2, deliveredOn2);
            node2 = InProcessNodes.node(dir, engine2, port2, 1, port1);
            final Node now = node2;
            assertTrue(InProcessNodes.await(() -> null != node1.failure() ||
                InProcessNodes.peer(now, 1).highWaterMark() == dependent, 20_000), () -> "node 2 journaled node " +
                "1's message " + dependent + ": " + now.peers() + ", node 1 failure: " + node1.failure());
            Thread.sleep(500);
            assertFalse(deliveredOn1.contains(DEPENDENT), "node 1 holds it");
            assertEquals(List.of(EARLIER), deliveredOn2, "node 2 holds node 1's message " + dependent + " while " +
                "node 3's message 5, which the relayed message " + relay + " waits for, has not arrived (node 1 " +
                "delivered " + (deliveredOn1.contains(DEPENDENT) ? "it" : "not it") + ")");
        }
        finally
        {
            node2.close();
            engine2.close();
        }
    }

    private Engine engine(final int nodeId, final List<Long> delivered)
    {
        return InProcessNodes.recordingEngine(dir, nodeId, Map.of("hold.timeout-ms", "60000"), delivered,
            value -> RELAYED != value);
    }
}
