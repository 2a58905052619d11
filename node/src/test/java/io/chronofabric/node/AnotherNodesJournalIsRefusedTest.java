package io.chronofabric.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal is one node's: node 1 started on node 2's journal would ship node 2's messages as its own and issue ids
 * that collide with those its peers hold of node 2. It is refused, before the engine starts on it when the embedder
 * asks ({@link Node#requireOwnJournal}), and at the latest when the node starts.
 */
class AnotherNodesJournalIsRefusedTest
{
    @TempDir
    Path tmp;

    @Test
    void aNodeStartedOnAnotherNodesJournalIsRefusedNamingBoth() throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        try (Engine engine2 = InProcessNodes.engine(tmp, 2, Map.of());
             Node node2 = InProcessNodes.node(tmp, engine2, port2, 1, port1))
        {
            InProcessNodes.publish(engine2.newPublisher(7), 10);
        }
        final Path journal2 = tmp.resolve("journal-2");
        final JournalOfAnotherNodeException early = assertThrows(JournalOfAnotherNodeException.class,
            () -> Node.requireOwnJournal(1, journal2));
        assertTrue(early.getMessage().contains("is node 2's (node.properties), not node 1's"), early::getMessage);
        assertDoesNotThrow(() -> Node.requireOwnJournal(2, journal2));
        assertDoesNotThrow(() -> Node.requireOwnJournal(1, tmp.resolve("fresh")));

        final String identity = Files.readString(journal2.resolve(Node.IDENTITY_FILE));
        try (Engine engine1 = InProcessNodes.engine(tmp, "journal-2", 1, Map.of(), null, new ConcurrentHashMap<>()))
        {
            final JournalOfAnotherNodeException late = assertThrows(JournalOfAnotherNodeException.class,
                () -> InProcessNodes.node(tmp, engine1, port1, 2, port2));
            assertEquals(early.getMessage(), late.getMessage());
        }
        assertEquals(identity, Files.readString(journal2.resolve(Node.IDENTITY_FILE)), "still node 2's");
    }

    @Test
    void aJournalWhoseIdentityNamesNoNodeIsTakenByTheNodeStartedOnIt() throws Exception
    {
        final Path journal = tmp.resolve("journal-1");
        Files.createDirectories(journal);
        Files.writeString(journal.resolve(Node.IDENTITY_FILE), "epoch=42\n");
        final int port1 = InProcessNodes.freePort();
        try (Engine engine1 = InProcessNodes.engine(tmp, 1, Map.of());
             Node node1 = InProcessNodes.node(tmp, engine1, port1, 2, InProcessNodes.freePort()))
        {
            assertDoesNotThrow(() -> Node.requireOwnJournal(1, journal));
        }
        assertThrows(JournalOfAnotherNodeException.class, () -> Node.requireOwnJournal(3, journal));
        assertTrue(Files.readString(journal.resolve(Node.IDENTITY_FILE)).contains("epoch=42"), "its epoch is kept");
    }
}
