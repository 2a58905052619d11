package io.chronofabric.cli.node;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No wait without end: under peer.lag-policy=block a peer that never comes up pauses the local publishers at
 * peer.max-lag, and the run's publish would wait for it for ever. The run gives up after --peer-wait-ms of paused
 * publishing, exit 1, naming the peer and the policy.
 */
class PausedForAPeerThatNeverComesTest
{
    @TempDir
    Path dir;

    @Test
    void aRunWhosePublishersStayPausedForAPeerGivesUpAfterThePeerWaitNamingIt() throws Exception
    {
        try (Deployment deployment = new Deployment(dir, 2))
        {
            final long started = System.nanoTime();
            deployment.start(1, List.of(), "--messages", "100000", "--rate", "1000", "--peer-wait-ms", "3000",
                "--set", "peer.max-lag=100");
            final Deployment.Result result = deployment.await(1, 60);
            assertEquals(1, result.code(), result::toString);
            assertTrue(result.log().contains("run: node 1 gave up after --peer-wait-ms 3000: local publishers stayed " +
                "paused (peer.lag-policy=block) for the whole wait: peer 2 (unreachable) is "), result::toString);
            assertTrue(result.log().contains("at least peer.max-lag=100"), result::toString);
            assertTrue(result.json().get("own_published").asLong() < 10_000, result::toString);
            // nothing is published after it gave up: the peer lacks exactly what the line and the report say
            final long published = result.json().get("own_published").asLong();
            assertTrue(result.log().contains("peer 2 (unreachable) is " + published + " messages behind"),
                "the node published " + published + ": " + result);
            assertEquals(published, result.json().get("peers").get(0).get("lag_messages").asLong(), result::toString);
            assertEquals(published, result.json().get("journal").get("messages").asLong(), result::toString);
            assertTrue(System.nanoTime() - started < 50_000_000_000L, "it ended within seconds of the wait");
        }
    }
}
