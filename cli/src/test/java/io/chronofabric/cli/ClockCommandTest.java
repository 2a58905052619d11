package io.chronofabric.cli;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static io.chronofabric.cli.UsageErrors.assertOneLine;
import static io.chronofabric.cli.UsageErrors.assertRefused;
import static io.chronofabric.cli.UsageErrors.words;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code chronofabric clock}: the clocks the engine reads, measured on this host, a running engine's peer clocks,
 * and a verdict against the ±10 ns goal; bad input refused with one line and exit code 2.
 */
class ClockCommandTest
{
    private static final String TWO_PEERS = String.join("\n",
        "# HELP chronofabric_engine_info The engine's profile, thread layout and wait strategy.",
        "# TYPE chronofabric_engine_info gauge",
        "chronofabric_engine_info{profile=\"dev\",thread_layout=\"single\",wait_strategy=\"sleeping\"} 1",
        "# HELP chronofabric_peer_clock_offset_seconds A peer's clock minus ours.",
        "# TYPE chronofabric_peer_clock_offset_seconds gauge",
        "chronofabric_peer_clock_offset_seconds{peer=\"10\"} -4.0E-7",
        "chronofabric_peer_clock_offset_seconds{peer=\"2\"} 1.5E-6",
        "# HELP chronofabric_peer_rtt_seconds Round trips to a peer.",
        "# TYPE chronofabric_peer_rtt_seconds summary",
        "chronofabric_peer_rtt_seconds{peer=\"2\",quantile=\"0.5\"} 2.5E-5",
        "chronofabric_peer_rtt_seconds{peer=\"2\",quantile=\"0.99\"} 8.0E-5",
        "chronofabric_peer_rtt_seconds{peer=\"10\",quantile=\"0.5\"} 3.0E-5",
        "chronofabric_peer_rtt_seconds{peer=\"10\",quantile=\"0.99\"} 9.0E-5",
        "chronofabric_peer_rtt_seconds_count{peer=\"2\"} 100",
        "# HELP chronofabric_hlc_drift_seconds How far the HLC's last stamp leads the wall clock now.",
        "# TYPE chronofabric_hlc_drift_seconds gauge",
        "chronofabric_hlc_drift_seconds 2.0E-6", "");
    private static final String NO_PEERS = String.join("\n",
        "# HELP chronofabric_engine_info The engine's profile, thread layout and wait strategy.",
        "# TYPE chronofabric_engine_info gauge",
        "chronofabric_engine_info{profile=\"dev\",thread_layout=\"single\",wait_strategy=\"sleeping\"} 1",
        "# HELP chronofabric_hlc_drift_seconds How far the HLC's last stamp leads the wall clock now.",
        "# TYPE chronofabric_hlc_drift_seconds gauge",
        "chronofabric_hlc_drift_seconds 0.0", "");

    @Test
    void shouldReportTheClockSourceEachClocksCostAndGranularityTheDriftAndAVerdictAsOneJsonObject() throws Exception
    {
        final UsageErrors.Result result = UsageErrors.run("clock", "--json", "--interval-ms", "20");
        assertEquals(0, result.code(), result::toString);
        final JsonNode report = new ObjectMapper().readTree(result.out());

        assertFalse(report.get("clock_source").get("current").asText().isBlank(), result::toString);
        assertTrue(report.get("clock_source").get("available").isArray(), result::toString);
        final List<String> names = new ArrayList<>();
        for (final JsonNode clock : report.get("clocks"))
        {
            names.add(clock.get("clock").asText());
            assertTrue(clock.get("read_cost_p50_ns").asDouble() > 0, clock::toString);
            assertTrue(clock.get("read_cost_p99_ns").asDouble() >= clock.get("read_cost_p50_ns").asDouble(),
                clock::toString);
            assertTrue(clock.get("read_cost_p50_ns").asDouble() < 100_000, () -> "implausibly slow: " + clock);
            assertTrue(clock.get("granularity_ns").asLong() > 0, clock::toString);
            assertTrue(clock.get("granularity_ns").asLong() < 20_000_000, () -> "coarser than the interval: " + clock);
        }
        assertEquals(List.of("System.nanoTime", "SystemWallClock", "HybridClock"), names);

        final JsonNode drift = report.get("drift");
        assertEquals(20, drift.get("interval_ms").asLong());
        assertEquals(2, drift.get("clocks").size(), drift::toString);
        for (final JsonNode wall : drift.get("clocks"))
        {
            assertTrue(wall.get("elapsed_ns").asLong() >= 20_000_000, () -> "watched the whole interval: " + wall);
            assertTrue(wall.get("uncertainty_ns").asLong() > 0, wall::toString);
            assertTrue(wall.has("drift_ns") && wall.has("drift_ppm"), wall::toString);
        }
        assertTrue(drift.has("engine_wall_minus_realtime_ns"), drift::toString);
        assertFalse(report.has("endpoint"), "no --url, no endpoint");

        final JsonNode verdict = report.get("verdict");
        assertEquals(10, verdict.get("goal_ns").asLong());
        assertEquals(verdict.get("reasons").isEmpty(), verdict.get("achievable").asBoolean(), verdict::toString);
        assertTrue(verdict.get("line").asText().contains("±10 ns"), verdict::toString);
    }

