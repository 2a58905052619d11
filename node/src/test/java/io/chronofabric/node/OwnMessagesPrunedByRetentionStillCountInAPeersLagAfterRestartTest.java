package io.chronofabric.node;

import java.nio.file.Path;
import java.util.Map;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.journal.JournalFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer's lag is this node's own messages, all runs, less what the peer acknowledged. Node 2 publishes 150 messages
 * over a few cycles; node 1 journals them all (and says so), and node 2's retention deletes the older cycles. Node 2
 * restarts: it counts its own messages from what its journal still holds. Node 1 goes away and node 2 publishes 50
 * more: node 1 lacks 50 of node 2's messages, and node 2 must see a lag of 50 (what peer.max-lag and the lag policy
 * act on), not the 50 less the messages its retention deleted.
 */
class OwnMessagesPrunedByRetentionStillCountInAPeersLagAfterRestartTest
{
    private static final int BATCH = 50;
    private static final int BATCHES = 3;
    private static final int AFTER = 50;

    @TempDir
    Path tmp;

    @Test
    void aPeerThatMissesMessagesPublishedAfterARestartLagsByThemThoughRetentionDeletedOlderOnes() throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        final Map<String, String> settings2 = Map.of("journal.roll-cycle", "TEST_SECONDLY",
            "journal.retention.max-age-ms", "1");
        final Path journal2 = tmp.resolve("journal-2");
        try (Engine engine1 = InProcessNodes.engine(tmp, 1, Map.of()))
        {
            Node node1 = InProcessNodes.node(tmp, engine1, port1, 2, port2);
            try
            {
                try (Engine engine2 = InProcessNodes.engine(tmp, 2, settings2);
                     Node node2 = InProcessNodes.node(tmp, engine2, port2, 1, port1))
                {
                    final Publisher publisher = engine2.newPublisher(7);
                    for (int batch = 0; batch < BATCHES; batch++)
                    {
                        InProcessNodes.publish(publisher, BATCH);
                        Thread.sleep(1_200);
                    }
                    final Node receiver = node1;
                    assertTrue(InProcessNodes.await(() -> InProcessNodes.peer(receiver, 2).journaledFromPeer() ==
                        BATCH * BATCHES && 0 == InProcessNodes.peer(node2, 1).lagMessages(), 10_000), () ->
                        "node 1 journaled node 2's messages: " + receiver.peers());
                    assertTrue(InProcessNodes.await(() -> JournalFiles.countRecords(journal2) < BATCH * BATCHES,
                        10_000), "node 2's retention pruned its journal");
                }
                final long kept = JournalFiles.countRecords(journal2);
                try (Engine engine2 = InProcessNodes.engine(tmp, 2, settings2);
                     Node node2 = InProcessNodes.node(tmp, engine2, port2, 1, port1))
                {
                    final Node receiver = node1;
                    assertTrue(InProcessNodes.await(() -> PeerState.ACTIVE == InProcessNodes.peer(node2, 1).state() &&
                        PeerState.ACTIVE == InProcessNodes.peer(receiver, 2).state(), 10_000), () ->
                        node2.peers().toString());
                    Thread.sleep(500); // node 1's acknowledgement (its count of node 2's stream: 150) is heard
                    node1.close();
                    InProcessNodes.publish(engine2.newPublisher(7), AFTER);
                    Thread.sleep(500);
                    assertEquals(AFTER, InProcessNodes.peer(node2, 1).lagMessages(), "node 1 lacks node 2's last " +
                        AFTER + " messages (node 2's journal kept " + kept + " of its first " + BATCH * BATCHES +
                        "): " + InProcessNodes.peer(node2, 1));
                }
            }
            finally
            {
                node1.close();
            }
        }
    }
}
