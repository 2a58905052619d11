package io.chronofabric.cli.node;

import java.nio.file.Files;
import java.nio.file.Path;

import io.chronofabric.cli.FreePorts;
import io.chronofabric.cli.UsageErrors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node's {@code run --metrics-out} holds what a scrape of the node would hold, its node families included (a
 * black-box round found the file without any peer or Aeron family), and a value not measured yet is its documented
 * sentinel: -1 for a clock offset's error bound before the first ping, not -1 ns.
 */
class NodeMetricsOutTest
{
    @TempDir
    Path dir;

    @Test
    void aNodesFinalMetricsHoldItsPeerFamiliesWithTheirSentinels() throws Exception
    {
        final Path metrics = dir.resolve("final.txt");
        final UsageErrors.Result run = UsageErrors.run("run", "--journal", dir.resolve("journal").toString(),
            "--messages", "10", "--warmup", "0", "--node", "2", "--listen", "127.0.0.1:" + FreePorts.udp(), "--peer",
            "1=127.0.0.1:" + FreePorts.udp(), "--peer-wait-ms", "300", "--metrics-out", metrics.toString());
        assertEquals(1, run.code(), "the peer never comes: " + run);
        final String text = Files.readString(metrics);
        assertTrue(text.contains("chronofabric_peer_lag_messages{peer=\"1\"} 10.0"), text);
        assertTrue(text.contains("chronofabric_peer_clock_offset_error_seconds{peer=\"1\"} -1.0\n"), text);
        assertTrue(text.contains("chronofabric_peer_rtt_seconds{peer=\"1\",quantile=\"0.5\"} -1.0\n"), text);
        assertTrue(text.contains("chronofabric_node_stopped 0.0"), text);
        assertTrue(text.contains("chronofabric_messages_published_total 10.0"), text);
    }
}
