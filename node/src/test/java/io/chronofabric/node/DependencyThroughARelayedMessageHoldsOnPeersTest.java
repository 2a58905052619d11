package io.chronofabric.node;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "A shipped message's dependencies travel as cross-node ones, so they hold on every node." On node 1 the application
 * relays a message stamped with node 3's clock only ({@code remoteTimestamp}), which depends on node 3's message 5,
 * then publishes one of node 1's own that depends on the relayed one by its local id. On node 1 that message is
 * delivered after node 3's message 5 (through the relayed one). The shipper leaves the dependency on the relayed
 * message out of what it ships to node 2, and with it the dependency on node 3's message 5 that it carried: node 2
 * delivers node 1's message before node 3's message 5 has even arrived. Control: the same message depending on node
 * 3's message 5 directly.
 */
class DependencyThroughARelayedMessageHoldsOnPeersTest
{
    private static final int TYPE = InProcessNodes.TYPE;
    private static final long NODE_3_MESSAGE = 35L;
    private static final long OWN = 1L;
    private static final PayloadWriter<Long> LONG_WRITER = (value, buffer) -> buffer.putLong(value);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "through a relayed message: {0}")
    @ValueSource(booleans = {true, false})
    void aMessageDependingOnARelayedOneIsDeliveredOnAPeerOnlyAfterWhatTheRelayedOneDependsOn(final boolean relayed)
        throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        final List<Long> deliveredOn1 = new CopyOnWriteArrayList<>();
        final List<Long> deliveredOn2 = new CopyOnWriteArrayList<>();
        try (Engine engine2 = engine(2, deliveredOn2);
             Node node2 = InProcessNodes.node(dir, engine2, port2, 1, port1);
             Engine engine1 = engine(1, deliveredOn1);
             Node node1 = InProcessNodes.node(dir, engine1, port1, 2, port2))
        {
            final Publisher application = engine1.newPublisher(7);
            final long own;
            if (relayed)
            {
                final long relay = application.remoteTimestamp(3, System.currentTimeMillis() * 1_000_000L, 0)
                    .dependsOn(3, 5).publish(TYPE, LONG_WRITER, -1L);
                own = application.dependsOn(relay).publish(TYPE, LONG_WRITER, OWN);
            }
            else
            {
                own = application.dependsOn(3, 5).publish(TYPE, LONG_WRITER, OWN);
            }
            assertTrue(InProcessNodes.await(() -> null != node1.failure() ||
                InProcessNodes.peer(node2, 1).highWaterMark() == own, 10_000), () -> "node 2 journaled node 1's " +
                "message " + own + ": " + node2.peers() + ", node 1 failure: " + node1.failure());
            Thread.sleep(300);
            // node 3's message 5 now arrives at both nodes
            final long wall = System.currentTimeMillis() * 1_000_000L;
            engine1.newReceivingPublisher(3).remoteOrigin(3, 5, wall, 0).publish(TYPE, LONG_WRITER, NODE_3_MESSAGE);
            engine2.newReceivingPublisher(3).remoteOrigin(3, 5, wall, 0).publish(TYPE, LONG_WRITER, NODE_3_MESSAGE);
            assertTrue(InProcessNodes.await(() -> deliveredOn2.size() >= 2 && deliveredOn1.contains(OWN), 10_000),
                () -> "node 1 delivered " + deliveredOn1 + ", node 2 " + deliveredOn2);
            assertEquals(OWN, deliveredOn1.get(deliveredOn1.size() - 1), () -> "on node 1: " + deliveredOn1);
            assertEquals(List.of(NODE_3_MESSAGE, OWN), deliveredOn2, "on node 2, node 1's message after node 3's " +
                "message 5, as on node 1 (" + deliveredOn1 + ")");
        }
    }

    private Engine engine(final int nodeId, final List<Long> delivered)
    {
        final EngineConfiguration.Builder builder = EngineConfiguration.builder().nodeId(nodeId)
            .journalDir(dir.resolve("journal-" + nodeId));
        builder.set("hold.timeout-ms", "10000");
        return Engine.start(builder, engine ->
        {
            engine.subscribe(TYPE, message -> delivered.add(message.payload().getLong(0)));
            Node.restoreOriginFloors(engine);
        });
    }
}
