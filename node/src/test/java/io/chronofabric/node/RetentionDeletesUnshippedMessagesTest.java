package io.chronofabric.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.journal.JournalFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review-14 defect: journal retention deletes roll cycles once their messages are settled locally, without regard to
 * what peers still lack; and Shipper.resendAfter, when the journal no longer reaches back to the peer's high-water
 * mark, starts at the oldest record left and stamps the first frame's "previous origin id" with the peer's own mark
 * (previousShipped = afterOriginId), so the receiver sees no gap. A peer that was down, partitioned or slow while
 * retention ran silently loses everything in the deleted cycles, and both runs report success.
 */
class RetentionDeletesUnshippedMessagesTest
{
    private static final int BATCH = 100;
    private static final int BATCHES = 4;

    @TempDir
    Path tmp;

    @Test
    void aPeerThatWasAwayWhileRetentionRanGetsEveryMessageOrTheRunFails() throws Exception
    {
        final int port1 = TwoNodesInProcessTest.freePort();
        final int port2 = TwoNodesInProcessTest.freePort();
        final Map<String, String> settings = Map.of("journal.roll-cycle", "TEST_SECONDLY",
            "journal.retention.max-age-ms", "1");
        try (Engine engine1 = ReviewNodes.engine(tmp, 1, settings);
             Node node1 = ReviewNodes.node(tmp, engine1, port1, 2, port2))
        {
            final Publisher publisher = engine1.newPublisher(7);
            long last = 0;
            for (int batch = 0; batch < BATCHES; batch++)
            {
                for (int i = 0; i < BATCH; i++)
                {
                    last = publisher.publish(ReviewNodes.TYPE, (value, buffer) -> buffer.putLong(value), (long)i);
                }
                Thread.sleep(1_500);
            }
            final Path journal1 = tmp.resolve("journal-1");
            assertTrue(ReviewNodes.await(() -> JournalFiles.countRecords(journal1) < BATCH * BATCHES, 10_000),
                "retention deleted node 1's old cycles: " + JournalFiles.countRecords(journal1));
            node1.endOfStream(last);
            // peer 2 comes up (for the first time, or back from a partition) and asks for node 1's stream
            try (Engine engine2 = ReviewNodes.engine(tmp, 2, Map.of());
                 Node node2 = ReviewNodes.node(tmp, engine2, port2, 1, port1))
            {
                node2.endOfStream(0);
                final String why = node2.awaitPeersDone(Duration.ofSeconds(10));
                final long journaled = ReviewNodes.byOrigin(tmp.resolve("journal-2"), 256).getOrDefault(1, 0L);
                if (null == why)
                {
                    assertEquals(BATCH * BATCHES, journaled, "node 2 reports done with " + journaled + " of node 1's " +
                        BATCH * BATCHES + " messages: " + ReviewNodes.peer(node2, 1));
                }
            }
        }
    }
}
