package io.chronofabric.node;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Exactly once per node": at start a node reads, per origin, the highest origin id its journal holds, and drops what
 * it already has. Node 1 journals node 2's 100 messages, then publishes its own for a few seconds (node 2 journals
 * them, so node 1's retention may go past them): node 1's retention deletes the cycles that held node 2's messages,
 * every one of them settled. Node 1 restarts: its journal holds none of node 2's messages (mark 0, count 0) and it
 * asks node 2 to resend from 0. Node 2 still has them: node 1 must not take them again. With a restart of node 1
 * between taking them and its retention deleting them, the clock refusals file's summary keeps the mark (100), but
 * not the count: node 1 then acknowledges 0 of node 2's 100 messages, and node 2 sees them lagging for ever.
 */
class PeerMessagesPrunedByOwnRetentionAreNotTakenAgainAfterRestartTest
{
    private static final int MESSAGES = 100;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "node 1 restarted before its retention ran: {0}")
    @ValueSource(booleans = {false, true})
    void aNodeWhoseRetentionDeletedAPeersMessagesDoesNotDeliverThemAgainAfterARestart(final boolean restartFirst)
        throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        final Map<String, String> settings1 = Map.of("journal.roll-cycle", "TEST_SECONDLY",
            "journal.retention.max-age-ms", "1");
        final Path journal1 = tmp.resolve("journal-1");
        final Map<Integer, AtomicLong> deliveredOn1 = new ConcurrentHashMap<>();
        try (Engine engine2 = InProcessNodes.engine(tmp, 2, Map.of());
             Node node2 = InProcessNodes.node(tmp, engine2, port2, 1, port1))
        {
            try (Engine engine1 = InProcessNodes.engine(tmp, "journal-1", 1, settings1, null, deliveredOn1);
                 Node node1 = InProcessNodes.node(tmp, engine1, port1, 2, port2))
            {
                final long last = InProcessNodes.publish(engine2.newPublisher(7), MESSAGES);
                assertTrue(InProcessNodes.await(() -> InProcessNodes.peer(node1, 2).highWaterMark() == last &&
                    delivered(deliveredOn1, 2) == MESSAGES, 10_000), () -> "node 1 took node 2's messages: " +
                    node1.peers());
                if (!restartFirst)
                {
                    pruneTheCyclesHoldingNode2sMessages(engine1, journal1);
                }
                else
                {
                    Thread.sleep(200); // acknowledged and settled; nothing of node 1's own yet, so nothing pruned
                }
            }
            if (restartFirst)
            {
                try (Engine engine1 = InProcessNodes.engine(tmp, "journal-1", 1, settings1, null, deliveredOn1);
                     Node node1 = InProcessNodes.node(tmp, engine1, port1, 2, port2))
                {
                    pruneTheCyclesHoldingNode2sMessages(engine1, journal1);
                }
            }
            try (Engine engine1 = InProcessNodes.engine(tmp, "journal-1", 1, settings1, null, deliveredOn1);
                 Node node1 = InProcessNodes.node(tmp, engine1, port1, 2, port2))
            {
                assertTrue(InProcessNodes.await(() -> PeerState.ACTIVE == InProcessNodes.peer(node2, 1).state() &&
                    PeerState.ACTIVE == InProcessNodes.peer(node1, 2).state(), 10_000), () -> node2.peers().toString());
                Thread.sleep(3_000);
                assertEquals(MESSAGES, delivered(deliveredOn1, 2), "node 2's messages delivered on node 1, both " +
                    "runs (node 1 sees " + InProcessNodes.peer(node1, 2) + ")");
                assertEquals(0, InProcessNodes.peer(node2, 1).lagMessages(), "node 2's view of node 1");
            }
        }
    }

    /** Publishes node 1's own messages, which node 2 journals, until node 1's retention deleted node 2's. */
    private static void pruneTheCyclesHoldingNode2sMessages(final Engine engine1, final Path journal1)
        throws InterruptedException
    {
        final Publisher own = engine1.newPublisher(7);
        final long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline && InProcessNodes.byOrigin(journal1, 256).getOrDefault(2, 0L) > 0)
        {
            InProcessNodes.publish(own, 10);
            Thread.sleep(200);
        }
        assertEquals(0L, InProcessNodes.byOrigin(journal1, 256).getOrDefault(2, 0L),
            "node 1's retention deleted the cycles holding node 2's messages");
    }

    private static long delivered(final Map<Integer, AtomicLong> delivered, final int origin)
    {
        final AtomicLong count = delivered.get(origin);
        return null == count ? 0 : count.get();
    }
}
