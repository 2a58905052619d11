package io.chronofabric.cli.journal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chronofabric.journal.JournalWriter;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;
import io.chronofabric.journal.RecordLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal tool on journals of node 1 holding messages of several origin nodes, written record by record with the
 * journal module's {@link JournalWriter}: its own messages (origin node 1, origin id = message id) and messages shipped
 * from nodes 2 and 7 ({@link RecordFlags#REMOTE}, the id their origin gave them).
 */
class OriginsTest
{
    private static final long WALL = 1_790_000_000_000_000_000L;
    private static final int LOCAL = 0;
    /** A message the application marked with another node's clock only: that node gave it no id (origin id 0). */
    private static final int RELAYED = -1;

    @TempDir
    Path dir;

    /** Node 1's own messages and those of nodes 2 and 7, interleaved; node 7 reuses origin ids node 2 used. */
    private static final long[][] GOOD = {
        {1, LOCAL}, {2, 100}, {1, LOCAL}, {7, 100}, {2, 101}, {1, LOCAL}, {2, 105}, {7, 101}, {1, LOCAL}, {1, LOCAL}};

    @Test
    void shouldCountTheMessagesOfEachOriginNodeInStats() throws Exception
    {
        final Path journal = write(GOOD).journal;

        final Cli.Result result = Cli.run("journal", "stats", journal.toString(), "--json");

        assertEquals(0, result.code(), result::toString);
        final JsonNode byOrigin = result.json().get("by_origin");
        assertEquals(List.of(Map.entry("1", 5L), Map.entry("2", 3L), Map.entry("7", 2L)), entries(byOrigin),
            result::toString);
        final Cli.Result text = Cli.run("journal", "stats", journal.toString());
        assertEquals(0, text.code(), text::toString);
        final List<String> perOrigin = new ArrayList<>();
        for (final String line : text.out().split("\n"))
        {
            if (line.startsWith("  origin node "))
            {
                perOrigin.add(line.replaceAll(" +", " "));
            }
        }
        assertEquals(List.of(" origin node 1 5", " origin node 2 3", " origin node 7 2"), perOrigin, text::toString);
    }

    @Test
    void shouldVerifyAJournalWhoseOriginIdsIncreasePerOriginNode() throws Exception
    {
        final Path journal = write(GOOD).journal;

        final Cli.Result result = Cli.run("journal", "verify", journal.toString(), "--json");

        assertEquals(0, result.code(), result::toString);
        assertEquals("OK", result.json().get("verdict").asText(), result::toString);
        assertEquals(GOOD.length, result.json().get("records").asLong());
    }

    @Test
    void shouldVerifyMessagesStampedByAnotherNodesClockOnlyWhichCarryNoOriginId() throws Exception
    {
        final Path journal = write(new long[][] {{2, 100}, {2, RELAYED}, {1, LOCAL}, {2, 101}, {2, RELAYED},
            {7, RELAYED}}).journal;

        final Cli.Result result = Cli.run("journal", "verify", journal.toString(), "--json");

        assertEquals(0, result.code(), result::toString);
        assertEquals("OK", result.json().get("verdict").asText(), result::toString);
    }

    @Test
    void shouldRefuseARepeatedOriginIdNamingTheIndexOriginAndIds() throws Exception
    {
        final Written written = write(new long[][] {{1, LOCAL}, {2, 100}, {7, 101}, {2, 101}, {1, LOCAL}, {2, 101},
            {1, LOCAL}});

        final Cli.Result result = Cli.run("journal", "verify", written.journal.toString());

        assertEquals(1, result.code(), result::toString);
        assertTrue(result.out().contains("  journal index " + Indexes.both(written.indices.get(5)) +
            ": duplicate_origin_id: message id 6 has origin (node 2, id 101), already used by the record at index " +
            Indexes.hex(written.indices.get(3)) + "\n"), result::toString);
        assertTrue(result.out().endsWith("verdict: CORRUPT (duplicate_origin_id=1)\n"), result::toString);
        final JsonNode json = Cli.run("journal", "verify", written.journal.toString(), "--json").json();
        assertEquals("CORRUPT", json.get("verdict").asText());
        assertEquals(1, json.get("problems").size(), json::toString);
        assertEquals(written.indices.get(5).longValue(), json.get("problems").get(0).get("index").asLong());
    }

    @Test
    void shouldRefuseADecreasingOriginIdNamingTheIndexOriginAndIds() throws Exception
    {
        final Written written = write(new long[][] {{2, 100}, {1, LOCAL}, {2, 103}, {7, 1}, {2, 102}, {1, LOCAL},
            {2, 104}});

        final Cli.Result result = Cli.run("journal", "verify", written.journal.toString());

        assertEquals(1, result.code(), result::toString);
        assertTrue(result.out().contains("  journal index " + Indexes.both(written.indices.get(4)) +
            ": origin_id_not_increasing: message id 5 has origin (node 2, id 102), not above origin id 103 of node 2 " +
            "at index " + Indexes.hex(written.indices.get(2)) + ": origin ids must increase per origin node\n"),
            result::toString);
        assertTrue(result.out().endsWith("verdict: CORRUPT (origin_id_not_increasing=1)\n"), result::toString);
    }

    @Test
    void shouldRefuseLocalMessagesWhoseOriginIdGoesBack() throws Exception
    {
        // a node's own messages carry their id as origin id; one that does not (here message 3's again) is found too
        final Written written = write(new long[][] {{1, LOCAL}, {1, LOCAL}, {1, LOCAL}, {1, 3}});

        final Cli.Result result = Cli.run("journal", "verify", written.journal.toString(), "--json");

        assertEquals(1, result.code(), result::toString);
        assertEquals(1, result.json().get("problem_counts").get("duplicate_origin_id").asLong(), result::toString);
    }

    @Test
    void shouldDumpTheOriginOfRemoteMessagesAndCrossNodeDependenciesAsNodeColonId() throws Exception
    {
        final Written written = write(new long[][] {{1, LOCAL}, {2, 100}, {1, LOCAL}});
        // message 3 (local) depends on message 1 and on node 2's message 100 and node 7's 41
        final Cli.Result text = Cli.run("journal", "dump", written.journal.toString());

        assertEquals(0, text.code(), text::toString);
        final String[] lines = text.out().split("\n");
        assertEquals(3, lines.length, text::toString);
        assertTrue(lines[0].contains(" deps=[] origin=1 "), lines[0]);
        assertTrue(lines[1].contains(" flags=0x2 origin=2:100 "), lines[1]);
        assertTrue(lines[2].contains(" deps=[1, 2:100, 7:41] origin=1 "), lines[2]);
        assertFalse(text.out().contains("deps=[1, -"), text::toString);

        final Cli.Result json = Cli.run("journal", "dump", written.journal.toString(), "--json");
        assertEquals(0, json.code(), json::toString);
        final String[] objects = json.out().split("\n");
        final JsonNode local = new ObjectMapper().readTree(objects[0]);
        assertEquals(1, local.get("origin_node").asInt());
        assertEquals(1, local.get("origin_id").asLong(), "a local message's origin id is its id");
        final JsonNode remote = new ObjectMapper().readTree(objects[1]);
        assertEquals(2, remote.get("origin_node").asInt());
        assertEquals(100, remote.get("origin_id").asLong());
        assertEquals(2, remote.get("id").asLong());
        final JsonNode dependent = new ObjectMapper().readTree(objects[2]);
        assertEquals("[1,\"2:100\",\"7:41\"]", dependent.get("dependencies").toString());
    }

    /** A journal written and the queue index of each of its records. */
    private record Written(Path journal, List<Long> indices)
    {
    }

    /**
     * Writes node 1's journal: message ids 1, 2, ... in order, HLC strictly increasing.
     *
     * @param origins per message {origin node, origin id}; origin node 1 is node 1 itself ({@link #LOCAL}: the
     *                message id as origin id), another node a remote message. The last message of a journal written
     *                by the dump test depends on message 1 and on two messages of other nodes.
     */
    private Written write(final long[][] origins)
    {
        final Path journal = dir.resolve("journal");
        final List<Long> indices = new ArrayList<>();
        try (JournalWriter writer = new JournalWriter(journal, "FAST_DAILY", 8, 64))
        {
            final MessageRecord record = new MessageRecord(8, 64);
            for (int i = 0; i < origins.length; i++)
            {
                final long id = i + 1;
                final int node = (int)origins[i][0];
                record.clear();
                record.id(id).hlc(WALL + id * 1_000, 0).type(42).source(3).originNode(node)
                    .originId(LOCAL == origins[i][1] ? id : RELAYED == origins[i][1] ? 0 : origins[i][1]);
                if (1 != node)
                {
                    record.flags(RecordFlags.REMOTE);
                }
                if (3 == origins.length && 2 == i)
                {
                    record.dependencyCount(3);
                    record.dependency(0, 1);
                    record.dependency(1, RecordLayout.remoteDependency(2, 100));
                    record.dependency(2, RecordLayout.remoteDependency(7, 41));
                }
                record.payload()[0] = (byte)id;
                record.payloadLength(1);
                indices.add(writer.append(record));
            }
        }
        return new Written(journal, indices);
    }

    private static List<Map.Entry<String, Long>> entries(final JsonNode object)
    {
        final List<Map.Entry<String, Long>> entries = new ArrayList<>();
        for (final Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); )
        {
            final Map.Entry<String, JsonNode> field = fields.next();
            entries.add(Map.entry(field.getKey(), field.getValue().asLong()));
        }
        return entries;
    }
}
