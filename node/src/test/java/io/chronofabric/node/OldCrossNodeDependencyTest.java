package io.chronofabric.node;

import java.nio.file.Path;
import java.util.Map;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer's message depending on a message of this node from further back than the sequencer tracks
 * (dependencies.window) is journaled here: the old dependency counts as released, by the sequencer's own rule for old
 * ids, instead of making the publish refuse it after a slot was claimed.
 */
class OldCrossNodeDependencyTest
{
    @TempDir
    Path tmp;

    @Test
    void aPeerMessageDependingOnAnOldMessageOfThisNodeIsJournaledHere() throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        final Map<String, String> settings = Map.of("dependencies.window", "1024");
        try (Engine engine1 = InProcessNodes.engine(tmp, 1, settings);
             Engine engine2 = InProcessNodes.engine(tmp, 2, settings);
             Node node1 = InProcessNodes.node(tmp, engine1, port1, 2, port2);
             Node node2 = InProcessNodes.node(tmp, engine2, port2, 1, port1))
        {
            final Publisher publisher1 = engine1.newPublisher(7);
            final long x = publisher1.publish(InProcessNodes.TYPE, (value, buffer) -> buffer.putLong(value), 0L);
            assertTrue(InProcessNodes.await(() -> InProcessNodes.peer(node2, 1).received() == 1, 10_000),
                "node 2 got x: " + InProcessNodes.peer(node2, 1));
            for (int i = 0; i < 1_100; i++)
            {
                publisher1.publish(InProcessNodes.TYPE, (value, buffer) -> buffer.putLong(value), (long)i);
            }
            final Publisher publisher2 = engine2.newPublisher(7);
            publisher2.dependsOn(1, x).publish(InProcessNodes.TYPE, (value, buffer) -> buffer.putLong(value), 1L);
            publisher2.publish(InProcessNodes.TYPE, (value, buffer) -> buffer.putLong(value), 2L);
            final boolean journaled = InProcessNodes.await(() -> InProcessNodes.peer(node1, 2).received() == 2, 10_000);
            assertTrue(journaled, "node 1 never journals node 2's message that depends on its old message x=" + x +
                ": " + InProcessNodes.peer(node1, 2) + "; engine 1 failure " + engine1.failure());
        }
    }
}
