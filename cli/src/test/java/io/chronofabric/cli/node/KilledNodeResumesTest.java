package io.chronofabric.cli.node;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node killed with SIGKILL in the middle of a run and restarted with {@code --resume}: its peers wait for it, it
 * asks them to resend from what its journal holds, they ask it likewise, and every node ends with every origin's
 * messages exactly once. With a hold timeout longer than the outage, no dependency (cross-node ones on messages
 * settled before the kill included) is dead-lettered.
 */
class KilledNodeResumesTest
{
    private static final int NODES = 3;
    private static final int MESSAGES = 30_000;
    private static final int VICTIM = 2;

    @TempDir
    Path dir;

    @Test
    void aKilledAndResumedNodeLeavesEveryJournalWithEveryOriginsMessagesExactlyOnce() throws Exception
    {
        try (Deployment deployment = new Deployment(dir, NODES))
        {
            for (int node = 1; node <= NODES; node++)
            {
                deployment.start(node, List.of(), "--messages", Integer.toString(MESSAGES), "--rate", "10000",
                    "--peer-wait-ms", "120000", "--set", "hold.timeout-ms=60000");
            }
            // mid-run: the victim has journaled its own messages and some of its peers'
            deployment.awaitJournaled(VICTIM, 2 * MESSAGES / 3, 120);
            deployment.kill(VICTIM);
            final long beforeRestart = deployment.originIds(VICTIM).getOrDefault(VICTIM, List.of()).size();
            assertTrue(beforeRestart > 0 && beforeRestart < MESSAGES, "killed mid-run: " + beforeRestart);

            deployment.start(VICTIM, List.of(), "--resume", "--messages", Integer.toString(MESSAGES), "--rate",
                "10000", "--peer-wait-ms", "120000", "--set", "hold.timeout-ms=60000");
            for (int node = 1; node <= NODES; node++)
            {
                final Deployment.Result result = deployment.await(node, 240);
                assertEquals(0, result.code(), result::toString);
                assertEquals(0, result.json().get("causality_violations").asLong(), result::toString);
                assertEquals(0, result.json().get("unsettled").asLong(), result::toString);
                assertEquals(0, result.json().get("dead_letters").asLong(), result::toString);
            }
            final Map<Integer, List<Long>> reference = deployment.originIds(VICTIM);
            // the victim's own stream: what it journaled before the kill and everything the resumed run published
            assertEquals(beforeRestart + MESSAGES, reference.get(VICTIM).size());
            for (int node = 1; node <= NODES; node++)
            {
                final Map<Integer, List<Long>> journaled = deployment.originIds(node);
                for (int origin = 1; origin <= NODES; origin++)
                {
                    final List<Long> ids = journaled.get(origin);
                    assertEquals(ids.size(), new HashSet<>(ids).size(), "node " + node + " holds origin " + origin +
                        "'s messages once each");
                    assertEquals(deployment.originIds(origin).get(origin), ids, "node " + node + " holds exactly " +
                        "origin " + origin + "'s own stream, in order");
                }
            }
        }
    }
}
