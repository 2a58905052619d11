package io.chronofabric.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer restarted on a fresh journal (run without --resume) numbers its messages from 1 again. Its journal epoch
 * (node.properties) differs from the one whose messages this node holds: this node refuses that peer, tells it why and
 * runs on, instead of dropping the new stream as duplicates and calling the run done, or stopping itself for another
 * node's mistake. The refused process stops, saying why; the peer restarted on its own journal is taken again.
 */
class FreshJournalPeerIsRefusedTest
{
    private static final int MESSAGES = 200;

    @TempDir
    Path tmp;

    @Test
    void aPeerOnAFreshJournalIsRefusedAndToldWhyWhileThisNodeRunsOnAndTakesItBackOnItsOwnJournal() throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        try (Engine engine1 = InProcessNodes.engine(tmp, 1, Map.of());
             Node node1 = InProcessNodes.node(tmp, engine1, port1, 2, port2))
        {
            try (Engine engine2 = engine2("journal-2a");
                 Node node2 = InProcessNodes.node(tmp, engine2, port2, 1, port1))
            {
                publish(engine2);
                assertTrue(InProcessNodes.await(() -> InProcessNodes.peer(node1, 2).received() == MESSAGES, 10_000));
            }
            try (Engine engine2 = engine2("journal-2b");
                 Node node2 = InProcessNodes.node(tmp, engine2, port2, 1, port1))
            {
                publish(engine2);
                // node 1 hears the new journal's epoch in node 2's first heartbeat, and says so to node 2
                assertTrue(InProcessNodes.await(() -> null != node2.failure(), 10_000), "the refused node stops");
                assertInstanceOf(PeerRefusedException.class, node2.failure());
                assertTrue(node2.failure().getMessage().contains("peer 1 refuses node 2: it restarted on another " +
                    "journal"), node2.failure()::toString);
                assertTrue(node2.failure().getMessage().contains("--resume"), node2.failure()::toString);
                final String refused = node2.awaitPeersDone(Duration.ofSeconds(1));
                assertTrue(null != refused && refused.contains("refuses node 2"), refused);

                assertNull(node1.failure(), "the refusing node runs on");
                // peers() is a snapshot refreshed each heartbeat
                assertTrue(InProcessNodes.await(() -> PeerState.REFUSED == InProcessNodes.peer(node1, 2).state(),
                    1_000), () -> "peer 2 on node 1: " + InProcessNodes.peer(node1, 2));
                final String why = node1.awaitPeersDone(Duration.ofMillis(200));
                assertTrue(null != why && why.contains("peer 2 (refused) because it restarted on another journal"),
                    why);
                assertEquals(MESSAGES, InProcessNodes.byOrigin(tmp.resolve("journal-1"), 256).getOrDefault(2, 0L),
                    "nothing of the new stream was taken for the old one's");
            }
            // node 2 back on the journal node 1 knows: a new process, heard again, its stream taken on
            try (Engine engine2 = engine2("journal-2a");
                 Node node2 = InProcessNodes.node(tmp, engine2, port2, 1, port1))
            {
                final long last = publish(engine2);
                node2.endOfStream(last);
                node1.endOfStream(0);
                assertNull(node1.awaitPeersDone(Duration.ofSeconds(20)), "node 1 done with node 2");
                assertNull(node2.awaitPeersDone(Duration.ofSeconds(5)), "node 2 done with node 1");
                assertNull(node1.failure());
                assertNull(node2.failure());
                assertEquals(PeerState.ACTIVE, InProcessNodes.peer(node1, 2).state());
            }
            assertEquals(2 * MESSAGES, InProcessNodes.byOrigin(tmp.resolve("journal-1"), 256).getOrDefault(2, 0L),
                "both runs of node 2 on its own journal, each message once");
        }
    }

    private Engine engine2(final String journal)
    {
        return InProcessNodes.engine(tmp, journal, 2, Map.of(), null, new ConcurrentHashMap<>());
    }

    private static long publish(final Engine engine)
    {
        final Publisher publisher = engine.newPublisher(7);
        long last = 0;
        for (int i = 0; i < MESSAGES; i++)
        {
            last = publisher.publish(InProcessNodes.TYPE, (value, buffer) -> buffer.putLong(value), (long)i);
        }
        return last;
    }
}
