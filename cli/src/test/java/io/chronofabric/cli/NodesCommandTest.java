package io.chronofabric.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chronofabric.cli.NodeScrape.Peer;
import org.junit.jupiter.api.Test;

import static io.chronofabric.cli.UsageErrors.assertOneLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code chronofabric nodes} against a local endpoint serving a node's canned {@code /metrics}: a row per peer and
 * Aeron's counters, a flag line per unhealthy peer (unreachable, quarantined, lagging, clock off), exit 0 without a
 * flag and 1 with one; "no peers" for an engine that is not a node, and a flag for a node still starting; one line
 * and exit 2 for an endpoint it cannot use.
 */
class NodesCommandTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldListTwoHealthyPeersWithoutFlagsAndExitZero() throws IOException
    {
        try (CannedEndpoint endpoint = new CannedEndpoint(NodeScrape.node(Peer.healthy(2), Peer.healthy(3))))
        {
            final UsageErrors.Result table = UsageErrors.run("nodes", "--url", endpoint.url());
            assertEquals(0, table.code(), table::toString);
            assertTrue(table.out().lines().anyMatch(line -> line.matches("2\\s+active\\s+0\\s+0\\s+0\\.125\\s+" +
                "0\\.300\\s+\\+0\\.020 ± 0\\.060\\s+10002\\s+12002\\s+3\\s+1/2\\s+0")), table::toString);
            assertTrue(table.out().lines().anyMatch(line -> line.startsWith("3      active")), table::toString);
            assertTrue(table.out().contains("aeron: NAKs sent 4, NAKs received 5, retransmits sent 6, loss gap " +
                "fills 0"), table::toString);
            assertTrue(table.out().contains("clock offset beyond 500 ms (the hlc.max-offset-ms default; the " +
                "endpoint does not expose the setting)"), table::toString);
            assertTrue(table.out().contains("flags: none"), table::toString);
            assertTrue(table.err().isEmpty(), table::toString);

            final UsageErrors.Result json = UsageErrors.run("nodes", "--json", "--url", endpoint.url());
            assertEquals(0, json.code(), json::toString);
            final JsonNode report = JSON.readTree(json.out());
            assertEquals(2, report.get("peers").size(), json::toString);
            final JsonNode peer = report.get("peers").get(0);
            assertEquals(2, peer.get("peer").asInt());
            assertEquals("active", peer.get("state").asText());
            assertEquals(0, peer.get("lag_messages").asLong());
            assertEquals(0.125, peer.get("rtt_p50_ms").asDouble(), 1e-9);
            assertEquals(0.3, peer.get("rtt_p99_ms").asDouble(), 1e-9);
            assertEquals(0.02, peer.get("clock_offset_ms").asDouble(), 1e-9);
            assertEquals(0.06, peer.get("clock_offset_error_ms").asDouble(), 1e-9);
            assertEquals(10_002, peer.get("received").asLong());
            assertEquals(12_002, peer.get("shipped").asLong());
            assertEquals(3, peer.get("duplicates_dropped").asLong());
            assertEquals(1, peer.get("resends_requested").asLong());
            assertEquals(2, peer.get("resends_served").asLong());
            assertEquals(0, peer.get("clock_rejections").asLong());
            assertEquals(3, report.get("peers").get(1).get("peer").asInt());
            assertEquals(4, report.get("aeron").get("naks_sent").asLong());
            assertEquals(5, report.get("aeron").get("naks_received").asLong());
            assertEquals(6, report.get("aeron").get("retransmits_sent").asLong());
            assertEquals(0, report.get("aeron").get("loss_gap_fills").asLong());
            assertEquals(0, report.get("flags").size());
            assertEquals(500, report.get("limits").get("max_offset_ms").asDouble());
        }
    }

    @Test
    void shouldFlagAnUnreachableAndAQuarantinedPeerAndExitOne() throws IOException
    {
        try (CannedEndpoint endpoint = new CannedEndpoint(NodeScrape.node(Peer.of(2, "unreachable", 1_200, 0),
            Peer.of(3, "quarantined", 1_000_000, 0))))
        {
            final UsageErrors.Result table = UsageErrors.run("nodes", "--url", endpoint.url());
            assertEquals(Main.EXIT_FAILURE, table.code(), table::toString);
            assertTrue(table.out().contains("FLAG peer 2: unreachable; lagging: 1200 message(s) (57600 bytes) " +
                "behind while unreachable\n"), table::toString);
            assertTrue(table.out().contains("FLAG peer 3: quarantined; lagging: 1000000 message(s) (48000000 bytes) " +
                "behind, over 100000\n"), table::toString);
            assertFalse(table.out().contains("flags: none"), table::toString);

            final UsageErrors.Result json = UsageErrors.run("nodes", "--json", "--url", endpoint.url());
            assertEquals(Main.EXIT_FAILURE, json.code(), json::toString);
            final JsonNode flags = JSON.readTree(json.out()).get("flags");
            assertEquals(2, flags.size(), json::toString);
            assertTrue(flags.get(0).asText().startsWith("peer 2: unreachable"), json::toString);
            assertTrue(flags.get(1).asText().startsWith("peer 3: quarantined"), json::toString);
        }
    }

    @Test
    void shouldFlagAPeerWhoseClockIsASecondOffUnlessTheMaxOffsetIsRaised() throws IOException
    {
        try (CannedEndpoint endpoint = new CannedEndpoint(NodeScrape.node(Peer.healthy(2),
            Peer.of(3, "active", 0, 1.0))))
        {
            final UsageErrors.Result flagged = UsageErrors.run("nodes", "--url", endpoint.url());
            assertEquals(Main.EXIT_FAILURE, flagged.code(), flagged::toString);
            assertTrue(flagged.out().contains("FLAG peer 3: clock offset +1000.00 ms (± 0.06 ms) beyond the max " +
                "offset 500 ms, ahead: this node refuses its messages\n"), flagged::toString);
            assertFalse(flagged.out().contains("FLAG peer 2"), flagged::toString);

            final UsageErrors.Result raised = UsageErrors.run("nodes", "--max-offset-ms", "2000", "--url",
                endpoint.url());
            assertEquals(0, raised.code(), raised::toString);
            assertTrue(raised.out().contains("clock offset beyond 2000 ms (--max-offset-ms)"), raised::toString);
        }
    }

    @Test
    void shouldFlagLagOverTheThresholdOrWhileNotActiveButNotAnActivePeerSlightlyBehind() throws IOException
    {
        final Peer beforeFirstPing = new Peer(4, "connecting", 5, 0, -1, -1, -1);
        try (CannedEndpoint endpoint = new CannedEndpoint(NodeScrape.node(Peer.of(2, "active", 50, 0),
            Peer.of(3, "active", 200_000, 0), beforeFirstPing)))
        {
            final UsageErrors.Result result = UsageErrors.run("nodes", "--url", endpoint.url());
            assertEquals(Main.EXIT_FAILURE, result.code(), result::toString);
            assertFalse(result.out().contains("FLAG peer 2"), result::toString);
            assertTrue(result.out().contains("FLAG peer 3: lagging: 200000 message(s) (9600000 bytes) behind, over " +
                "100000\n"), result::toString);
            assertTrue(result.out().contains("FLAG peer 4: lagging: 5 message(s) (240 bytes) behind while " +
                "connecting\n"), result::toString);
            assertTrue(result.out().lines().anyMatch(line -> line.matches("4\\s+connecting\\s+5\\s+240\\s+-\\s+-\\s+-" +
                "\\s+.*")), "times not measured yet are '-': " + result);

            final JsonNode peer = JSON.readTree(UsageErrors.run("nodes", "--json", "--url", endpoint.url()).out())
                .get("peers").get(2);
            assertTrue(peer.get("rtt_p50_ms").isNull() && peer.get("clock_offset_ms").isNull(), peer::toString);
        }
    }

    /** A node that shipped nothing to any peer serves 0 lag bytes: not the lag's size, so not shown as one. */
    @Test
    void shouldShowLagBytesNotEstimatedYetAsUnknownNotZero() throws IOException
    {
        final io.chronofabric.cli.analysis.NodeHealth node = new io.chronofabric.cli.analysis.NodeHealth(List.of(
            new io.chronofabric.cli.analysis.NodeHealth.Peer("2", "connecting", 864, 0, -1, -1, 0, -1, 0, 0, 0, 0, 0,
                0), new io.chronofabric.cli.analysis.NodeHealth.Peer("3", "active", 0, 0, -1, -1, 0, -1, 0, 0, 0, 0, 0,
                0)), new io.chronofabric.cli.analysis.NodeHealth.Aeron(0, 0, 0, 0));
        final io.chronofabric.cli.analysis.PeerLimits limits = io.chronofabric.cli.analysis.PeerLimits.defaults();
        final String table = NodesReport.toTable(node, limits, List.of());
        assertTrue(table.lines().anyMatch(line -> line.matches("2\\s+connecting\\s+864\\s+-\\s+.*")), table);
        assertTrue(table.lines().anyMatch(line -> line.matches("3\\s+active\\s+0\\s+0\\s+.*")), table);
        final java.util.Map<String, Object> map = NodesReport.toMap(node, limits, List.of(), null);
        final JsonNode peers = JSON.valueToTree(map).get("peers");
        assertTrue(peers.get(0).get("lag_bytes").isNull(), peers::toString);
        assertEquals(0, peers.get(1).get("lag_bytes").asLong(), peers::toString);
    }

    @Test
    void shouldSayNoPeersWhenTheEngineIsNotANode() throws IOException
    {
        try (CannedEndpoint endpoint = new CannedEndpoint(NodeScrape.ENGINE_INFO +
            "# HELP chronofabric_hlc_offset_rejections_total Remote HLC timestamps rejected.\n" +
            "# TYPE chronofabric_hlc_offset_rejections_total counter\n" +
            "chronofabric_hlc_offset_rejections_total 0.0\n"))
        {
            final UsageErrors.Result table = UsageErrors.run("nodes", "--url", endpoint.url());
            assertEquals(0, table.code(), table::toString);
            assertEquals("no peers: this engine is not a node of a deployment", table.out().strip());

            final UsageErrors.Result json = UsageErrors.run("nodes", "--json", "--url", endpoint.url());
            final JsonNode report = JSON.readTree(json.out());
            assertEquals(0, report.get("peers").size(), json::toString);
            assertTrue(report.get("aeron").isNull(), json::toString);
            assertEquals("no peers: this engine is not a node of a deployment", report.get("note").asText());
        }
    }

    @Test
    void shouldFlagANodeWhosePeersAreNotRegisteredYetRatherThanSayItIsNoNode() throws IOException
    {
        // what a node serves for a moment while it starts: the engine's families, not yet the node's own
        try (CannedEndpoint endpoint = new CannedEndpoint(NodeScrape.ENGINE_INFO.replace("node=\"0\"", "node=\"2\"")))
        {
            final UsageErrors.Result table = UsageErrors.run("nodes", "--url", endpoint.url());
            assertEquals(1, table.code(), table::toString);
            assertEquals("node 2 is starting: its peers are not registered yet, their states unknown",
                table.out().strip());

        }
    }

    @Test
    void shouldSayANodeWithoutPeersHasNone() throws IOException
    {
        try (CannedEndpoint endpoint = new CannedEndpoint(NodeScrape.node()))
        {
            final UsageErrors.Result result = UsageErrors.run("nodes", "--url", endpoint.url());
            assertEquals(0, result.code(), result::toString);
            assertEquals("no peers: this node has no peer configured", result.out().strip());
        }
    }

    @Test
    void shouldRefuseAnUnreachableUrlWithOneLineAndExitTwo() throws IOException
    {
        final int port;
        try (ServerSocket socket = new ServerSocket(0))
        {
            port = socket.getLocalPort();
        }
        final String url = "http://127.0.0.1:" + port + "/metrics";
        final UsageErrors.Result result = UsageErrors.run("nodes", "--url", url);
        assertEquals(Main.EXIT_USAGE, result.code(), result::toString);
        assertOneLine(result, "cannot reach", url, "--metrics-port");
        assertTrue(result.out().isEmpty(), result::toString);
    }

    @Test
    void shouldRefuseAnEndpointThatIsNotAChronoFabricOneWithOneLine() throws IOException
    {
        try (CannedEndpoint other = new CannedEndpoint("# TYPE up gauge\nup 1.0\n");
             CannedEndpoint garbage = new CannedEndpoint("<html>not metrics</html>\n"))
        {
            final UsageErrors.Result notOurs = UsageErrors.run("nodes", "--url", other.url());
            assertEquals(Main.EXIT_USAGE, notOurs.code(), notOurs::toString);
            assertOneLine(notOurs, other.url(), "not a ChronoFabric metrics endpoint");
            final UsageErrors.Result notText = UsageErrors.run("nodes", "--url", garbage.url());
            assertEquals(Main.EXIT_USAGE, notText.code(), notText::toString);
            assertOneLine(notText, garbage.url(), "does not serve Prometheus text");
        }
        UsageErrors.assertRefused(UsageErrors.words("--url ftp://x/metrics", "http://HOST:PORT/metrics"), "nodes",
            "--url", "ftp://x/metrics");
        UsageErrors.assertRefused(UsageErrors.words("--max-offset-ms 0", "[1, 3600000]"), "nodes",
            "--max-offset-ms", "0");
    }
}
