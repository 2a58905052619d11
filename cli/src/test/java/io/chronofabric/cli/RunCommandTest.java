package io.chronofabric.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.SettlementLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunCommandTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int chronofabric(final String... args)
    {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private JsonNode runJson(final Path journal, final String... extra) throws Exception
    {
        out.getBuffer().setLength(0);
        final String[] base = {"run", "--messages", "30000", "--warmup", "0", "--json", "--journal", journal.toString()};
        final String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        assertEquals(0, chronofabric(args), err::toString);
        return new ObjectMapper().readTree(out.toString());
    }

    @Test
    void shouldDeliverAndJournalEveryPublishedMessage() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final JsonNode summary = runJson(journal);

        assertEquals(30000, summary.get("published").asLong());
        assertEquals(30000, summary.get("delivered").asLong());
        assertEquals(0, summary.get("dropped").asLong());
        assertEquals(0, summary.get("hlc_order_violations").asLong());
        assertTrue(summary.get("throughput_msgs_per_sec").asLong() > 0);
        for (final String percentile : new String[] {"p50", "p99", "p999", "max"})
        {
            assertTrue(summary.get("latency_ns").get(percentile).asLong() > 0, percentile);
        }
        assertEquals(30000, summary.get("journal").get("messages").asLong());
        assertEquals(30000, JournalFiles.countRecords(journal), "records actually in the Chronicle Queue files");
        assertFalse(JournalFiles.rollFiles(journal).isEmpty());
        assertEquals("cf-journal+sequencer+router+delivery", summary.get("threads").get(0).get("name").asText());
    }

    @Test
    void shouldKeepThePreviousRunsJournalAsideUnlessResumed() throws Exception
    {
        final Path journal = dir.resolve("journal");
        runJson(journal);
        final JsonNode second = runJson(journal);
        assertEquals(30000, second.get("journal").get("messages").asLong());
        assertEquals(30000, JournalFiles.countRecords(dir.resolve("journal.previous")));

        final JsonNode resumed = runJson(journal, "--resume");
        assertEquals(60000, resumed.get("journal").get("messages").asLong());
        assertFalse(err.toString().contains("found no journal"), err::toString);
    }

    /**
     * Under {@code hold.overflow=reject-new} a full hold buffer refuses the workload's signals and orders (they have
     * dependencies): the run goes on without them and reports them as rejected, instead of dying on the first.
     */
    @Test
    void shouldCountTheMessagesAFullHoldBufferRefusesAndFinishTheRun() throws Exception
    {
        final JsonNode summary = runJson(dir.resolve("journal"), "--set", "hold.overflow=reject-new", "--set",
            "hold.capacity=16");

        assertTrue(summary.get("rejected").asLong() > 0, summary::toString);
        assertEquals(30000, summary.get("published").asLong() + summary.get("rejected").asLong(), summary::toString);
        assertEquals(summary.get("published").asLong(), summary.get("delivered").asLong() +
            summary.get("dropped").asLong(), summary::toString);
        assertEquals(summary.get("published").asLong(), summary.get("journal").get("messages").asLong());
    }

    /** A resume that finds no journal (a mistyped folder, or a node killed before its first record) says so. */
    @Test
    void shouldSayWhenAResumeFindsNoJournalAndStartsANewOne() throws Exception
    {
        final Path journal = dir.resolve("not-yet");
        final JsonNode resumed = runJson(journal, "--resume");

        assertEquals(30000, resumed.get("journal").get("messages").asLong());
        assertTrue(err.toString().contains("run: --resume found no journal in " + journal +
            "; a new one is started (message ids from 1)"), err::toString);
    }

    /**
     * Setting a journal aside replaces the older copy: never one holding unsettled messages (acknowledged, never
     * delivered), which only a run with --resume on it delivers. The run refuses, naming it, and changes nothing.
     */
    @Test
    void shouldRefuseToReplaceAnOlderCopyThatHoldsUnsettledMessages() throws Exception
    {
        // nothing of it settled now: 30,000 unsettled
        assertAFreshRunRefusesToReplaceTheOlderCopy(previous -> JournalFiles.deleteFolder(
            SettlementLayout.settlementDir(previous)), previous -> previous + " holds 30000 unsettled messages",
            previous -> "--resume");
    }

    /**
     * Nor a node's journal (node.properties in it): its peers may still lack its messages, and a node run twice without
     * --resume (its peers refuse the first) would otherwise delete the only copy of them.
     */
    @Test
    void shouldRefuseToReplaceAnOlderCopyThatIsANodesJournal() throws Exception
    {
        assertAFreshRunRefusesToReplaceTheOlderCopy(previous -> Files.writeString(
            previous.resolve(io.chronofabric.node.Node.IDENTITY_FILE), "epoch=1\n"),
            previous -> "its older copy " + previous + " is a node's journal",
            previous -> "allowed: run --resume --journal " + previous);
    }

    /**
     * A node's journal is resumed by that node: a plain {@code run --resume} would append messages without a node's
     * identity to a journal whose own messages its peers hold. Refused in one line naming the node, nothing written.
     */
    @Test
    void shouldRefuseAPlainResumeOfANodesJournal() throws Exception
    {
        final Path journal = dir.resolve("journal");
        runJson(journal);
        Files.writeString(journal.resolve(io.chronofabric.node.Node.IDENTITY_FILE), "epoch=1\nnode=5\n");
        final long bytes = JournalFiles.bytesOnDisk(journal);

        assertEquals(2, chronofabric("run", "--messages", "100", "--warmup", "0", "--resume", "--journal",
            journal.toString()), err::toString);
        assertTrue(err.toString().contains("--resume: " + journal + " is node 5's journal (node.properties); " +
            "allowed: run --node 5 --resume with its --listen and --peer, or another --journal"), err::toString);
        assertEquals(1, err.toString().strip().lines().count(), err::toString);
        assertEquals(30000, JournalFiles.countRecords(journal));
        assertEquals(bytes, JournalFiles.bytesOnDisk(journal));
    }

    /** Two runs leave journal.previous; {@code make} makes it one not to replace; a third run refuses, one line. */
    @SafeVarargs
    private void assertAFreshRunRefusesToReplaceTheOlderCopy(final PathAction make,
        final java.util.function.Function<Path, String>... said) throws Exception
    {
        final Path journal = dir.resolve("journal");
        runJson(journal);
        runJson(journal);
        final Path previous = dir.resolve("journal.previous");
        make.on(previous);
        final java.util.List<Path> before = listing(dir);

        err.getBuffer().setLength(0);
        assertEquals(2, chronofabric("run", "--messages", "10", "--warmup", "0", "--journal", journal.toString()));
        assertEquals(1, err.toString().lines().count(), err::toString);
        for (final java.util.function.Function<Path, String> each : said)
        {
            assertTrue(err.toString().contains(each.apply(previous)), err::toString);
        }
        assertEquals(before, listing(dir), "nothing moved, deleted or written");
        assertEquals(30000, JournalFiles.countRecords(previous));
    }

    /** Something done to a folder that may throw. */
    @FunctionalInterface
    private interface PathAction
    {
        void on(Path path) throws Exception;
    }

    private static java.util.List<Path> listing(final Path folder) throws java.io.IOException
    {
        try (java.util.stream.Stream<Path> files = Files.walk(folder))
        {
            return files.sorted().toList();
        }
    }

    @Test
    void shouldRejectAnUnknownProfileNamingTheAllowedOnes()
    {
        assertEquals(2, chronofabric("run", "--profile", "nosuch", "--journal", dir.toString()));
        assertTrue(err.toString().contains("profile=nosuch"), err::toString);
        assertTrue(err.toString().contains("allowed: dev"), err::toString);
    }

    @Test
    void shouldRejectARingSizeThatIsNotAPowerOfTwo()
    {
        assertEquals(2, chronofabric("run", "--set", "ring.size=1000", "--journal", dir.toString()));
        assertTrue(err.toString().contains("ring.size=1000"), err::toString);
        assertTrue(err.toString().contains("power of two"), err::toString);
    }

    @Test
    void shouldRejectAnUnknownSettingListingTheKnownKeys()
    {
        assertEquals(2, chronofabric("run", "--set", "no.such.key=1", "--journal", dir.toString()));
        assertTrue(err.toString().contains("no.such.key"), err::toString);
        assertTrue(err.toString().contains("ring.size"), err::toString);
    }

    @Test
    void shouldRejectBadArgumentsWithUsage()
    {
        assertEquals(2, chronofabric("run", "--rate", "fast"));
        assertTrue(err.toString().contains("--rate fast is invalid"), err::toString);
        assertEquals(2, chronofabric("run", "--no-such-option"));
        assertEquals(2, chronofabric("run", "--messages", "0"));
    }
}
