package io.chronofabric.cli.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operator's mistake, with real processes: node 2 killed, then restarted without {@code --resume} (its journal set
 * aside as {@code DIR.previous}, a fresh one numbering its messages from 1 again). Node 1 refuses it and runs on; the
 * restarted node 2 stops publishing at once and exits 1 with one line saying why and what to do, no stack trace. Put
 * back on its own journal with {@code --resume}, node 2 is taken again, both runs end with exit 0, and node 1 holds
 * node 2's whole stream once, as node 2's own journal does.
 */
class RestartOnAFreshJournalIsRefusedTest
{
    private static final String NODE1_MESSAGES = "20000";
    private static final String FRESH_MESSAGES = "20000";

    @TempDir
    Path dir;

    @Test
    void aNodeRestartedOnAFreshJournalStopsSayingWhyWhileItsPeerRunsOnAndTakesItBackOnItsJournal() throws Exception
    {
        try (Deployment deployment = new Deployment(dir, 2))
        {
            deployment.start(1, List.of(), "--messages", NODE1_MESSAGES, "--rate", "2000", "--peer-wait-ms", "120000");
            deployment.start(2, List.of(), "--messages", "4000", "--rate", "2000", "--peer-wait-ms", "120000");
            deployment.awaitJournaledFrom(1, 2, 1000, 60);
            deployment.kill(2);

            deployment.start(2, List.of(), "--messages", FRESH_MESSAGES, "--rate", "2000", "--peer-wait-ms", "120000");
            final Deployment.Result refused = deployment.await(2, 60);
            assertEquals(1, refused.code(), refused::toString);
            assertTrue(refused.log().contains("run: node 2 stopped: peer 1 refuses node 2: it restarted on another " +
                "journal"), refused::toString);
            assertTrue(refused.log().contains("restart it with --resume on that journal"), refused::toString);
            assertFalse(refused.log().contains("PeerRefusedException") ||
                refused.log().contains("AgentTerminationException"), "no stack trace for a refusal: " + refused);
            assertTrue(refused.json().get("own_published").asLong() < Long.parseLong(FRESH_MESSAGES),
                "it stopped publishing when it was refused: " + refused.json().get("own_published"));
            assertTrue(refused.json().path("node_stopped").asText().startsWith("peer 1 refuses node 2: it " +
                "restarted on another journal"), "the summary says why: " + refused.json());

            final Path journal2 = deployment.journal(2);
            Files.move(journal2, journal2.resolveSibling("journal-2.fresh"));
            Files.move(journal2.resolveSibling("journal-2.previous"), journal2);
            deployment.start(2, List.of(), "--resume", "--messages", "2000", "--rate", "2000", "--peer-wait-ms",
                "120000");

            final Deployment.Result node2 = deployment.await(2, 120);
            assertEquals(0, node2.code(), node2::toString);
            final Deployment.Result node1 = deployment.await(1, 120);
            assertEquals(0, node1.code(), node1::toString);
            assertTrue(node1.log().contains("ALERT peer 2 refused: it restarted on another journal"), node1::toString);
            assertEquals(0, node1.json().get("causality_violations").asLong(), node1::toString);

            final List<Long> ownOf2 = deployment.originIds(2).get(2);
            final List<Long> heldBy1 = deployment.originIds(1).get(2);
            assertEquals(ownOf2, heldBy1, "node 1 holds node 2's stream as node 2's journal does, in order");
            assertEquals(heldBy1.size(), new HashSet<>(heldBy1).size(), "each once");
        }
    }
}
