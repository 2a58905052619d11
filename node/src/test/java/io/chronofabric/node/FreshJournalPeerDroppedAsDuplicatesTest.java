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
 * Review-14 defect: a peer restarted without --resume (run sets its old journal aside and starts a fresh one) numbers
 * its messages from 1 again. Nothing on the wire identifies the journal an origin id belongs to (the incarnation is
 * random per start and only triggers a resend), so a node that kept running drops every one of the new messages at or
 * below its old high-water mark as a "duplicate", and its end-of-run check (end origin id <= high-water mark) passes:
 * it reports success having lost the peer's whole new stream.
 */
class FreshJournalPeerDroppedAsDuplicatesTest
{
    private static final int MESSAGES = 200;

    @TempDir
    Path tmp;

    @Test
    void aPeerThatStartsAFreshJournalIsNotSilentlyDeduplicatedAway() throws Exception
    {
        final int port1 = TwoNodesInProcessTest.freePort();
        final int port2 = TwoNodesInProcessTest.freePort();
        try (Engine engine1 = ReviewNodes.engine(tmp, 1, Map.of());
             Node node1 = ReviewNodes.node(tmp, engine1, port1, 2, port2))
        {
            try (Engine engine2 = ReviewNodes.engine(tmp, "journal-2a", 2, Map.of(), null, new ConcurrentHashMap<>());
                 Node node2 = ReviewNodes.node(tmp, engine2, port2, 1, port1))
            {
                final long last = publish(engine2);
                node2.endOfStream(last);
                assertTrue(ReviewNodes.await(() -> ReviewNodes.peer(node1, 2).received() == MESSAGES, 10_000));
            }
            try (Engine engine2 = ReviewNodes.engine(tmp, "journal-2b", 2, Map.of(), null, new ConcurrentHashMap<>());
                 Node node2 = ReviewNodes.node(tmp, engine2, port2, 1, port1))
            {
                final long last = publish(engine2);
                node2.endOfStream(last);
                node1.endOfStream(0);
                final String why = node1.awaitPeersDone(Duration.ofSeconds(10));
                final long journaled = ReviewNodes.byOrigin(tmp.resolve("journal-1"), 256).getOrDefault(2, 0L);
                // either node 1 journals the second stream too, or it refuses to call the run done
                if (null == why)
                {
                    assertEquals(2 * MESSAGES, journaled, "node 1 reports done, yet journaled " + journaled +
                        " of node 2's " + 2 * MESSAGES + " messages: " + ReviewNodes.peer(node1, 2));
                }
            }
        }
    }

    private static long publish(final Engine engine)
    {
        final Publisher publisher = engine.newPublisher(7);
        long last = 0;
        for (int i = 0; i < MESSAGES; i++)
        {
            last = publisher.publish(ReviewNodes.TYPE, (value, buffer) -> buffer.putLong(value), (long)i);
        }
        return last;
    }
}
