package io.chronofabric.node;

import java.nio.file.Path;
import java.util.Map;

import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lag of a peer that never connected is estimated in bytes from the frames shipped to the other peers: nothing
 * was shipped to it, and its lag read 0 bytes while thousands of messages waited for it.
 */
class LagOfAPeerNeverConnectedIsEstimatedInBytesTest
{
    private static final int MESSAGES = 200;

    @TempDir
    Path tmp;

    @Test
    void shouldEstimateTheBytesAPeerThatNeverConnectedLagsByFromWhatWasShippedToAnother() throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        final int absent = InProcessNodes.freePort();
        try (Engine engine1 = InProcessNodes.engine(tmp, 1, Map.of());
             Engine engine2 = InProcessNodes.engine(tmp, 2, Map.of());
             Node node1 = Node.start(NodeConfiguration.builder().listen(new Endpoint("127.0.0.1", port1))
                 .peer(2, new Endpoint("127.0.0.1", port2)).peer(3, new Endpoint("127.0.0.1", absent))
                 .aeronBaseDir(tmp.resolve("aeron")).build(engine1.context()), engine1);
             Node node2 = InProcessNodes.node(tmp, engine2, port2, 1, port1))
        {
            InProcessNodes.publish(engine1.newPublisher(7), MESSAGES);
            assertTrue(InProcessNodes.await(() -> InProcessNodes.peer(node1, 2).lagMessages() == 0 &&
                InProcessNodes.peer(node1, 3).lagMessages() == MESSAGES, 20_000),
                () -> "peer 2: " + InProcessNodes.peer(node1, 2) + "; peer 3: " + InProcessNodes.peer(node1, 3));
            // a frame is at least a record's fixed part (60 bytes) and the node's header
            assertTrue(InProcessNodes.await(() -> InProcessNodes.peer(node1, 3).lagBytes() >= MESSAGES * 60L, 2_000),
                () -> "peer 3, never connected: " + InProcessNodes.peer(node1, 3));
        }
    }
}
