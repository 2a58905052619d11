package io.chronofabric.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.config.WaitStrategyKind;
import io.chronofabric.engine.internal.observability.EngineMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code chronofabric diagnose} against a running engine's /metrics endpoint over loopback: the JSON parses and
 * holds findings with severities and fixes; the table names them; an unreachable endpoint is a clear failure.
 */
class DiagnoseCommandTest
{
    private static final Set<String> SEVERITIES = Set.of("ok", "info", "warn", "critical");
    private static final PayloadWriter<long[]> WRITER = (data, payload) -> payload.putLong(data[0]);

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    @Test
    void shouldReportFindingsWithSeveritiesAndFixesAsJsonAndAsATable() throws Exception
    {
        final EngineConfiguration context = EngineConfiguration.builder().journalDir(dir)
            .waitStrategy(WaitStrategyKind.SLEEPING).ringSize(1024).build();
        try (Engine engine = Engine.start(context);
             EngineMetrics metrics = EngineMetrics.serve(engine, engine.monitor(), 0))
        {
            engine.subscribe(1, message -> { });
            final Publisher publisher = engine.newPublisher(1);
            for (long i = 0; i < 10_000; i++)
            {
                publisher.publish(1, WRITER, new long[] {i});
            }
            final String url = "http://127.0.0.1:" + metrics.port() + "/metrics";

            assertEquals(0, chronofabric("diagnose", "--json", "--url", url), err::toString);
            final JsonNode report = new ObjectMapper().readTree(out.toString());
            assertTrue(SEVERITIES.contains(report.get("status").asText()), report::toString);
            assertTrue(report.get("findings").size() >= 15, report::toString);
            for (final JsonNode finding : report.get("findings"))
            {
                assertTrue(SEVERITIES.contains(finding.get("severity").asText()), finding::toString);
                assertFalse(finding.get("fix").asText().isBlank(), finding::toString);
                assertTrue(Set.of("latency", "memory", "temporal", "delivery", "journal").contains(finding.get("area").asText()));
            }
            assertTrue(report.toString().contains("\"check\":\"wait_strategy_vs_cores\""));
            assertTrue(report.toString().contains("\"check\":\"slowest_stage\""));
            assertTrue(report.toString().contains("\"check\":\"memory_growth\""));
            assertTrue(report.toString().contains("\"check\":\"retention\""));
            assertTrue(report.toString().contains("\"check\":\"disk_space\""));
            assertTrue(report.toString().contains("\"check\":\"oldest_held_age\"") ||
                report.toString().contains("\"check\":\"held\""));

            out.getBuffer().setLength(0);
            assertEquals(0, chronofabric("diagnose", "--url", url), err::toString);
            assertTrue(out.toString().startsWith("ChronoFabric health: "), out::toString);
            assertTrue(out.toString().contains("slowest stage by p99"), out::toString);
        }
    }

    @Test
    void shouldReportPeerFindingsWhenTheEngineIsANode() throws Exception
    {
        final EngineConfiguration context = EngineConfiguration.builder().journalDir(dir)
            .waitStrategy(WaitStrategyKind.SLEEPING).ringSize(1024).build();
        final String engineText;
        try (Engine engine = Engine.start(context);
             EngineMetrics metrics = EngineMetrics.unserved(engine, engine.monitor()))
        {
            engineText = metrics.scrapeText();
        }
        try (CannedEndpoint node = new CannedEndpoint(NodeScrape.merge(engineText, NodeScrape.Peer.healthy(2),
            NodeScrape.Peer.of(3, "quarantined", 1_000_000, 0), NodeScrape.Peer.of(4, "active", 0, 1.0))))
        {
            assertEquals(Main.EXIT_FAILURE, chronofabric("diagnose", "--json", "--url", node.url()), err::toString);
            final JsonNode report = new ObjectMapper().readTree(out.toString());
            assertEquals("critical", report.get("status").asText(), report::toString);
            final JsonNode state = finding(report, "peer_state");
            assertEquals("critical", state.get("severity").asText());
            assertEquals("peers", state.get("area").asText());
            assertTrue(state.get("summary").asText().startsWith("peer 3 quarantined"), state::toString);
            assertEquals("warn", finding(report, "peer_lag").get("severity").asText());
            final JsonNode offset = finding(report, "peer_clock_offset");
            assertEquals("warn", offset.get("severity").asText());
            assertTrue(offset.get("summary").asText().startsWith("peer 4 clock offset +1000.00 ms"), offset::toString);
        }
    }

    private static JsonNode finding(final JsonNode report, final String check)
    {
        for (final JsonNode finding : report.get("findings"))
        {
            if (check.equals(finding.get("check").asText()))
            {
                return finding;
            }
        }
        throw new AssertionError("no finding " + check + " in " + report);
    }

    @Test
    void shouldFailClearlyWhenNoEngineServesTheUrl() throws IOException
    {
        final int port;
        try (ServerSocket socket = new ServerSocket(0))
        {
            port = socket.getLocalPort();
        }
        assertEquals(Main.EXIT_FAILURE, chronofabric("diagnose", "--url", "http://127.0.0.1:" + port + "/metrics"));
        assertTrue(err.toString().contains("cannot reach") && err.toString().contains("--metrics-port"),
            err::toString);
        assertEquals(Main.EXIT_USAGE, chronofabric("diagnose", "--url", "not a url"));
    }

    private int chronofabric(final String... args)
    {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }
}
