package io.chronofabric.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chronofabric.cli.analysis.MetricsText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run}'s observability options: the endpoint listens on loopback, the final metrics file agrees with the
 * summary, {@code --diagnose} adds the health report, {@code --trace} the flow anomalies; {@code trace-anomalies}
 * reads the run's journal afterwards.
 */
class RunObservabilityTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    @Test
    void shouldWriteFinalMetricsThatAgreeWithTheSummaryAndAddTheDiagnosisAndAnomalies() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final Path metricsFile = dir.resolve("metrics.txt");
        assertEquals(0, chronofabric("run", "--messages", "30000", "--warmup", "0", "--json", "--journal",
            journal.toString(), "--metrics-out", metricsFile.toString(), "--diagnose", "--trace"), err::toString);
        final JsonNode summary = new ObjectMapper().readTree(out.toString());
        final MetricsText metrics = MetricsText.parse(Files.readString(metricsFile));
        assertEquals(summary.get("published").asDouble(), value(metrics, "chronofabric_messages_published_total"));
        assertEquals(summary.get("delivered").asDouble(), value(metrics, "chronofabric_messages_delivered_total"));
        assertEquals(summary.get("dropped").asDouble(), value(metrics, "chronofabric_messages_dropped_total"));
        assertEquals(summary.get("backpressure_events").asDouble(),
            value(metrics, "chronofabric_backpressure_events_total"));
        assertEquals(summary.get("deadline_misses").asDouble(), value(metrics, "chronofabric_deadline_misses_total"));
        assertEquals(summary.get("retries").asDouble(), value(metrics, "chronofabric_delivery_retries_total"));
        assertEquals(summary.get("handler_failures").asDouble(), value(metrics, "chronofabric_handler_failures_total"));
        assertEquals(30000, value(metrics, "chronofabric_end_to_end_latency_seconds_count"));

        final JsonNode diagnosis = summary.get("diagnosis");
        assertTrue(diagnosis.get("findings").size() >= 15, diagnosis::toString);
        assertTrue(diagnosis.get("status").asText().matches("ok|info|warn|critical"), diagnosis::toString);
        assertTrue(summary.get("flow_anomalies").has("stuck"), summary::toString);
        assertTrue(summary.get("flow_anomalies").get("slow_hop").has("delivery"), summary::toString);
    }

    @Test
    void shouldFindTheRunsAnomaliesInItsJournalAfterwards() throws Exception
    {
        final Path journal = dir.resolve("journal");
        assertEquals(0, chronofabric("run", "--messages", "20000", "--warmup", "0", "--json", "--journal",
            journal.toString()), err::toString);
        out.getBuffer().setLength(0);
        final int code = chronofabric("trace-anomalies", journal.toString(), "--stuck-ms", "60000", "--slow-hop-us",
            "1", "--limit", "5", "--json");
        assertEquals(0, code, err::toString);
        final JsonNode report = new ObjectMapper().readTree(out.toString());
        assertEquals(20000, report.get("delivered_messages").asLong());
        assertEquals(5, report.get("worst").size(), "1 us makes every hop slow: the 5 worst are listed");
        final JsonNode worst = report.get("worst").get(0);
        assertEquals("slow_hop", worst.get("kind").asText());
        assertTrue(worst.get("message_id").asLong() > 0 && worst.get("duration_ns").asLong() > 1_000, worst::toString);
        assertTrue(report.get("counts").get("slow_hop").get("journal").asLong() > 0, report::toString);

        out.getBuffer().setLength(0);
        assertEquals(0, chronofabric("trace-anomalies", journal.toString(), "--stuck-ms", "60000"), err::toString);
        assertTrue(out.toString().startsWith("trace anomalies in "), out::toString);
        assertEquals(Main.EXIT_USAGE, chronofabric("trace-anomalies", dir.resolve("missing").toString()));
    }

    @Test
    void shouldServeTheEndpointOnLoopbackUnlessMetricsHostSaysOtherwise() throws Exception
    {
        final int port;
        try (ServerSocket socket = new ServerSocket(0))
        {
            port = socket.getLocalPort();
        }
        assertEquals(0, chronofabric("run", "--messages", "1000", "--warmup", "0", "--journal",
            dir.resolve("journal").toString(), "--metrics-port", Integer.toString(port)), err::toString);
        assertTrue(err.toString().contains("serving metrics on http://127.0.0.1:" + port + "/metrics"), err::toString);
    }

    private static double value(final MetricsText metrics, final String name)
    {
        return metrics.value(name).orElseThrow(() -> new AssertionError(name + " missing"));
    }

    private int chronofabric(final String... args)
    {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }
}
