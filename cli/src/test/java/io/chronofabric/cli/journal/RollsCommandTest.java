package io.chronofabric.cli.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.JournalLock;
import io.chronofabric.journal.SettlementLayout;
import io.chronofabric.journal.TraceLayout;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code journal rolls} on a journal of three daily cycles: two older ones (the records of a real engine run, copied
 * document by document into the cycles of the two previous days, as Chronicle would have written them then) and
 * today's, appended by a real engine resuming on it.
 */
class RollsCommandTest
{
    private static final int OLD_MESSAGES = 3_000;
    private static final int NEW_MESSAGES = 1_000;

    @TempDir
    Path dir;

    private Path journal;

    @BeforeEach
    void writeThreeDailyCycles() throws Exception
    {
        final Path source = dir.resolve("source");
        Cli.writeJournal(source, OLD_MESSAGES);
        journal = dir.resolve("journal");
        final Instant now = Instant.now();
        copyHalves(source, journal, now.minus(2, ChronoUnit.DAYS), now.minus(1, ChronoUnit.DAYS));
        copyHalves(TraceLayout.traceDir(source), TraceLayout.traceDir(journal), now.minus(2, ChronoUnit.DAYS),
            now.minus(1, ChronoUnit.DAYS));
        // what was settled goes along, or the resuming engine would rightly deliver the old messages again
        copyHalves(SettlementLayout.settlementDir(source), SettlementLayout.settlementDir(journal),
            now.minus(2, ChronoUnit.DAYS), now.minus(1, ChronoUnit.DAYS));
        Cli.writeJournal(journal, NEW_MESSAGES, "--resume");
    }

    @Test
    void shouldListEachCycleOfTheJournalAndItsTrace() throws Exception
    {
        final Cli.Result result = Cli.run("journal", "rolls", journal.toString(), "--json");
        assertEquals(0, result.code(), result::toString);
        final JsonNode rolls = result.json();
        final JsonNode files = rolls.get("roll_files");
        assertEquals(3, files.size(), result::toString);
        // the halves are of documents, and a document holds one record or more
        assertTrue(files.get(0).get("messages").asLong() > 0 && files.get(1).get("messages").asLong() > 0, rolls::toString);
        assertEquals(OLD_MESSAGES, files.get(0).get("messages").asLong() + files.get(1).get("messages").asLong());
        assertEquals(NEW_MESSAGES, files.get(2).get("messages").asLong());
        assertEquals(files.get(0).get("cycle").asInt() + 1, files.get(1).get("cycle").asInt());
        assertEquals(files.get(1).get("cycle").asInt() + 1, files.get(2).get("cycle").asInt());
        assertEquals(files.get(2).get("first_index").get("decimal").asLong() + files.get(2).get("documents").asLong() - 1,
            files.get(2).get("last_index").get("decimal").asLong());
        assertEquals(3, rolls.get("trace_roll_files").size());
        assertEquals(0, Cli.run("journal", "verify", journal.toString()).code(), "three cycles, continuous");
    }

