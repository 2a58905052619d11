package io.chronofabric.cli.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nodes 1 and 2 cut off from each other (the node's partition drill) for longer than the peer timeout and the hold
 * timeout, while both still talk to node 3, then healed: both mark the other unreachable, resume each other's stream
 * from their high-water marks afterwards, and end with every origin's messages exactly once; a message depending on
 * a message of the other side of the partition is held, then delivered or dead-lettered after its hold timeout,
 * and nothing is left held or unsettled.
 */
class PartitionHealsTest
{
    private static final int NODES = 3;
    private static final int MESSAGES = 24_000;

    @TempDir
    Path dir;

    @Test
    void bothSidesOfAHealedPartitionCatchUpWithNothingLostOrDoubled() throws Exception
    {
        try (Deployment deployment = new Deployment(dir, NODES))
        {
            // a rate three nodes keep up with on two cores: at 5,000 msg/s each their streams lagged seconds behind,
            // and what depends on a tick from across the cut could arrive after the heal, when nothing is held for it
            for (int node = 1; node <= NODES; node++)
            {
                deployment.start(node, List.of("-Dchronofabric.node.partition-file=" + dir.resolve("cut-" + node)),
                    "--messages", Integer.toString(MESSAGES), "--rate", "2000", "--set", "peer.timeout-ms=500",
                    "--set", "hold.timeout-ms=1000");
            }
            deployment.awaitJournaled(1, 6_000, 120);
            // the cut must part two nodes that hear each other: on a slow machine node 1 can hold 6,000 records
            // (its own and node 3's) before node 2's first heartbeat, and a peer never heard is not unreachable
            deployment.awaitJournaledFrom(1, 2, 1_000, 120);
            deployment.awaitJournaledFrom(2, 1, 1_000, 120);
            Files.writeString(dir.resolve("cut-1"), "2");
            Files.writeString(dir.resolve("cut-2"), "1");
            Thread.sleep(5_000);
            Files.delete(dir.resolve("cut-1"));
            Files.delete(dir.resolve("cut-2"));

            long held = 0;
            long timedOut = 0;
            final StringBuilder summary = new StringBuilder();
            for (int node = 1; node <= NODES; node++)
            {
                final Deployment.Result result = deployment.await(node, 240);
                summary.append("\n  node ").append(node).append(": held ").append(result.json().get("held"))
                    .append(", dead letters ").append(result.json().get("dead_letters_by_reason"))
                    .append(", cross-node dependencies ").append(result.json().get("cross_node_dependencies"))
                    .append(", peers ").append(result.json().get("peers"));
                assertEquals(0, result.code(), result::toString);
                assertEquals(0, result.json().get("causality_violations").asLong(), result::toString);
                assertEquals(0, result.json().get("unsettled").asLong(), result::toString);
                assertEquals(0, result.json().get("held_now").asLong(), result::toString);
                if (node != 3)
                {
                    held += result.json().get("held").asLong();
                    timedOut += result.json().get("dead_letters_by_reason").get("dependency_timeout").asLong();
                    assertTrue(result.log().contains("unreachable"), "node " + node + " saw its peer across the " +
                        "partition go unreachable:\n" + result.log());
                    final int other = 3 - node;
                    for (final var peer : result.json().get("peers"))
                    {
                        if (peer.get("peer").asInt() == other)
                        {
                            assertTrue(peer.get("resends_requested").asLong() >= 2, "asked " + other +
                                " to resend after the partition: " + peer);
                        }
                    }
                }
            }
            assertTrue(held > 0, "messages depending on the other side of the partition were held" + summary);
            // node 3's signals that depend on a tick of the other side reach a cut-off node before that tick can:
            // held there, and dead-lettered after hold.timeout-ms (1 s) as the partition lasts 5 s
            assertTrue(timedOut > 0, "a cross-node dependency across the partition timed out: " + timedOut + summary);
            for (int node = 1; node <= NODES; node++)
            {
                final Map<Integer, List<Long>> journaled = deployment.originIds(node);
                for (int origin = 1; origin <= NODES; origin++)
                {
                    assertEquals(deployment.originIds(origin).get(origin), journaled.get(origin), "node " + node +
                        " holds origin " + origin + "'s messages once each, in order");
                }
            }
        }
    }
}