    @Test
    void shouldPrintATableThatEndsWithTheVerdict()
    {
        final UsageErrors.Result result = UsageErrors.run("clock", "--interval-ms", "10");
        assertEquals(0, result.code(), result::toString);
        assertTrue(result.out().startsWith("clock source: "), result::toString);
        for (final String expected : new String[] {"System.nanoTime", "SystemWallClock", "HybridClock",
            "wall against monotonic over 10 ms", "CLOCK_REALTIME"})
        {
            assertTrue(result.out().contains(expected), () -> "expected '" + expected + "'\n" + result);
        }
        final List<String> lines = result.out().strip().lines().toList();
        assertTrue(lines.get(lines.size() - 1).startsWith("verdict: "), result::toString);
        assertTrue(lines.get(lines.size() - 1).contains("±10 ns"), result::toString);
    }

    @Test
    void shouldRefuseAnIntervalOutsideItsRange()
    {
        assertRefused(words("--interval-ms 9", "milliseconds in [10, 600000]"), "clock", "--interval-ms", "9");
        assertRefused(words("--interval-ms 600001", "[10, 600000]"), "clock", "--interval-ms", "600001");
        assertRefused(words("--interval-ms", "abc"), "clock", "--interval-ms", "abc");
    }

    @Test
    void shouldRefuseAUrlThatIsNotHttpAndATimeoutOutsideItsRange()
    {
        assertRefused(words("--url ftp://127.0.0.1/metrics", "allowed: http://HOST:PORT/metrics"), "clock", "--url",
            "ftp://127.0.0.1/metrics");
        assertRefused(words("--timeout-ms 0", "[1, 3600000]"), "clock", "--timeout-ms", "0");
    }

    @Test
    void shouldListEachPeersClockOffsetAndRoundTripsAndTheHlcLeadFromTheEndpoint() throws Exception
    {
        try (CannedEndpoint endpoint = new CannedEndpoint(TWO_PEERS))
        {
            final UsageErrors.Result json = UsageErrors.run("clock", "--json", "--interval-ms", "10", "--url",
                endpoint.url());
            assertEquals(0, json.code(), json::toString);
            final JsonNode served = new ObjectMapper().readTree(json.out()).get("endpoint");
            assertEquals(endpoint.url(), served.get("url").asText());
            final JsonNode peers = served.get("peers");
            assertEquals(2, peers.size(), served::toString);
            assertEquals("2", peers.get(0).get("peer").asText(), "numeric order: 2 before 10");
            assertEquals(1500, peers.get(0).get("offset_ns").asDouble(), 1e-6);
            assertEquals(25_000, peers.get(0).get("rtt_p50_ns").asDouble(), 1e-6);
            assertEquals(80_000, peers.get(0).get("rtt_p99_ns").asDouble(), 1e-6);
            assertEquals("10", peers.get(1).get("peer").asText());
            assertEquals(-400, peers.get(1).get("offset_ns").asDouble(), 1e-6);
            assertEquals(30_000, peers.get(1).get("rtt_p50_ns").asDouble(), 1e-6);
            assertEquals(90_000, peers.get(1).get("rtt_p99_ns").asDouble(), 1e-6);
            assertEquals(2_000, served.get("hlc_drift_ns").asDouble(), 1e-6);
            final String reasons = new ObjectMapper().readTree(json.out()).get("verdict").get("reasons").toString();
            assertTrue(reasons.contains("peer 2 offset 1,500 ns ± 12,500 ns"), reasons);
            assertTrue(reasons.contains("the HLC leads the wall clock by 2,000 ns"), reasons);

            final UsageErrors.Result text = UsageErrors.run("clock", "--interval-ms", "10", "--url", endpoint.url());
            assertEquals(0, text.code(), text::toString);
            assertTrue(text.out().contains("engine at " + endpoint.url()), text::toString);
            assertTrue(text.out().matches("(?s).*\\n2 +1,500 ns +25,000 ns +80,000 ns\\n10 +-400 ns +30,000 ns " +
                "+90,000 ns\\n.*"), text::toString);
            assertFalse(text.out().contains("no peers"), text::toString);
        }
    }

    @Test
    void shouldSayNoPeersWhenTheEndpointServesNone() throws Exception
    {
        try (CannedEndpoint endpoint = new CannedEndpoint(NO_PEERS))
        {
            final UsageErrors.Result text = UsageErrors.run("clock", "--interval-ms", "10", "--url", endpoint.url());
            assertEquals(0, text.code(), text::toString);
            assertTrue(text.out().contains("no peers"), text::toString);
            assertTrue(text.out().contains("(chronofabric_hlc_drift_seconds): 0 ns"), text::toString);

            final UsageErrors.Result json = UsageErrors.run("clock", "--json", "--interval-ms", "10", "--url",
                endpoint.url());
            assertEquals(0, json.code(), json::toString);
            final JsonNode served = new ObjectMapper().readTree(json.out()).get("endpoint");
            assertEquals(0, served.get("peers").size(), served::toString);
            assertEquals(0, served.get("hlc_drift_ns").asDouble(), served::toString);
        }
    }

    @Test
    void shouldFailWithOneLineWhenTheEndpointCannotBeReached() throws Exception
    {
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            closedPort = socket.getLocalPort();
        }
        final String url = "http://127.0.0.1:" + closedPort + "/metrics";
        final UsageErrors.Result result = UsageErrors.run("clock", "--interval-ms", "10", "--url", url);
        assertEquals(Main.EXIT_FAILURE, result.code(), result::toString);
        assertOneLine(result, "cannot reach " + url);
    }
}