    @Test
    void shouldRemoveOldCyclesOfJournalAndTraceButKeepTheCurrentOne() throws Exception
    {
        final JsonNode files = Cli.run("journal", "rolls", journal.toString(), "--json").json().get("roll_files");
        final int today = files.get(2).get("cycle").asInt();

        final Map<String, String> before = JournalCopies.snapshot(journal);
        final Cli.Result dryRun = Cli.run("journal", "rolls", journal.toString(), "--remove-before",
            Integer.toString(today), "--dry-run", "--json");
        assertEquals(0, dryRun.code(), dryRun::toString);
        assertEquals(4, dryRun.json().get("would_remove").size(), dryRun::toString);
        assertEquals(before, JournalCopies.snapshot(journal), "a dry run changes no file");

        final Cli.Result everything = Cli.run("journal", "rolls", journal.toString(), "--remove-before",
            Integer.toString(today + 1));
        assertEquals(2, everything.code(), everything::toString);
        assertTrue(everything.err().contains("never removed"), everything::toString);
        assertEquals(3, JournalFiles.rollFiles(journal).size(), "a refused cut removes nothing");

        final String date = LocalDate.now(ZoneOffset.UTC).toString();
        final Cli.Result removed = Cli.run("journal", "rolls", journal.toString(), "--remove-before", date);
        assertEquals(0, removed.code(), removed::toString);
        assertTrue(removed.out().startsWith("removed 4 roll file(s)"), removed::toString);
        final Path current = Path.of(files.get(2).get("name").asText());
        assertEquals(1, JournalFiles.rollFiles(journal).size());
        assertTrue(Files.exists(journal.resolve(current)), "the current cycle is kept");
        assertEquals(1, JournalFiles.rollFiles(TraceLayout.traceDir(journal)).size());

        final JsonNode stats = Cli.run("journal", "stats", journal.toString(), "--json").json();
        assertEquals(NEW_MESSAGES, stats.get("messages").asLong());
        assertEquals(files.get(2).get("first_index").get("decimal").asLong(),
            stats.get("first_index").get("decimal").asLong());
        final Cli.Result verify = Cli.run("journal", "verify", journal.toString());
        assertEquals(0, verify.code(), verify::toString);
        assertFalse(verify.out().contains("CORRUPT"), verify::toString);
    }

    @Test
    void shouldRefuseToRemoveCyclesOfAJournalARunningEngineHolds() throws Exception
    {
        final String date = LocalDate.now(ZoneOffset.UTC).toString();
        try (JournalLock lock = JournalLock.acquire(journal))
        {
            final Cli.Result held = Cli.run("journal", "rolls", journal.toString(), "--remove-before", date);
            assertEquals(1, held.code(), held::toString);
            assertTrue(held.err().contains("in use"), held::toString);
        }
        assertEquals(3, JournalFiles.rollFiles(journal).size(), "nothing removed");
    }

    @Test
    void shouldRefuseToRemoveCyclesHoldingMessagesNotYetSettled() throws Exception
    {
        // without its settlement log nothing in the journal is known to be settled
        try (var files = Files.walk(SettlementLayout.settlementDir(journal)))
        {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        final String date = LocalDate.now(ZoneOffset.UTC).toString();
        final Cli.Result refused = Cli.run("journal", "rolls", journal.toString(), "--remove-before", date);
        assertEquals(1, refused.code(), refused::toString);
        assertEquals(1, refused.err().lines().count(), refused::toString);
        assertTrue(refused.err().contains("not yet settled"), refused::toString);
        assertEquals(3, JournalFiles.rollFiles(journal).size(), "nothing removed");
    }

    /** Copies the first half of a queue's documents into the cycle of {@code first}, the rest into {@code second}'s. */
    private static void copyHalves(final Path from, final Path to, final Instant first, final Instant second)
    {
        final long documents;
        try (ChronicleQueue source = SingleChronicleQueueBuilder.single(from.toFile()).readOnly(true).build())
        {
            documents = source.createTailer().excerptsInCycle(source.rollCycle().toCycle(source.lastIndex()));
        }
        try (ChronicleQueue source = SingleChronicleQueueBuilder.single(from.toFile()).readOnly(true).build();
             ExcerptTailer tailer = source.createTailer())
        {
            copy(tailer, to, first, documents / 2);
            copy(tailer, to, second, documents - documents / 2);
        }
    }

    private static void copy(final ExcerptTailer tailer, final Path to, final Instant at, final long documents)
    {
        final Bytes<?> buffer = Bytes.allocateElasticOnHeap();
        try (ChronicleQueue target = SingleChronicleQueueBuilder.single(to.toFile()).rollCycle(RollCycles.FAST_DAILY)
                 .timeProvider(new SetTimeProvider(at)).build();
             ExcerptAppender appender = target.createAppender())
        {
            for (long i = 0; i < documents; i++)
            {
                buffer.clear();
                try (DocumentContext context = tailer.readingDocument())
                {
                    assertTrue(context.isPresent());
                    buffer.write(context.wire().bytes());
                }
                try (DocumentContext context = appender.writingDocument())
                {
                    context.wire().bytes().write(buffer);
                }
            }
        }
        buffer.releaseLast();
    }
}
