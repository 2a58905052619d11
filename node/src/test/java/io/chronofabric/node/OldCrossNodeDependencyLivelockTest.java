package io.chronofabric.node;

import java.nio.file.Path;
import java.util.Map;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review-14 defect: node 2 ships a message that depends on a message of node 1 (dependsOn(1, x)). At node 1,
 * RingPublisher.dependsOn(node, id) turns a dependency on this node's own id into a local one, and PublishGate
 * checks local dependencies against dependencies.window in fill(), after a ring slot is claimed. When node 1 has
 * moved on more than dependencies.window ids since x (a partition, a slow or restarted peer, or simply a fast node:
 * the default window is 2^20 ids), tryPublish throws IllegalArgumentException "too old to be tracked": the slot is
 * burned as an invalid record, the exception is swallowed by Aeron's poll (the fragment skipped), the next frame is a
 * gap, the resend brings it back, and so on for ever. Node 2's stream to node 1 stops there; nothing fails.
 */
class OldCrossNodeDependencyLivelockTest
{
    @TempDir
    Path tmp;

    @Test
    void aPeerMessageDependingOnAnOldMessageOfThisNodeIsJournaledHere() throws Exception
    {
        final int port1 = TwoNodesInProcessTest.freePort();
        final int port2 = TwoNodesInProcessTest.freePort();
        final Map<String, String> settings = Map.of("dependencies.window", "1024");
        try (Engine engine1 = ReviewNodes.engine(tmp, 1, settings);
             Engine engine2 = ReviewNodes.engine(tmp, 2, settings);
             Node node1 = ReviewNodes.node(tmp, engine1, port1, 2, port2);
             Node node2 = ReviewNodes.node(tmp, engine2, port2, 1, port1))
        {
            final Publisher publisher1 = engine1.newPublisher(7);
            final long x = publisher1.publish(ReviewNodes.TYPE, (value, buffer) -> buffer.putLong(value), 0L);
            assertTrue(ReviewNodes.await(() -> ReviewNodes.peer(node2, 1).received() == 1, 10_000),
                "node 2 got x: " + ReviewNodes.peer(node2, 1));
            for (int i = 0; i < 1_100; i++)
            {
                publisher1.publish(ReviewNodes.TYPE, (value, buffer) -> buffer.putLong(value), (long)i);
            }
            final Publisher publisher2 = engine2.newPublisher(7);
            publisher2.dependsOn(1, x).publish(ReviewNodes.TYPE, (value, buffer) -> buffer.putLong(value), 1L);
            publisher2.publish(ReviewNodes.TYPE, (value, buffer) -> buffer.putLong(value), 2L);
            final boolean journaled = ReviewNodes.await(() -> ReviewNodes.peer(node1, 2).received() == 2, 10_000);
            assertTrue(journaled, "node 1 never journals node 2's message that depends on its old message x=" + x +
                ": " + ReviewNodes.peer(node1, 2) + "; engine 1 failure " + engine1.failure());
        }
    }
}
