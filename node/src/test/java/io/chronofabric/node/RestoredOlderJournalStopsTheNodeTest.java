package io.chronofabric.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node restarted on an older copy of its own journal (the same epoch: a backup restored; or a tail lost with the
 * host) would issue again ids its peers hold, and they would drop those new messages as duplicates. The peer's resend
 * request names how far it holds this node's stream: further than this journal held at start, and further than this
 * process shipped, so the node stops before shipping anything, saying why, and the peer holds the old stream intact.
 */
class RestoredOlderJournalStopsTheNodeTest
{
    private static final int MESSAGES = 100;

    @TempDir
    Path tmp;

    @Test
    void aNodeOnAJournalBehindWhatItsPeerHoldsStopsBeforeItsIdsAreTakenForDuplicates() throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        try (Engine engine1 = InProcessNodes.engine(tmp, 1, Map.of());
             Node node1 = InProcessNodes.node(tmp, engine1, port1, 2, port2))
        {
            runNode2KeepingACopyOfItsJournalHalfWay(port1, port2, node1);

            try (Engine engine2 = engineOnTheCopy();
                 Node node2 = InProcessNodes.node(tmp, engine2, port2, 1, port1))
            {
                assertStopsSaying(node2, "peer 1 has journaled node 2's messages up to origin id " + 2 * MESSAGES +
                    ", but this journal held them only up to id " + MESSAGES);
                final String why = node2.awaitPeersDone(Duration.ofMillis(200));
                assertTrue(null != why && why.contains("--resume"), why);
                assertNull(node1.failure());
                // node 1 is told why node 2 went, not only that it went silent
                node1.endOfStream(0);
                assertTrue(InProcessNodes.await(() -> String.valueOf(node1.awaitPeersDone(Duration.ofMillis(1)))
                    .contains("it stopped: peer 1 has journaled node 2's messages up to origin id " + 2 * MESSAGES),
                    5_000), () -> String.valueOf(node1.awaitPeersDone(Duration.ofMillis(1))));
            }
            assertEquals(2L * MESSAGES, InProcessNodes.byOrigin(tmp.resolve("journal-1"), 256).get(2));
        }
    }

    /**
     * The older copy ran while its peer was down and issued again the ids the peer holds: when they meet, the journal
     * holds as many of its own as the peer knows of, so only the messages themselves tell; the peer's resend request
     * carries the fingerprint of the one it holds at its mark, and the node stops before shipping past it.
     */
    @Test
    void anOlderCopyThatIssuedAgainIdsItsPeerHoldsWhileThePeerWasDownStopsWhenTheyMeet() throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        try (Engine engine1 = InProcessNodes.engine(tmp, 1, Map.of());
             Node node1 = InProcessNodes.node(tmp, engine1, port1, 2, port2))
        {
            runNode2KeepingACopyOfItsJournalHalfWay(port1, port2, node1);
        }
        // node 1 down: the older copy issues ids 101 to 200 again, other messages under them
        try (Engine engine2 = engineOnTheCopy();
             Node node2 = InProcessNodes.node(tmp, engine2, port2, 1, port1))
        {
            final Publisher publisher = engine2.newPublisher(7);
            for (int i = 0; i < MESSAGES; i++)
            {
                publisher.publish(InProcessNodes.TYPE, (value, buffer) -> buffer.putLong(value), 1_000_000L + i);
            }
            assertTrue(InProcessNodes.await(() -> engine2.acknowledgedId() >= 2 * MESSAGES, 10_000));
        }
        try (Engine engine1 = InProcessNodes.engine(tmp, 1, Map.of());
             Node node1 = InProcessNodes.node(tmp, engine1, port1, 2, port2);
             Engine engine2 = engineOnTheCopy();
             Node node2 = InProcessNodes.node(tmp, engine2, port2, 1, port1))
        {
            assertStopsSaying(node2, "peer 1 holds a message of node 2 under origin id " + 2 * MESSAGES +
                " that differs from this journal's message " + 2 * MESSAGES);
            assertNull(node1.failure());
            assertEquals(0, InProcessNodes.peer(node1, 2).duplicatesDropped(), "nothing of the re-issued ids shipped");
        }
        assertEquals(2L * MESSAGES, InProcessNodes.byOrigin(tmp.resolve("journal-1"), 256).get(2));
    }

    /** @return node 2's engine on the older copy of its journal, journal-2-backup. */
    private Engine engineOnTheCopy()
    {
        return InProcessNodes.engine(tmp, "journal-2-backup", 2, Map.of(), null, new ConcurrentHashMap<>());
    }

    private static void assertStopsSaying(final Node node, final String start) throws InterruptedException
    {
        assertTrue(InProcessNodes.await(() -> null != node.failure(), 10_000), "the node stops");
        assertInstanceOf(NodeStoppedException.class, node.failure());
        assertTrue(node.failure().getMessage().startsWith(start), node.failure()::toString);
    }

    /** Node 2 publishes 100, its journal is copied to journal-2-backup, it publishes 100 more; node 1 takes all. */
    private void runNode2KeepingACopyOfItsJournalHalfWay(final int port1, final int port2, final Node node1)
        throws Exception
    {
        runNode2AndPublish(port1, port2, node1, MESSAGES);
        copy(tmp.resolve("journal-2"), tmp.resolve("journal-2-backup"));
        runNode2AndPublish(port1, port2, node1, 2 * MESSAGES);
    }

    /** Runs node 2 on journal-2, publishes until its journal holds {@code total} own messages, node 1 all of them. */
    private void runNode2AndPublish(final int port1, final int port2, final Node node1, final int total)
        throws Exception
    {
        try (Engine engine2 = InProcessNodes.engine(tmp, "journal-2", 2, Map.of(), null, new ConcurrentHashMap<>());
             Node node2 = InProcessNodes.node(tmp, engine2, port2, 1, port1))
        {
            final Publisher publisher = engine2.newPublisher(7);
            for (int i = 0; i < MESSAGES; i++)
            {
                publisher.publish(InProcessNodes.TYPE, (value, buffer) -> buffer.putLong(value), (long)i);
            }
            assertTrue(InProcessNodes.await(() -> InProcessNodes.peer(node1, 2).highWaterMark() == total, 10_000),
                () -> "node 1 holds node 2's stream up to " + total + ": " + InProcessNodes.peer(node1, 2));
            assertNull(node2.failure());
        }
    }

    private static void copy(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> files = Files.walk(from))
        {
            files.forEach(file ->
            {
                try
                {
                    Files.copy(file, to.resolve(from.relativize(file).toString()));
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
        }
    }
}
