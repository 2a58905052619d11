package io.chronofabric.node;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.SystemWallClock;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.journal.JournalFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Node 2's clock runs too far ahead: node 1 refuses every one of its messages for their clock, and acknowledges them
 * as accounted for (its high-water mark for node 2 is the last refused id). Node 2's journal retention may then delete
 * them: node 1 said it needs none of them again. Node 1 restarts: its journal holds none of node 2's messages (mark
 * 0), yet the refusals it kept are still node 2's whole stream so far, which node 2 cannot offer again. Node 2 must
 * see no lag.
 */
class ClockRefusalsSurvivePeerRetentionTest
{
    private static final int BATCH = 50;
    private static final int BATCHES = 3;

    @TempDir
    Path tmp;

    @Test
    void refusalsAtTheTailOfAPeersStreamStayAccountedForAfterThePeerPrunedThem() throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        final Map<String, String> settings1 = Map.of("hlc.max-offset-ms", "500");
        final Map<String, String> settings2 = Map.of("hlc.max-offset-ms", "500",
            "journal.roll-cycle", "TEST_SECONDLY", "journal.retention.max-age-ms", "1");
        final Path journal2 = tmp.resolve("journal-2");
        try (Engine engine2 = InProcessNodes.engine(tmp, "journal-2", 2, settings2,
                 () -> SystemWallClock.INSTANCE.epochNanos() + 2_000_000_000L, new ConcurrentHashMap<>());
             Node node2 = InProcessNodes.node(tmp, engine2, port2, 1, port1))
        {
            final Publisher publisher = engine2.newPublisher(7);
            try (Engine engine1 = InProcessNodes.engine(tmp, 1, settings1);
                 Node node1 = InProcessNodes.node(tmp, engine1, port1, 2, port2))
            {
                for (int batch = 0; batch < BATCHES; batch++)
                {
                    for (int i = 0; i < BATCH; i++)
                    {
                        publisher.publish(InProcessNodes.TYPE, (value, buffer) -> buffer.putLong(value), (long)i);
                    }
                    Thread.sleep(1_500);
                }
                assertTrue(InProcessNodes.await(() -> InProcessNodes.peer(node1, 2).clockRejections() ==
                    BATCH * BATCHES && 0 == InProcessNodes.peer(node2, 1).lagMessages(), 10_000), () ->
                    "node 1 refused all of node 2's messages and node 2 sees no lag: " + node1.peers() + "; " +
                    node2.peers());
                // node 1 acknowledged them all: node 2's retention deletes the older cycles
                assertTrue(InProcessNodes.await(() -> JournalFiles.countRecords(journal2) < BATCH * BATCHES,
                    10_000), "node 2's retention pruned its journal");
            }
            try (Engine engine1 = InProcessNodes.engine(tmp, 1, settings1);
                 Node node1 = InProcessNodes.node(tmp, engine1, port1, 2, port2))
            {
                assertTrue(InProcessNodes.await(() -> PeerState.ACTIVE == InProcessNodes.peer(node2, 1).state() &&
                    PeerState.ACTIVE == InProcessNodes.peer(node1, 2).state(), 10_000), () -> node2.peers().toString());
                Thread.sleep(3_000);
                final PeerStatus fromNode2 = InProcessNodes.peer(node2, 1);
                assertEquals(0, fromNode2.lagMessages(), "node 2's view of node 1 after it restarted (node 2's " +
                    "journal holds " + JournalFiles.countRecords(journal2) + " of its " + BATCH * BATCHES +
                    " messages; node 1 sees " + InProcessNodes.peer(node1, 2) + "): " + fromNode2);
                assertEquals(0, InProcessNodes.peer(node1, 2).journaledFromPeer(), "what node 1 refused stays " +
                    "refused: " + InProcessNodes.peer(node1, 2));
            }
        }
    }
}
