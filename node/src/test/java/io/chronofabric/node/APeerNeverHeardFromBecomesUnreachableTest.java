package io.chronofabric.node;

import java.nio.file.Path;
import java.util.Map;

import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer that never comes up is as silent as one that went quiet: {@code peer.timeout-ms} after this node started it
 * is unreachable (what nodes and diagnose flag), not connecting for ever.
 */
class APeerNeverHeardFromBecomesUnreachableTest
{
    @TempDir
    Path tmp;

    @Test
    void aPeerNotHeardFromForThePeerTimeoutSinceStartIsUnreachable() throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int absent = InProcessNodes.freePort();
        try (Engine engine1 = InProcessNodes.engine(tmp, 1, Map.of("peer.timeout-ms", "500"));
             Node node1 = InProcessNodes.node(tmp, engine1, port1, 2, absent))
        {
            final long started = System.nanoTime();
            assertEquals(PeerState.CONNECTING, InProcessNodes.peer(node1, 2).state(), "at first");
            assertTrue(InProcessNodes.await(() -> PeerState.UNREACHABLE == InProcessNodes.peer(node1, 2).state(),
                10_000), () -> "peer 2: " + InProcessNodes.peer(node1, 2));
            assertTrue(System.nanoTime() - started >= 400_000_000L, "not before its timeout");
        }
    }
}
