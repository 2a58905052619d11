package io.chronofabric.cli.node;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer that stops reading (SIGSTOP) while a node publishes: its lag grows in the journal, and at peer.max-lag the
 * configured policy applies. Quarantine: an alert, shipping to it stops, local publishing goes on; block: local
 * publishers wait. Either way, once the peer is back it catches up and nothing is lost or doubled.
 */
class SlowPeerTest
{
    private static final int MESSAGES = 40_000;
    private static final String MAX_LAG = "3000";

    @TempDir
    Path dir;

    @Test
    void aPeerOverMaxLagIsQuarantinedWithAnAlertAndCaughtUpLater() throws Exception
    {
        final Deployment.Result publisher = slowPeer("quarantine");
        assertTrue(publisher.log().contains("ALERT peer 2 quarantined"), publisher::toString);
        assertFalse(publisher.log().contains("local publishers paused"), "local publishing went on:\n" +
            publisher.log());
    }

    @Test
    void aPeerOverMaxLagBlocksLocalPublishersUntilItCatchesUp() throws Exception
    {
        final Deployment.Result publisher = slowPeer("block");
        assertTrue(publisher.log().contains("local publishers paused"), publisher::toString);
        assertTrue(publisher.log().contains("local publishers resumed"), publisher::toString);
        // the paused publishes are counted as pauses, not as the ring's backpressure
        assertTrue(publisher.json().get("publisher_pauses").asLong() > 0, publisher::toString);
    }

    private Deployment.Result slowPeer(final String policy) throws Exception
    {
        try (Deployment deployment = new Deployment(dir.resolve(policy), 2))
        {
            for (int node = 1; node <= 2; node++)
            {
                deployment.start(node, List.of(), "--messages", Integer.toString(MESSAGES), "--rate", "5000",
                    "--set", "peer.max-lag=" + MAX_LAG, "--set", "peer.lag-policy=" + policy);
            }
            // both running (node 2's JVM may start seconds late on a loaded host) and node 1 with most of its 8 s of
            // publishing still ahead: stopped for 2.5 s, node 2 falls far past peer.max-lag
            deployment.awaitJournaled(2, 2_000, 120);
            deployment.stop(2);
            Thread.sleep(2_500);
            deployment.resume(2);
            final Deployment.Result first = deployment.await(1, 180);
            final Deployment.Result second = deployment.await(2, 180);
            assertEquals(0, first.code(), first::toString);
            assertEquals(0, second.code(), second::toString);
            for (int node = 1; node <= 2; node++)
            {
                final Map<Integer, List<Long>> journaled = deployment.originIds(node);
                for (int origin = 1; origin <= 2; origin++)
                {
                    assertEquals(deployment.originIds(origin).get(origin), journaled.get(origin), "node " + node +
                        " holds origin " + origin + "'s messages once each, in order");
                }
            }
            final JsonNode lagged = first.json().get("peers").get(0);
            assertEquals("active", lagged.get("state").asText(), "back out of the policy at the end: " + lagged);
            return first;
        }
    }
}
