package io.chronofabric.cli.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.JournalQueues;
import io.chronofabric.journal.SettledState;
import io.chronofabric.journal.TraceLayout;
import io.chronofabric.journal.retention.CycleVerdict;
import io.chronofabric.journal.retention.JournalRetention;
import io.chronofabric.journal.retention.RetentionPlan;
import io.chronofabric.journal.retention.RetentionPolicy;
import net.openhft.chronicle.queue.ChronicleQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A kill in the middle of a deletion of the oldest cycles (retention, {@code journal prune}, {@code journal rolls
 * --remove-before}): they write the deletion down, delete the oldest roll files one by one, then have Chronicle list
 * the folder again. A black-box test killed them between the first deletion and the new listing: Chronicle's
 * metadata then named a lowest cycle whose file was gone, and every command, {@code run --resume} included, refused
 * the journal for good. Here the state such a kill leaves is made exactly, after each number of deletions: the
 * journal still verifies as repairable, the next engine start finishes the deletion, and then it verifies, with every
 * message accounted for (those left plus those counted as deleted).
 */
class DeletionCutShortTest
{
    private static final int MESSAGES = 30_000;

    @TempDir
    Path dir;

    private Path journal;

    @BeforeEach
    void writeJournalOverSeveralCycles() throws Exception
    {
        journal = Cli.writeJournalOverSeveralCycles(dir, MESSAGES);
    }

    @ParameterizedTest(name = "killed after {0} of the deletions")
    @ValueSource(ints = {0, 1, 2, 99})
    void aStartFinishesADeletionAKillCutShort(final int deletedBeforeTheKill) throws Exception
    {
        final List<Path> before = JournalFiles.rollFiles(journal);
        final int planned;
        try (ChronicleQueue queue = JournalQueues.openForMaintenance(journal, "TEST_SECONDLY"))
        {
            final RetentionPlan plan = JournalRetention.plan(queue, new RetentionPolicy(0, 0, 1),
                SettledState.read(journal, 0).watermark(), System.currentTimeMillis());
            final List<CycleVerdict> deletions = plan.deletions();
            planned = deletions.size();
            assertEquals(before.size() - 1, planned, plan.toString());
            // what JournalRetention.apply does, up to the kill
            JournalRetention.recordDeletion(queue, deletions.stream().map(CycleVerdict::cycle).toList(),
                deletions.stream().mapToLong(CycleVerdict::messages).sum(),
                deletions.stream().mapToLong(CycleVerdict::lastId).max().orElseThrow());
            for (int i = 0; i < Math.min(deletedBeforeTheKill, planned); i++)
            {
                Files.delete(deletions.get(i).file());
            }
        }

        final Cli.Result cutShort = Cli.run("journal", "verify", journal.toString());
        if (deletedBeforeTheKill > 0)
        {
            assertTrue(cutShort.out().contains("a kill cut short") && !cutShort.out().contains("CORRUPT"),
                cutShort::toString);
        }

        final Cli.Result resumed = Cli.run("run", "--resume", "--messages", "100", "--warmup", "0", "--journal",
            journal.toString(), "--set", "journal.roll-cycle=TEST_SECONDLY");
        assertEquals(0, resumed.code(), resumed::toString);
        assertEquals(before.get(before.size() - 1), JournalFiles.rollFiles(journal).get(0),
            "the deletion was finished: the newest cycle before it is the oldest now");
        assertNoTraceCycleBeforeTheJournals();

        final Cli.Result verify = Cli.run("journal", "verify", journal.toString());
        assertEquals(0, verify.code(), verify::toString);
        final JsonNode stats = Cli.run("journal", "stats", journal.toString(), "--json").json();
        assertEquals(MESSAGES + 100, stats.get("messages").asLong() + stats.get("pruned_messages").asLong(),
            stats::toString);
        assertEquals(planned, stats.get("pruned_cycles").asInt(), stats::toString);
        assertEquals(MESSAGES + 100, stats.get("last_id").asLong(), stats::toString);
    }

    @Test
    void aStartRepairsTheTraceListingWhenAKillCutItsDeletionShort() throws Exception
    {
        final List<Path> trace = JournalFiles.rollFiles(TraceLayout.traceDir(journal));
        assertTrue(trace.size() >= 3, trace.toString());
        try (ChronicleQueue queue = JournalQueues.openForMaintenance(journal, "TEST_SECONDLY"))
        {
            // the journal's cycles went and were listed again; the kill came after the trace's first deletion
            JournalRetention.apply(JournalRetention.plan(queue, new RetentionPolicy(0, 0, 1),
                SettledState.read(journal, 0).watermark(), System.currentTimeMillis()), queue, List.of());
        }
        Files.delete(trace.get(0));
        final Path journalOldest = JournalFiles.rollFiles(journal).get(0);

        final Cli.Result resumed = Cli.run("run", "--resume", "--messages", "100", "--warmup", "0", "--journal",
            journal.toString(), "--set", "journal.roll-cycle=TEST_SECONDLY");
        assertEquals(0, resumed.code(), resumed::toString);
        assertEquals(journalOldest, JournalFiles.rollFiles(journal).get(0), "no journal cycle deleted by the start");
        assertNoTraceCycleBeforeTheJournals();
        final Cli.Result verify = Cli.run("journal", "verify", journal.toString());
        assertEquals(0, verify.code(), verify::toString);
    }

    /** The trace's cycles before the journal's first remaining one go with the journal's (they were left behind). */
    private void assertNoTraceCycleBeforeTheJournals()
    {
        final String journalFirst = JournalFiles.rollFiles(journal).get(0).getFileName().toString();
        final List<Path> trace = JournalFiles.rollFiles(TraceLayout.traceDir(journal));
        assertTrue(trace.get(0).getFileName().toString().compareTo(journalFirst) >= 0,
            "trace cycles left before the journal's first " + journalFirst + ": " + trace);
    }
}
