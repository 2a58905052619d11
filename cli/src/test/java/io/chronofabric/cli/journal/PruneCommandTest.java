package io.chronofabric.cli.journal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.JournalLock;
import io.chronofabric.journal.TraceLayout;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code journal prune} on a journal a real engine wrote over a few seconds in TEST_SECONDLY cycles, every message
 * settled: a dry run deletes nothing, a prune keeps the newest cycle, and what remains verifies, and stats, verify
 * and replay say where it now starts.
 */
class PruneCommandTest
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

    @Test
    void shouldDeleteNothingOnADryRunAndLeaveOneCycleThatVerifiesOtherwise() throws Exception
    {
        final List<Path> before = JournalFiles.rollFiles(journal);
        final Map<String, String> files = JournalCopies.snapshot(journal);
        final Cli.Result dryRun = Cli.run("journal", "prune", journal.toString(), "--keep-cycles", "1", "--dry-run",
            "--json");
        assertEquals(0, dryRun.code(), dryRun::toString);
        final JsonNode plan = dryRun.json();
        assertTrue(plan.get("would_delete").size() >= before.size() - 1, dryRun::toString);
        assertTrue(plan.get("cycles").get(0).get("reason").asText().contains("beyond keep-cycles 1"), dryRun::toString);
        assertEquals(files, JournalCopies.snapshot(journal), "a dry run changes no file: none deleted, grown, written");

        final Cli.Result pruned = Cli.run("journal", "prune", journal.toString(), "--keep-cycles", "1");
        assertEquals(0, pruned.code(), pruned::toString);
        final Path kept = before.get(before.size() - 1);
        assertEquals(List.of(kept), JournalFiles.rollFiles(journal), pruned.out());
        assertEquals(files.get(kept.getFileName().toString()), JournalCopies.snapshot(journal)
            .get(kept.getFileName().toString()), "the kept cycle's file is left as it was, not grown");
        assertEquals(1, JournalFiles.rollFiles(TraceLayout.traceDir(journal)).size(), "the trace follows");

        final Cli.Result verify = Cli.run("journal", "verify", journal.toString());
        assertEquals(0, verify.code(), verify::toString);
        assertTrue(verify.out().contains("continuity checked from the first remaining cycle"), verify.out());
        final JsonNode stats = Cli.run("journal", "stats", journal.toString(), "--json").json();
        final long remaining = stats.get("messages").asLong();
        assertTrue(remaining < MESSAGES, "fewer messages remain: " + remaining);
        assertEquals(MESSAGES - remaining, stats.get("pruned_messages").asLong());
        assertEquals(before.size() - 1, stats.get("pruned_cycles").asInt());
        assertEquals(MESSAGES - remaining + 1, stats.get("first_id").asLong());
        assertTrue(stats.get("starts_at").asText().startsWith("id " + (MESSAGES - remaining + 1)), stats.toString());
        final Cli.Result replay = Cli.run("journal", "replay", journal.toString(), "--speed", "max");
        assertEquals(0, replay.code(), replay::toString);
        // at the first remaining id, or at the first whole batch after it (its windows count from a batch's start)
        final java.util.regex.Matcher startsAt = java.util.regex.Pattern.compile("starts at id (\\d+)")
            .matcher(replay.out());
        assertTrue(startsAt.find(), replay.out());
        final long firstReplayed = Long.parseLong(startsAt.group(1));
        assertTrue(firstReplayed == MESSAGES - remaining + 1 || replay.out().contains(String.format("%,d",
            firstReplayed - (MESSAGES - remaining + 1)) + " earlier message(s) skipped to start at the first whole batch"),
            replay.out());
        assertTrue(replay.out().contains(String.format("%,d earlier message(s) pruned", MESSAGES - remaining)),
            replay.out());
    }

    @Test
    void shouldRefuseAJournalARunningEngineHolds() throws Exception
    {
        final List<Path> before = JournalFiles.rollFiles(journal);
        try (JournalLock lock = JournalLock.acquire(journal))
        {
            final Cli.Result held = Cli.run("journal", "prune", journal.toString(), "--keep-cycles", "1");
            assertEquals(1, held.code(), held::toString);
            assertTrue(held.err().contains("in use"), held::toString);
            final Cli.Result dryRun = Cli.run("journal", "prune", journal.toString(), "--keep-cycles", "1", "--dry-run");
            assertEquals(1, dryRun.code(), dryRun::toString);
            assertTrue(dryRun.err().contains("in use"), dryRun::toString);
        }
        assertEquals(before, JournalFiles.rollFiles(journal));
    }

    @Test
    void shouldRefuseBadLimitsWithOneLine()
    {
        for (final String[] args : List.of(new String[] {}, new String[] {"--max-age", "3x"},
            new String[] {"--max-bytes", "-5"}, new String[] {"--keep-cycles", "0"}))
        {
            final String[] command = new String[3 + args.length];
            command[0] = "journal";
            command[1] = "prune";
            command[2] = journal.toString();
            System.arraycopy(args, 0, command, 3, args.length);
            final Cli.Result result = Cli.run(command);
            assertEquals(2, result.code(), result::toString);
            assertEquals(1, result.err().strip().lines().count(), result::toString);
        }
    }
}
