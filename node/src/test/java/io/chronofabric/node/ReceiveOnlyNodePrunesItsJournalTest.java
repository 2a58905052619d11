package io.chronofabric.node;

import java.nio.file.Path;
import java.util.Map;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retention on a node keeps its own messages a peer lacks, and nothing else: a node that only receives (or whose
 * peers have every message of its own) prunes its journal. The hold was the peers' acknowledgement of this node's
 * own ids, used as a limit on all local ids, so a node that published nothing was held at 0 and never deleted
 * anything, and one that stopped publishing kept everything it received after (an adversarial review's finding).
 */
class ReceiveOnlyNodePrunesItsJournalTest
{
    private static final int BATCH = 100;
    private static final int BATCHES = 4;

    @TempDir
    Path tmp;

    @Test
    void aNodeThatPublishesNothingPrunesWhatItReceived() throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        final Map<String, String> retention = Map.of("journal.roll-cycle", "TEST_SECONDLY",
            "journal.retention.max-age-ms", "1");
        try (Engine engine1 = InProcessNodes.engine(tmp, 1, Map.of());
             Node node1 = InProcessNodes.node(tmp, engine1, port1, 2, port2);
             Engine engine2 = InProcessNodes.engine(tmp, 2, retention);
             Node node2 = InProcessNodes.node(tmp, engine2, port2, 1, port1))
        {
            final Publisher publisher = engine1.newPublisher(7);
            for (int batch = 0; batch < BATCHES; batch++)
            {
                for (int i = 0; i < BATCH; i++)
                {
                    publisher.publish(InProcessNodes.TYPE, (value, buffer) -> buffer.putLong(value), (long)i);
                }
                Thread.sleep(1_500);
            }
            final long deadline = System.currentTimeMillis() + 10_000;
            while (0 == engine2.retention().deletedCycles() && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(100);
            }
            assertTrue(engine2.retention().deletedCycles() > 0, "node 2 deleted nothing: " +
                engine2.retention().heldReason());
            assertFalse(engine2.retention().held(), engine2.retention().heldReason());
        }
    }
}
