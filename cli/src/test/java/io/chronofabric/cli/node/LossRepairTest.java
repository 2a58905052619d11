package io.chronofabric.cli.node;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Aeron's debug receive endpoint dropping 5% of the data frames each node receives: Aeron repairs the loss (NAKs,
 * retransmits, counted), and no message is lost or duplicated in any journal.
 */
class LossRepairTest
{
    private static final int NODES = 2;
    private static final int MESSAGES = 30_000;
    private static final List<String> FIVE_PERCENT_LOSS = List.of("-Daeron.debug.receive.data.loss.rate=0.05",
        "-Daeron.debug.receive.data.loss.seed=7");

    @TempDir
    Path dir;

    @Test
    void fivePercentFrameLossIsRepairedWithoutLosingOrDuplicatingAMessage() throws Exception
    {
        try (Deployment deployment = new Deployment(dir, NODES))
        {
            for (int node = 1; node <= NODES; node++)
            {
                deployment.start(node, FIVE_PERCENT_LOSS, "--messages", Integer.toString(MESSAGES), "--rate",
                    "15000");
            }
            long naksSent = 0;
            long retransmits = 0;
            for (int node = 1; node <= NODES; node++)
            {
                final Deployment.Result result = deployment.await(node, 180);
                assertEquals(0, result.code(), result::toString);
                assertEquals(NODES * MESSAGES, result.json().get("published").asLong(), result::toString);
                naksSent += result.json().get("aeron").get("naks_sent").asLong();
                retransmits += result.json().get("aeron").get("retransmits_sent").asLong();
            }
            assertTrue(naksSent > 0, "receivers asked for the lost frames again: " + naksSent);
            assertTrue(retransmits > 0, "senders retransmitted them: " + retransmits);
            for (int node = 1; node <= NODES; node++)
            {
                final Map<Integer, List<Long>> journaled = deployment.originIds(node);
                for (int origin = 1; origin <= NODES; origin++)
                {
                    assertEquals(deployment.originIds(origin).get(origin), journaled.get(origin), "node " + node +
                        " holds origin " + origin + "'s messages once each, in order");
                    assertEquals(MESSAGES, journaled.get(origin).size());
                }
            }
        }
    }
}
