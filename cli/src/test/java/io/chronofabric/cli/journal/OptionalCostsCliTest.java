package io.chronofabric.cli.journal;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code latency.stages.enabled} and {@code latency.trace.enabled} through the command line: the run summary, and
 * the journal tools on a journal written without a trace.
 */
class OptionalCostsCliTest
{
    private static final int MESSAGES = 5_000;

    @TempDir
    Path dir;

    @Test
    void shouldReportStageLatenciesAndATraceByDefault() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final JsonNode summary = Cli.writeJournal(journal, MESSAGES);
        assertEquals(4, summary.get("stage_latency_ns").size(), summary::toString);
        assertTrue(summary.get("stage_latency_ns").get("journal").get("p99").asLong() > 0, summary::toString);

        final Cli.Result latency = Cli.run("journal", "latency", "--json", journal.toString());
        assertEquals(0, latency.code(), latency::toString);
        assertTrue(latency.json().get("trace_entries").asLong() >= MESSAGES, latency::toString);
        // the trace and the run's own recorders measure the same hops the same way (below 1 ns counts as 1 ns)
        final JsonNode traced = latency.json().get("latency_ns");
        for (final String stage : new String[] {"journal", "sequencer", "router", "delivery"})
        {
            for (final String at : new String[] {"p50", "max"})
            {
                assertEquals(summary.get("stage_latency_ns").get(stage).get(at).asLong(),
                    traced.get(stage).get(at).asLong(), () -> stage + " " + at + ": " +
                    summary.get("stage_latency_ns") + " against " + traced);
            }
        }
        final Cli.Result verify = Cli.run("journal", "verify", "--json", journal.toString());
        assertEquals(0, verify.code(), verify::toString);
        assertTrue(verify.json().get("trace_present").asBoolean());
    }

    @Test
    void shouldRunWithoutStageLatenciesNorTraceAndHaveTheJournalToolsSaySo() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final JsonNode summary = Cli.writeJournal(journal, MESSAGES, "--set", "latency.stages.enabled=false",
            "--set", "latency.trace.enabled=false");
        assertEquals(MESSAGES, summary.get("delivered").asLong());
        assertTrue(summary.get("latency_ns").get("p99").asLong() > 0, "end-to-end latency stays on");
        assertEquals(0, summary.get("stage_latency_ns").size(), summary::toString);

        final Cli.Result latency = Cli.run("journal", "latency", journal.toString());
        assertEquals(2, latency.code(), latency::toString);
        assertTrue(latency.err().contains("has no latency trace"), latency::toString);
        assertTrue(latency.err().contains("latency.trace.enabled=false"), latency::toString);
        assertFalse(latency.err().contains("Exception"), latency::toString);
        final Cli.Result anomalies = Cli.run("trace-anomalies", journal.toString());
        assertEquals(2, anomalies.code(), "no trace to find anomalies in, not 0 anomalies: " + anomalies);
        assertTrue(anomalies.err().contains("has no latency trace"), anomalies::toString);

        final Cli.Result verify = Cli.run("journal", "verify", "--json", journal.toString());
        assertEquals(0, verify.code(), verify::toString);
        final JsonNode report = verify.json();
        assertEquals("OK", report.get("verdict").asText());
        assertEquals(MESSAGES, report.get("records").asLong());
        assertEquals(0, report.get("trace_entries").asLong());
        assertFalse(report.get("trace_present").asBoolean());
        final Cli.Result text = Cli.run("journal", "verify", journal.toString());
        assertEquals(0, text.code(), text::toString);
        assertTrue(text.out().contains("trace: none"), text::toString);

        // replay: no original order to compare with, said so, not "same order" over nothing
        final Cli.Result replay = Cli.run("journal", "replay", "--json", journal.toString(), "--set",
            "latency.trace.enabled=false");
        assertEquals(0, replay.code(), replay::toString);
        assertEquals("ORDER NOT COMPARED", replay.json().get("verdict").asText(), replay::toString);
        assertEquals(MESSAGES, replay.json().get("delivered").asLong(), replay::toString);
        final Cli.Result replayText = Cli.run("journal", "replay", journal.toString());
        assertTrue(replayText.out().contains("delivery order: not compared"), replayText::toString);
    }
}
