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
 * "A shipped message's dependencies travel as cross-node ones, so they hold on every node", for a dependency on a
 * relayed message ({@code remoteTimestamp} only) whose own dependencies do not fit in one record with the rest
 * ({@code dependencies.max}=2): the shipper then ships it as a dependency on node 1's message of the relayed one's
 * local id, "which holds on the peer until its hold timeout: dead-lettered, never early". No message of node 1 has
 * that origin id, but node 2 counts every origin id of node 1 at or below its settled floor as released once it has
 * restarted: node 1's message O, published after the relayed one and settled on node 2, puts the floor above it. So
 * on a node 2 restarted after O, node 1's message is delivered though node 3's messages 5 and 6, which the relayed
 * message waits for on node 1, never arrived anywhere. Control: node 2 not restarted, where it holds.
 */
class DependencyThroughAnUnexpandableRelayedMessageHoldsOnARestartedPeerTest
{
    private static final int TYPE = InProcessNodes.TYPE;
    private static final long EARLIER = 2L;
    private static final long DEPENDENT = 1L;
    private static final PayloadWriter<Long> LONG_WRITER = (value, buffer) -> buffer.putLong(value);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "node 2 restarted in between: {0}")
    @ValueSource(booleans = {true, false})
    void aDependentOfARelayedMessageWaitingForNode3IsNotDeliveredOnNode2(final boolean restart) throws Exception
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
            // held on node 1 until node 3's messages 5 and 6 arrive, which they never do
            final long relay = application.remoteTimestamp(3, System.currentTimeMillis() * 1_000_000L, 0)
                .dependsOn(3, 5).dependsOn(3, 6).publish(TYPE, LONG_WRITER, -1L);
            final long earlier = application.publish(TYPE, LONG_WRITER, EARLIER);
            final Node first = node2;
            assertTrue(InProcessNodes.await(() -> deliveredOn2.contains(EARLIER) &&
                InProcessNodes.peer(first, 1).highWaterMark() == earlier, 10_000), () -> "node 2 took node 1's " +
                "message " + earlier + ": " + first.peers() + ", delivered " + deliveredOn2);
            if (restart)
            {
                Thread.sleep(200); // its settlement persisted at the batch end
                node2.close();
                engine2.close();
            }
            // two dependencies of the relayed message and one more do not fit in dependencies.max=2
            final long dependent = application.dependsOn(relay).dependsOn(earlier).publish(TYPE, LONG_WRITER,
                DEPENDENT);
            if (restart)
            {
                engine2 = engine(2, deliveredOn2);
                node2 = InProcessNodes.node(dir, engine2, port2, 1, port1);
            }
            final Node now = node2;
            assertTrue(InProcessNodes.await(() -> null != node1.failure() ||
                InProcessNodes.peer(now, 1).highWaterMark() == dependent, 20_000), () -> "node 2 journaled node " +
                "1's message " + dependent + ": " + now.peers() + ", node 1 failure: " + node1.failure());
            Thread.sleep(500);
            assertFalse(deliveredOn1.contains(DEPENDENT), () -> "node 1 holds it: " + deliveredOn1);
            assertEquals(List.of(EARLIER), deliveredOn2, "node 2 holds node 1's message while what the relayed " +
                "message waits for has not arrived (node 1 delivered " + deliveredOn1 + ")");
        }
        finally
        {
            node2.close();
            engine2.close();
        }
    }

    private Engine engine(final int nodeId, final List<Long> delivered)
    {
        return InProcessNodes.recordingEngine(dir, nodeId, Map.of("hold.timeout-ms", "60000", "dependencies.max", "2"),
            delivered, value -> true);
    }
}
