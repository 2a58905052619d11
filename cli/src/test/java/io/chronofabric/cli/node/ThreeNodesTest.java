package io.chronofabric.cli.node;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three node processes on loopback, each publishing the trading workload: every node's journal ends with exactly the
 * messages of every origin, once each, in origin order; no causality violation anywhere; signals depended on other
 * nodes' ticks; each journal verifies.
 */
class ThreeNodesTest
{
    private static final int NODES = 3;
    private static final int MESSAGES = 30_000;

    @TempDir
    Path dir;

    @Test
    void everyNodeJournalsEveryOriginsMessagesExactlyOnceAndInCausalOrder() throws Exception
    {
        try (Deployment deployment = new Deployment(dir, NODES))
        {
            for (int node = 1; node <= NODES; node++)
            {
                // a hold timeout far above any delay a loaded 2-core host adds: a dead letter here is a lost dependency
                deployment.start(node, List.of(), "--messages", Integer.toString(MESSAGES), "--rate", "10000",
                    "--set", "hold.timeout-ms=60000");
            }
            long crossNode = 0;
            for (int node = 1; node <= NODES; node++)
            {
                final Deployment.Result result = deployment.await(node, 180);
                assertEquals(0, result.code(), result::toString);
                assertEquals(0, result.json().get("causality_violations").asLong(), result::toString);
                assertEquals(NODES * MESSAGES, result.json().get("published").asLong(), result::toString);
                assertEquals(0, result.json().get("unsettled").asLong(), result::toString);
                assertEquals(0, result.json().get("dead_letters").asLong(), "no dependency, local or cross-node, " +
                    "timed out or was dead-lettered: " + result);
                crossNode += result.json().get("cross_node_dependencies").asLong();
            }
            assertTrue(crossNode > 0, "signals depended on other nodes' ticks");
            final Map<Integer, List<Long>> reference = deployment.originIds(1);
            for (int node = 1; node <= NODES; node++)
            {
                final Map<Integer, List<Long>> journaled = deployment.originIds(node);
                assertEquals(NODES, journaled.size(), "origins in node " + node + "'s journal");
                for (int origin = 1; origin <= NODES; origin++)
                {
                    final List<Long> ids = journaled.get(origin);
                    assertEquals(MESSAGES, ids.size(), "node " + node + " holds origin " + origin + "'s messages");
                    assertEquals(reference.get(origin), ids, "node " + node + " holds origin " + origin +
                        "'s ids, once each, in origin order");
                }
                final Deployment.Result verify = Deployment.cli("journal", "verify",
                    deployment.journal(node).toString());
                assertEquals(0, verify.code(), verify::toString);
            }
        }
    }
}
