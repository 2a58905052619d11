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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Journal retention on a node never deletes its own messages a peer has not journaled: a peer away while retention
 * runs (down, partitioned, slow) still gets every message from the journal when it asks, and the run ends. The cycles
 * it keeps for the peer are reported as held for that peer: they were reported as holding an unsettled message,
 * with a settled watermark of 0 that contradicted the metrics (a black-box helper's finding).
 */
class RetentionKeepsWhatAPeerLacksTest
{
    private static final int BATCH = 100;
    private static final int BATCHES = 4;

    @TempDir
    Path tmp;

    @Test
    void aPeerThatWasAwayWhileRetentionRanGetsEveryMessage() throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        final Map<String, String> settings = Map.of("journal.roll-cycle", "TEST_SECONDLY",
            "journal.retention.max-age-ms", "1");
        try (Engine engine1 = InProcessNodes.engine(tmp, 1, settings);
             Node node1 = InProcessNodes.node(tmp, engine1, port1, 2, port2))
        {
            final Publisher publisher = engine1.newPublisher(7);
            long last = 0;
            for (int batch = 0; batch < BATCHES; batch++)
            {
                for (int i = 0; i < BATCH; i++)
                {
                    last = publisher.publish(InProcessNodes.TYPE, (value, buffer) -> buffer.putLong(value), (long)i);
                }
                Thread.sleep(1_500);
            }
            final Path journal1 = tmp.resolve("journal-1");
            // retention passes run meanwhile: the cycles are old enough and settled, but peer 2 has journaled none
            Thread.sleep(2_000);
            assertEquals(BATCH * BATCHES, JournalFiles.countRecords(journal1), "retention kept what peer 2 lacks");
            // and says so, naming the peer, not as an unsettled message (every message here is settled)
            assertTrue(engine1.retention().held(), "retention is reported held for the peer");
            assertFalse(engine1.retention().blocked(), engine1.retention().blockedReason());
            assertTrue(engine1.retention().heldReason().contains("peer 2"), engine1.retention().heldReason());
            node1.endOfStream(last);
            // peer 2 comes up (for the first time, or back from a partition) and asks for node 1's stream
            try (Engine engine2 = InProcessNodes.engine(tmp, 2, Map.of());
                 Node node2 = InProcessNodes.node(tmp, engine2, port2, 1, port1))
            {
                node2.endOfStream(0);
                final String why = node2.awaitPeersDone(Duration.ofSeconds(20));
                final long journaled = InProcessNodes.byOrigin(tmp.resolve("journal-2"), 256).getOrDefault(1, 0L);
                assertNull(why, why);
                assertEquals(BATCH * BATCHES, journaled, "node 2 reports done with " + journaled + " of node 1's " +
                    BATCH * BATCHES + " messages: " + InProcessNodes.peer(node2, 1));
            }
        }
    }
}
