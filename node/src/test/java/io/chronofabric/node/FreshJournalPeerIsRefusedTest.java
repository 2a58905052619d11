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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer restarted on a fresh journal (run without --resume) numbers its messages from 1 again. Its journal epoch
 * (node.properties) differs from the one whose messages this node holds, so this node stops with the reason instead
 * of dropping the new stream as duplicates and calling the run done.
 */
class FreshJournalPeerIsRefusedTest
{
    private static final int MESSAGES = 200;

    @TempDir
    Path tmp;

    @Test
    void aPeerThatStartsAFreshJournalIsNotSilentlyDeduplicatedAway() throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        try (Engine engine1 = InProcessNodes.engine(tmp, 1, Map.of());
             Node node1 = InProcessNodes.node(tmp, engine1, port1, 2, port2))
        {
            try (Engine engine2 = InProcessNodes.engine(tmp, "journal-2a", 2, Map.of(), null, new ConcurrentHashMap<>());
                 Node node2 = InProcessNodes.node(tmp, engine2, port2, 1, port1))
            {
                final long last = publish(engine2);
                node2.endOfStream(last);
                assertTrue(InProcessNodes.await(() -> InProcessNodes.peer(node1, 2).received() == MESSAGES, 10_000));
            }
            try (Engine engine2 = InProcessNodes.engine(tmp, "journal-2b", 2, Map.of(), null, new ConcurrentHashMap<>());
                 Node node2 = InProcessNodes.node(tmp, engine2, port2, 1, port1))
            {
                final long last = publish(engine2);
                node2.endOfStream(last);
                node1.endOfStream(0);
                // node 1 hears the new journal's epoch in node 2's first heartbeat
                assertTrue(InProcessNodes.await(() -> null != node1.failure(), 10_000), "node 1 stopped");
                assertTrue(node1.failure().getMessage().contains("restarted on another journal"),
                    node1.failure()::toString);
                final String why = node1.awaitPeersDone(Duration.ofSeconds(1));
                assertTrue(null != why && why.contains("another journal"), why);
                assertEquals(MESSAGES, InProcessNodes.byOrigin(tmp.resolve("journal-1"), 256).getOrDefault(2, 0L),
                    "nothing of the new stream was taken for the old one's");
            }
        }
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
