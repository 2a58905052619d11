package io.chronofabric.node;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;

import io.aeron.Aeron;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With the media driver and the Aeron client on the node's thread (the default), a client that closes under the node
 * (the driver timed it out after that thread stalled, or its conductor failed) used to leave the node running deaf
 * and mute, with no failure to report: runs waited out their peer timeout. The node now stops with the cause. The
 * client is closed here from outside, by reflection, as the driver's timeout would close it.
 */
class NodeStopsWhenItsAeronClientClosesTest
{
    @TempDir
    Path tmp;

    @Test
    void aNodeWhoseAeronClientClosedStopsAndSaysWhy() throws Exception
    {
        final int port = InProcessNodes.freePort();
        final int peerPort = InProcessNodes.freePort();
        try (Engine engine = Engine.start(EngineConfiguration.builder().nodeId(1)
                 .journalDir(tmp.resolve("journal-1")));
             Node node = Node.start(NodeConfiguration.builder().listen(new Endpoint("127.0.0.1", port))
                 .peer(2, new Endpoint("127.0.0.1", peerPort)).aeronBaseDir(tmp.resolve("aeron"))
                 .build(engine.context()), engine))
        {
            final Field field = Node.class.getDeclaredField("aeron");
            field.setAccessible(true);
            ((Aeron)field.get(node)).close();
            assertTrue(InProcessNodes.await(() -> null != node.failure(), 10_000), "the node reports a failure");
            assertTrue(node.failure().getMessage().contains("Aeron client"), node.failure().toString());
            final String notDone = node.awaitPeersDone(Duration.ofMillis(100));
            assertNotNull(notDone);
            assertTrue(notDone.contains("stopped"), notDone);
        }
    }
}
