package io.chronofabric.cli.journal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.HistogramLogProcessor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal tool on one real journal, written once by a real engine running the trading workload.
 */
class JournalToolTest
{
    private static final int MESSAGES = 20_000;

    @TempDir
    static Path dir;

    private static Path journal;
    private static JsonNode run;

    @TempDir
    Path scratch;

    @BeforeAll
    static void writeJournal() throws Exception
    {
        journal = dir.resolve("journal");
        run = Cli.writeJournal(journal, MESSAGES);
    }

    @Test
    void shouldCountEveryJournaledMessageInStats() throws Exception
    {
        final Cli.Result result = Cli.run("journal", "stats", journal.toString(), "--json");
        assertEquals(0, result.code(), result::toString);
        final JsonNode stats = result.json();
        assertEquals(MESSAGES, stats.get("messages").asLong());
        assertEquals(MESSAGES, stats.get("trace_entries").asLong());
        long byType = 0;
        for (final JsonNode type : stats.get("types"))
        {
            byType += type.get("messages").asLong();
            assertFalse(type.get("name").isNull(), "workload types have names: " + type);
        }
        assertEquals(MESSAGES, byType);
        long bySource = 0;
        for (final JsonNode source : stats.get("sources"))
        {
            bySource += source.get("messages").asLong();
        }
        assertEquals(MESSAGES, bySource);
        assertEquals("{\"0\":" + MESSAGES + "}", stats.get("by_origin").toString(),
            "a single-node engine (node.id 0) is the origin of every message");
        final long first = stats.get("first_index").get("decimal").asLong();
        final long documents = stats.get("roll_files").get(0).get("documents").asLong();
        assertTrue(documents > 0 && documents <= MESSAGES, "a document holds one record or more: " + documents);
        assertEquals(documents - 1, stats.get("last_index").get("decimal").asLong() - first);
        assertEquals("0x" + Long.toHexString(first), stats.get("first_index").get("hex").asText());
        assertTrue(stats.get("first_hlc").asText().matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z#\\d+"), stats::toString);
        assertEquals(1, stats.get("roll_files").size());
        assertEquals(MESSAGES, stats.get("roll_files").get(0).get("messages").asLong());
        assertTrue(stats.get("bytes_on_disk").asLong() > 0);

        final Cli.Result table = Cli.run("journal", "stats", journal.toString());
        assertTrue(table.out().contains("20,000"), table::toString);
        assertTrue(table.out().contains("tick (1)"), table::toString);
    }

    @Test
    void shouldPassVerifyOnAJournalWrittenByTheEngine() throws Exception
    {
        final Cli.Result result = Cli.run("journal", "verify", journal.toString());
        assertEquals(0, result.code(), result::toString);
        assertTrue(result.out().contains("verdict: OK"), result::toString);

        final JsonNode json = Cli.run("journal", "verify", journal.toString(), "--json").json();
        assertEquals("OK", json.get("verdict").asText());
        assertEquals(MESSAGES, json.get("records").asLong());
        assertEquals(MESSAGES, json.get("trace_entries").asLong());
    }

    @Test
    void shouldDumpOnlyTheRequestedTypeFromTheRequestedIndexUpToTheLimit() throws Exception
    {
        final List<JsonNode> all = dump("--limit", "50");
        assertEquals(50, all.size());
        for (int i = 1; i < all.size(); i++)
        {
            final JsonNode before = all.get(i - 1);
            final JsonNode after = all.get(i);
            final boolean sameDocument = before.get("index").asLong() == after.get("index").asLong();
            assertTrue(sameDocument ? after.get("record_in_document").asInt() == before.get("record_in_document")
                .asInt() + 1 : after.get("index").asLong() == before.get("index").asLong() + 1 &&
                0 == after.get("record_in_document").asInt(), "positions follow each other: " + before + ", " + after);
        }
        for (final JsonNode tenth : List.of(all.get(9), all.get(10), all.get(11)))
        {
            final List<JsonNode> fromTenth = dump("--from", tenth.get("index_hex").asText(), "--limit", "3");
            assertEquals(tenth.get("id").asLong(), fromTenth.get(0).get("id").asLong(),
                "the printed position starts the dump at its record: " + tenth);
            assertEquals(3, fromTenth.size());
            final JsonNode documentStart = dump("--from", tenth.get("index").asText(), "--limit", "1").get(0);
            assertEquals(tenth.get("index").asLong(), documentStart.get("index").asLong(),
                "a decimal index works as well, from its document's first record");
            assertEquals(0, documentStart.get("record_in_document").asInt());
        }

        final List<JsonNode> orders = dump("--type", "order", "--limit", "20");
        assertEquals(20, orders.size());
        for (final JsonNode order : orders)
        {
            assertEquals(3, order.get("type").asInt());
            assertEquals(1, order.get("dependencies").size(), "an order depends on its signal");
            assertEquals(order.get("dependencies").get(0).asLong(), order.get("payload").get("signal_id").asLong());
            assertEquals(200, order.get("priority").asInt());
        }
        assertEquals(orders.get(0).get("id"), dump("--type", "3", "--limit", "1").get(0).get("id"));

        final Cli.Result text = Cli.run("journal", "dump", journal.toString(), "--type", "tick", "--limit", "2");
        assertEquals(0, text.code(), text::toString);
        final String[] lines = text.out().split("\n");
        assertEquals(2, lines.length, text::toString);
        assertTrue(lines[0].contains("type=tick(1)") && lines[0].contains("payload={instrument="), lines[0]);
    }

    @Test
    void shouldDumpOnlyMessagesBetweenSinceAndUntil() throws Exception
    {
        final List<JsonNode> first = dump("--limit", "200");
        final long since = first.get(100).get("hlc_wall_ns").asLong();
        final long until = first.get(149).get("hlc_wall_ns").asLong();
        final String sinceIso = java.time.Instant.ofEpochSecond(0, since).toString();
        final List<JsonNode> between = dump("--since", sinceIso, "--until", Long.toString(until));
        assertEquals(first.get(100).get("id"), between.get(0).get("id"));
        assertEquals(first.get(149).get("id"), between.get(between.size() - 1).get("id"));
        assertEquals(50, between.size());
    }

    @Test
    void shouldPrintEveryStageAndWriteAnIntervalLogThatHdrHistogramReads() throws Exception
    {
        final Path hlog = scratch.resolve("latency.hlog");
        final Path png = scratch.resolve("latency.png");
        final Cli.Result table = Cli.run("journal", "latency", journal.toString(), "--hlog", hlog.toString(),
            "--png", png.toString());
        assertEquals(0, table.code(), table::toString);
        for (final String stage : new String[] {"journal", "sequencer", "router", "delivery", "end-to-end"})
        {
            assertTrue(table.out().lines().anyMatch(line -> line.startsWith(stage + " ") && line.contains("20000")),
                stage + " row in\n" + table.out());
        }
        assertTrue(table.out().contains("p99.99"), table::toString);

        final JsonNode json = Cli.run("journal", "latency", journal.toString(), "--json").json();
        final JsonNode endToEnd = json.get("latency_ns").get("end-to-end");
        assertEquals(MESSAGES, endToEnd.get("count").asLong());
        assertTrue(endToEnd.get("p50").asLong() <= endToEnd.get("p99").asLong());
        assertTrue(endToEnd.get("p9999").asLong() <= endToEnd.get("max").asLong());

        final String processed = processLog(hlog, scratch.resolve("untagged"));
        assertTrue(processed.replaceAll("\\s+", " ").contains("Total count = " + MESSAGES), processed);
        final String journalStage = processLog(hlog, scratch.resolve("tagged"), "-tag", "journal");
        assertTrue(journalStage.replaceAll("\\s+", " ").contains("Total count = " + MESSAGES), journalStage);

        final byte[] magic = new byte[8];
        System.arraycopy(Files.readAllBytes(png), 0, magic, 0, 8);
        assertArrayEquals(new byte[] {(byte)0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, magic);
    }

    /** Runs HdrHistogram's own log processor on the log and returns its percentile distribution output. */
    private static String processLog(final Path hlog, final Path output, final String... extra) throws Exception
    {
        final List<String> args = new ArrayList<>(List.of("-i", hlog.toString(), "-o", output.toString()));
        args.addAll(List.of(extra));
        final PrintStream stdout = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            final HistogramLogProcessor processor = new HistogramLogProcessor(args.toArray(new String[0]));
            processor.run();
        }
        finally
        {
            System.setOut(stdout);
        }
        final Path distribution = Path.of(output + ".hgrm");
        assertTrue(Files.exists(distribution), "HistogramLogProcessor wrote no distribution: " + captured);
        final String intervals = Files.readString(output);
        assertTrue(intervals.lines().count() > 1, "interval lines: " + intervals);
        return Files.readString(distribution);
    }

    @Test
    void shouldReplayInTheOriginalDeliveryOrderWithTheRunsSubscriberChecksum() throws Exception
    {
        final Cli.Result result = Cli.run("journal", "replay", journal.toString(), "--json");
        assertEquals(0, result.code(), result::toString);
        final JsonNode replay = result.json();
        assertEquals("SAME ORDER", replay.get("verdict").asText());
        assertEquals(MESSAGES, replay.get("replayed").asLong());
        assertEquals(MESSAGES, replay.get("delivered").asLong());
        assertEquals(MESSAGES, replay.get("delivery_order").get("compared").asLong());
        assertTrue(replay.get("delivery_order").get("identical").asBoolean());
        assertEquals(run.get("subscriber_checksum").asText(), replay.get("subscriber_checksum").asText(),
            "the same subscribers saw the same messages in the same order");
    }

    @Test
    void shouldReplayOnlyTheRequestedRange() throws Exception
    {
        final List<JsonNode> first = dump("--limit", "300");
        final Cli.Result result = Cli.run("journal", "replay", journal.toString(), "--from",
            first.get(100).get("index_hex").asText(), "--until", first.get(299).get("index_hex").asText(), "--json");
        assertEquals(0, result.code(), result::toString);
        final JsonNode replay = result.json();
        assertEquals(200, replay.get("replayed").asLong());
        assertEquals(200, replay.get("delivery_order").get("compared").asLong());
        assertEquals(first.get(100).get("index").asLong(), replay.get("first_index").get("decimal").asLong());
        final String startsAt = replay.get("starts_at").asText();
        assertTrue(startsAt.contains("100 earlier message(s) skipped by --from"), startsAt);
        assertFalse(startsAt.contains("pruned"), "a journal never pruned: " + startsAt);
    }

    @Test
    void shouldRejectBadArgumentsWithExitCodeTwo()
    {
        final String missing = dir.resolve("no-such-journal").toString();
        assertUsage("does not exist", "journal", "stats", missing);
        assertUsage("does not exist", "journal", "verify", missing);
        assertUsage("Missing required parameter", "journal", "dump");
        assertUsage("holds no journal", "journal", "stats", dir.toString());
        assertUsage("not a queue index", "journal", "dump", journal.toString(), "--from", "0xzz");
        assertUsage("no such index", "journal", "dump", journal.toString(), "--from", "0x7");
        assertUsage("not a time", "journal", "dump", journal.toString(), "--since", "yesterday");
        assertUsage("or one of tick (1), signal (2), order (3)", "journal", "dump", journal.toString(), "--type",
            "quote");
        assertUsage("--speed fast is invalid", "journal", "replay", journal.toString(), "--speed", "fast");
        assertUsage("not a time", "journal", "replay", journal.toString(), "--until", "soon");
        assertUsage("--exit-after", "journal", "tail", journal.toString(), "--exit-after", "0");
        assertUsage("is invalid; allowed: a cycle number", "journal", "rolls", journal.toString(), "--remove-before",
            "last-week");
    }

    private static void assertUsage(final String expected, final String... args)
    {
        final Cli.Result result = Cli.run(args);
        assertEquals(2, result.code(), result::toString);
        assertTrue(result.err().contains(expected), () -> "expected '" + expected + "' in\n" + result);
    }

    private static List<JsonNode> dump(final String... options) throws Exception
    {
        final List<String> args = new ArrayList<>(List.of("journal", "dump", journal.toString(), "--json"));
        args.addAll(List.of(options));
        final Cli.Result result = Cli.run(args.toArray(new String[0]));
        assertEquals(0, result.code(), result::toString);
        final ObjectMapper mapper = new ObjectMapper();
        final List<JsonNode> lines = new ArrayList<>();
        for (final String line : result.out().split("\n"))
        {
            if (!line.isBlank())
            {
                lines.add(mapper.readTree(line));
            }
        }
        return lines;
    }
}
