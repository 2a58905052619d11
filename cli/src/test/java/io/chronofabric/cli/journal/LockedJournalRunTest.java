package io.chronofabric.cli.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.journal.JournalFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run} on the journal folder of a live engine: refused with one line naming the folder and the holder, and
 * the folder is neither moved aside nor written.
 */
class LockedJournalRunTest
{
    @TempDir
    Path dir;

    @Test
    void shouldNeitherMoveNorWriteAJournalFolderALiveEngineHolds() throws Exception
    {
        final Path journal = dir.resolve("journal");
        Cli.writeJournal(journal, 1000);
        try (ChronoFabric live = ChronoFabric.start(Profiles.builder("dev").journalDir(journal)))
        {
            for (final String[] args : new String[][] {
                {"run", "--journal", journal.toString(), "--messages", "10", "--warmup", "0"},
                {"run", "--resume", "--journal", journal.toString(), "--messages", "10", "--warmup", "0"}})
            {
                final Cli.Result run = Cli.run(args);
                assertEquals(1, run.code(), run::toString);
                assertEquals(1, run.err().lines().count(), run::toString);
                assertTrue(run.err().contains("in use by another engine (process " + ProcessHandle.current().pid()),
                    run.err());
            }
            // refused before its warm-up, which would take tens of seconds here, not after it
            final Cli.Result resume = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> Cli.run("run",
                "--resume", "--journal", journal.toString(), "--messages", "10", "--warmup", "10000000"));
            assertEquals(1, resume.code(), resume::toString);
            assertTrue(resume.err().contains("in use by another engine"), resume::toString);
            assertFalse(Files.exists(dir.resolve("journal.previous")), "the live journal was not moved aside");
            assertEquals(1000, JournalFiles.countRecords(journal), "nor written");
        }
    }
}
