package io.chronofabric.cli.node;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.chronofabric.journal.EngineLimits;
import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.MessageRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node whose clock runs twice the maximum offset (hlc.max-offset-ms, 30 s here) ahead: the others refuse
 * its messages and count them, measure its clock offset, and their hybrid logical clocks do not move towards it;
 * it still takes theirs, and every run ends. {@code nodes} on a live node flags the fast peer's clock.
 */
class ClockAheadTest
{
    private static final int NODES = 3;
    private static final int MESSAGES = 10_000;
    private static final int FAST = 2;
    /**
     * A peer's messages are judged by its clock as the pings measure it, and each by its stamp against this node's
     * clock: a wide margin keeps the test clear of a ping's error bound (half a round trip, seconds on a loaded 2-core
     * host). The narrow case, late messages of a node just twice 500 ms ahead, is
     * {@code LateMessagesOfAClockAheadAreRefusedTest} in the node module.
     */
    private static final long MAX_OFFSET_MS = 30_000;
    private static final long AHEAD_MS = 2 * MAX_OFFSET_MS;

    @TempDir
    Path dir;

    @Test
    void messagesOfANodeTooFarAheadAreRejectedAndCountedAndLeaveTheOtherClocksAlone() throws Exception
    {
        try (Deployment deployment = new Deployment(dir, NODES))
        {
            final int metricsPort = freeTcpPort();
            for (int node = 1; node <= NODES; node++)
            {
                deployment.start(node, List.of(), "--messages", Integer.toString(MESSAGES), "--rate", "5000",
                    "--set", "hlc.max-offset-ms=" + MAX_OFFSET_MS, "--clock-offset-ms",
                    node == FAST ? Long.toString(AHEAD_MS) : "0", "--metrics-port", node == 1 ?
                    Integer.toString(metricsPort) : "0");
            }
            final String flag = awaitFlag(metricsPort);
            assertTrue(flag.contains("offset"), flag);
            for (int node = 1; node <= NODES; node++)
            {
                final Deployment.Result result = deployment.await(node, 180);
                assertEquals(0, result.code(), result::toString);
                final long endedAt = System.currentTimeMillis() * 1_000_000L;
                if (node == FAST)
                {
                    assertEquals(0, result.json().get("clock_offset_rejections").asLong(), result::toString);
                    continue;
                }
                assertEquals(MESSAGES, result.json().get("clock_offset_rejections").asLong(), result::toString);
                final JsonNode fast = peer(result.json(), FAST);
                assertEquals(MESSAGES, fast.get("clock_rejections").asLong(), fast::toString);
                assertEquals(0, fast.get("journaled_from_peer").asLong(), fast::toString);
                final double offsetMs = fast.get("clock_offset_ns").asLong() / 1e6;
                assertTrue(Math.abs(offsetMs - AHEAD_MS) < 1_000, "measured offset " + offsetMs + " ms");
                final long maxHlc = maxHlcWall(deployment.journal(node));
                assertTrue(maxHlc <= endedAt, "node " + node + "'s HLC stayed with its own clock: latest stamp " +
                    (maxHlc - endedAt) / 1e6 + " ms after the run ended");
            }
        }
    }

    /** Polls {@code nodes} on node 1 while it runs until it flags the fast peer's clock; returns that flag. */
    private static String awaitFlag(final int metricsPort) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 60_000_000_000L;
        Deployment.Result last = null;
        while (System.nanoTime() < deadline)
        {
            last = Deployment.cli("nodes", "--url", "http://127.0.0.1:" + metricsPort + "/metrics",
                "--max-offset-ms", Long.toString(MAX_OFFSET_MS), "--json");
            // peers still connecting are flagged as lagging at first; wait for the clock's own flag
            if (1 == last.code() && null != last.json())
            {
                for (final JsonNode flag : last.json().get("flags"))
                {
                    if (flag.asText().startsWith("peer " + FAST) && flag.asText().contains("clock"))
                    {
                        return flag.asText();
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("nodes never flagged the fast peer: " + last);
    }

    private static int freeTcpPort() throws java.io.IOException
    {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    private static JsonNode peer(final JsonNode run, final int peer)
    {
        for (final JsonNode each : run.get("peers"))
        {
            if (each.get("peer").asInt() == peer)
            {
                return each;
            }
        }
        throw new AssertionError("no peer " + peer + " in " + run);
    }

    private static long maxHlcWall(final Path journal)
    {
        long max = 0;
        final MessageRecord record = new MessageRecord(EngineLimits.MAX_DEPENDENCIES, EngineLimits.MAX_PAYLOAD);
        try (JournalReader reader = new JournalReader(journal, EngineLimits.MAX_DEPENDENCIES,
            EngineLimits.MAX_PAYLOAD))
        {
            while (reader.next(record))
            {
                max = Math.max(max, record.hlcWall());
            }
        }
        return max;
    }
}
