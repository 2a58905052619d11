package io.chronofabric.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An application on node 1 publishes a message marked with node 2's clock only ({@code remoteTimestamp}): node 2
 * gave it no id, so it must not count as one of node 2's messages. Node 1 is stopped while node 2 goes on publishing,
 * then resumed on its journal: it must ask node 2 for everything after the last message node 2 shipped it, and end
 * with each of node 2's messages once; and node 2 must not wait for the relayed message as one of node 1's own.
 */
class RemoteTimestampOnlyTest
{
    private static final int OWN = 1_000;
    private static final int RELAYED = 1_000;
    private static final int PEER_BATCH = 100;

    @TempDir
    Path dir;

    @Test
    void aResumedNodeReceivesEveryPeerMessagePublishedWhileItWasDownDespiteARelayedMessageOfThatPeer() throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        final Map<Integer, AtomicLong> delivered1 = new ConcurrentHashMap<>();
        try (Engine engine2 = InProcessNodes.engine(dir, 2, Map.of());
             Node node2 = InProcessNodes.node(dir, engine2, port2, 1, port1))
        {
            final Publisher peer = engine2.newPublisher(7);
            long peerLast = InProcessNodes.publish(peer, PEER_BATCH);
            long ownLast;
            try (Engine engine1 = InProcessNodes.engine(dir, "journal-1", 1, Map.of(), null, delivered1);
                 Node node1 = InProcessNodes.node(dir, engine1, port1, 2, port2))
            {
                assertTrue(InProcessNodes.await(() -> delivered1.getOrDefault(2, new AtomicLong()).get() == PEER_BATCH,
                    10_000), () -> "node 1 received node 2's first " + PEER_BATCH + ": " + node1.peers());
                final Publisher application = engine1.newPublisher(7);
                ownLast = InProcessNodes.publish(application, OWN);
                // relayed messages take local ids here that node 2, which never receives them, does not use: its
                // later ids are below theirs
                for (int i = 0; i < RELAYED; i++)
                {
                    application.remoteTimestamp(2, System.currentTimeMillis() * 1_000_000L, 0)
                        .publish(InProcessNodes.TYPE, (value, buffer) -> buffer.putLong(value), -1L);
                }
                assertTrue(InProcessNodes.await(() -> InProcessNodes.peer(node2, 1).highWaterMark() == ownLast,
                    10_000), () -> "node 2 received node 1's own messages: " + node2.peers());
                // node 1 does not ship what it relays, so it must not count it among the messages node 2 lacks
                assertTrue(InProcessNodes.await(() -> 0 == InProcessNodes.peer(node1, 2).lagMessages(), 5_000),
                    () -> "node 2 has all node 1 ships: " + node1.peers());
            }
            peerLast = InProcessNodes.publish(peer, PEER_BATCH);
            node2.endOfStream(peerLast);
            try (Engine engine1 = InProcessNodes.engine(dir, "journal-1", 1, Map.of(), null, delivered1);
                 Node node1 = InProcessNodes.node(dir, engine1, port1, 2, port2))
            {
                node1.endOfStream(ownLast);
                assertNull(node1.awaitPeersDone(Duration.ofSeconds(20)));
                assertNull(node2.awaitPeersDone(Duration.ofSeconds(20)));
            }
        }
        final List<Long> published = ids(dir.resolve("journal-2"), 0, 0);
        assertEquals(2 * PEER_BATCH, published.size(), "node 2's own: " + published);
        assertEquals(published, ids(dir.resolve("journal-1"), RecordFlags.REMOTE, 2),
            "node 1 holds node 2's messages once each, in order");
    }

    /**
     * @return the origin ids, in journal order, of the messages with these flags from {@code origin} (0: the
     *     journal's own node) that carry one.
     */
    private static List<Long> ids(final Path journal, final int flags, final int origin)
    {
        final List<Long> ids = new ArrayList<>();
        final MessageRecord record = new MessageRecord(8, 256);
        try (JournalReader reader = new JournalReader(journal, 8, 256))
        {
            while (reader.next(record))
            {
                if (flags == (record.flags() & RecordFlags.REMOTE) && (0 == origin || record.originNode() == origin) &&
                    0 != record.originId())
                {
                    ids.add(record.originId());
                }
            }
        }
        return ids;
    }
}
