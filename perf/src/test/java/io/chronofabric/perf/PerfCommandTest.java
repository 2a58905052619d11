package io.chronofabric.perf;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chronofabric.perf.spi.SystemKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PerfCommandTest
{
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int perf(final String... args)
    {
        final CommandLine commandLine = new CommandLine(new PerfCommand());
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    @Test
    void shouldReportEverySystemWithThroughputPercentilesAndRatiosAsJson() throws Exception
    {
        final Path report = dir.resolve("report");
        final int exit = perf("--json", "--rounds", "2", "--messages", "20000", "--warmup", "0", "--rate", "20000",
            "--latency-seconds", "0.1", "--no-sweep", "--out", report.toString(), "--data", dir.toString());
        assertEquals(0, exit, err.toString());
        final JsonNode json = new ObjectMapper().readTree(out.toString());
        assertEquals(SystemKind.defaultRun().size(), json.get("systems").size());
        assertFalse(SystemKind.defaultRun().contains(SystemKind.RAW_AERON), "raw-aeron runs only when named");
        assertFalse(SystemKind.defaultRun().contains(SystemKind.CHRONOFABRIC_TWO_NODE), "two nodes run only when named");
        for (final JsonNode system : json.get("systems"))
        {
            final String name = system.get("system").asText();
            assertTrue(system.get("throughput").get("throughput_msgs_per_sec").asDouble() > 0, name);
            assertEquals(2, system.get("throughput").get("throughput_per_round").size(), name);
            assertEquals(40_000, system.get("throughput").get("latency_ns").get("count").asLong(), name);
            for (final String percentile : new String[] {"p50", "p90", "p99", "p99_9", "p99_99", "max"})
            {
                assertTrue(system.get("latency").get("latency_ns").get(percentile).asLong() > 0, name + " " + percentile);
            }
            assertEquals(20_000.0, system.get("latency").get("offered_rate").asDouble(), name);
            // a 0.1 s trial is all start-up: the phases split the latency mode's messages, steady state has none
            final JsonNode latency = system.get("latency");
            assertEquals(latency.get("latency_ns").get("count").asLong(),
                latency.get("latency_startup_ns").get("count").asLong() +
                latency.get("latency_steady_ns").get("count").asLong(), name);
            assertEquals(0, latency.get("latency_steady_ns").get("count").asLong(), name);
            assertFalse(system.get("throughput").has("latency_startup_ns"), name);
        }
        final JsonNode lean = json.get("chronofabric_lean_ratio");
        assertEquals("disruptor+chronicle", lean.get("baseline").asText());
        assertTrue(lean.get("throughput").asDouble() > 0);
        assertFalse(json.get("chronofabric_ratios").has(SystemKind.CHRONOFABRIC_LEAN.label()), "not a baseline");
        assertEquals(lean, json.get("paired_ratios").get(SystemKind.CHRONOFABRIC_LEAN.label()));
        assertEquals(1, json.get("paired_ratios").size(), "only chronofabric-lean has a paired baseline so far");
        for (final SystemKind baseline : SystemKind.BASELINES)
        {
            if (!baseline.inDefaultRun())
            {
                continue;
            }
            final JsonNode ratio = json.get("chronofabric_ratios").get(baseline.label());
            assertTrue(ratio.get("throughput").asDouble() > 0, baseline.label());
            assertTrue(ratio.get("latency_p50").asDouble() > 0, baseline.label());
            assertTrue(ratio.get("latency_p99").asDouble() > 0, baseline.label());
        }
        assertEquals(3, json.get("checks").size());
        for (final String file : new String[] {"report.txt", "results.csv", "report.json", "chronofabric-latency.hlog",
            "disruptor-chronicle-throughput.hlog", "latency-percentiles-latency.png", "latency-over-time-throughput.png"})
        {
            assertTrue(Files.size(report.resolve(file)) > 0, file);
        }
        final java.util.List<String> rows = Files.readAllLines(report.resolve("results.csv"));
        assertEquals(1 + 2 * SystemKind.defaultRun().size(), rows.size());
        for (final String row : rows.subList(1, rows.size()))
        {
            // columns 13-15: the throughput ratio on the throughput row only, the latency ratios on the latency row
            final String[] columns = row.split(",", -1);
            if (!columns[0].equals("disruptor+chronicle"))
            {
                continue;
            }
            final boolean throughputRow = "throughput".equals(columns[1]);
            assertEquals(throughputRow, !columns[13].isEmpty(), row);
            assertEquals(!throughputRow, !columns[14].isEmpty() && !columns[15].isEmpty(), row);
        }
        assertTrue(Files.readString(report.resolve("chronofabric-latency.hlog")).contains("#round 2: -start "));
        final String table = Files.readString(report.resolve("report.txt"));
        assertTrue(table.contains("Latency mode by phase") && table.contains("chronofabric-lean vs disruptor+chronicle"),
            table);
    }

    /** A folder given again holds only this run's report: a system left out now leaves no file of the run before. */
    @Test
    void shouldReplaceAnEarlierReportInTheSameFolderAndLeaveOtherFilesAlone() throws Exception
    {
        final Path report = dir.resolve("report");
        for (final String systems : new String[] {"chronicle,abq", "abq"})
        {
            assertEquals(0, perf("--systems", systems, "--rounds", "1", "--messages", "5000", "--warmup", "0",
                "--rate", "20000", "--latency-seconds", "0.05", "--no-sweep", "--out", report.toString(), "--data",
                dir.toString()), err.toString());
            if (systems.contains("chronicle"))
            {
                assertTrue(Files.exists(report.resolve("chronicle-latency.hlog")));
                Files.writeString(report.resolve("notes.txt"), "mine");
            }
        }
        assertFalse(Files.exists(report.resolve("chronicle-latency.hlog")), "the earlier run's system is gone");
        assertFalse(Files.exists(report.resolve("chronicle-throughput.hlog")));
        assertTrue(Files.exists(report.resolve("abq-latency.hlog")));
        assertEquals("mine", Files.readString(report.resolve("notes.txt")));
    }

    @Test
    void shouldMeasureRawAeronWhenNamedInTheSameTablesAsTheOtherSystems() throws Exception
    {
        final Path report = dir.resolve("report");
        final int exit = perf("--json", "--systems", "raw-aeron", "--rounds", "1", "--messages", "5000", "--warmup", "0",
            "--rate", "20000", "--latency-seconds", "0.05", "--no-sweep", "--out", report.toString(), "--data",
            dir.toString());
        assertEquals(0, exit, err.toString());
        final JsonNode systems = new ObjectMapper().readTree(out.toString()).get("systems");
        assertEquals(1, systems.size());
        assertEquals("raw-aeron", systems.get(0).get("system").asText());
        assertEquals(5_000, systems.get(0).get("throughput").get("latency_ns").get("count").asLong());
        assertEquals(1_000, systems.get(0).get("latency").get("latency_ns").get("count").asLong());
        assertTrue(Files.size(report.resolve("raw-aeron-latency.hlog")) > 0);
        assertTrue(Files.readString(report.resolve("report.txt")).contains("for 0.05 s/trial"), "the trial's length " +
            "as given, not rounded to 0.0");
    }

    @Test
    void shouldSetTheTwoNodeSystemAgainstRawAeronAndCheckItsGoalsWhenBothAreNamed() throws Exception
    {
        final Path report = dir.resolve("report");
        final int exit = perf("--json", "--systems", "raw-aeron,chronofabric-two-node", "--rounds", "1", "--messages",
            "5000", "--warmup", "0", "--rate", "20000", "--latency-seconds", "0.05", "--no-sweep", "--out",
            report.toString(), "--data", dir.toString());
        assertEquals(0, exit, err.toString());
        final JsonNode json = new ObjectMapper().readTree(out.toString());
        assertEquals(2, json.get("systems").size());
        for (final JsonNode system : json.get("systems"))
        {
            assertEquals(5_000, system.get("throughput").get("latency_ns").get("count").asLong(),
                system.get("system").asText());
            assertEquals(1_000, system.get("latency").get("latency_ns").get("count").asLong(),
                system.get("system").asText());
        }
        final JsonNode paired = json.get("paired_ratios").get("chronofabric-two-node");
        assertEquals("raw-aeron", paired.get("baseline").asText());
        assertTrue(paired.get("throughput").asDouble() > 0 && paired.get("latency_p50").asDouble() > 0,
            paired.toString());
        final JsonNode checks = json.get("checks");
        assertEquals(2, checks.size(), checks.toString());
        assertEquals("two_node_throughput_vs_raw_aeron", checks.get(0).get("name").asText());
        assertEquals(paired.get("throughput").asDouble(), checks.get(0).get("value").asDouble(), 1e-9);
        assertEquals("two_node_p50_vs_raw_aeron", checks.get(1).get("name").asText());
        assertEquals(paired.get("latency_p50").asDouble(), checks.get(1).get("value").asDouble(), 1e-9);
        assertTrue(Files.readString(report.resolve("report.txt")).contains("chronofabric-two-node vs raw-aeron"));
    }

    @Test
    void shouldRejectAPayloadTooSmallToCarryTheSendTime()
    {
        assertEquals(2, perf("--payload", "4", "--out", dir.toString()));
        assertTrue(err.toString().contains("--payload 4"), err.toString());
    }

    @Test
    void shouldRejectAnUnknownSystemNamingTheAllowedOnes()
    {
        assertEquals(2, perf("--systems", "chronofabric,kafka", "--out", dir.toString()));
        assertTrue(err.toString().contains("kafka") && err.toString().contains("disruptor+chronicle"), err.toString());
    }

    @Test
    void shouldRejectAnUnknownProfile()
    {
        assertEquals(2, perf("--profile", "no-such-profile", "--out", dir.toString()));
        assertTrue(err.toString().contains("no-such-profile"), err.toString());
        assertFalse(Files.exists(dir.resolve("report.json")));
    }
}
