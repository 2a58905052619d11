package io.chronofabric.cli.journal;

import java.nio.file.Path;
import java.util.Map;

import io.chronofabric.journal.JournalFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code journal rolls --remove-before} with a time a journal's roll cycle cannot number: TEST_SECONDLY numbers its
 * cycles in seconds from 1970 in an int, so its last cycle starts in January 2038. A later date is refused as bad
 * input naming the range, never wrapped into a cycle of today.
 */
class CycleCutTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRefuseACutPastTheLastCycleTheRollCycleCanNumberInsteadOfWrappingIt() throws Exception
    {
        final Path journal = dir.resolve("journal");
        Cli.writeJournal(journal, 500, "--set", "journal.roll-cycle=TEST_SECONDLY");
        final Map<String, String> before = JournalCopies.snapshot(journal);
        for (final String cut : new String[] {"2163-01-01", "2038-01-20", "2200-06-01T00:00:00Z"})
        {
            for (final boolean dryRun : new boolean[] {true, false})
            {
                final Cli.Result result = dryRun ?
                    Cli.run("journal", "rolls", journal.toString(), "--remove-before", cut, "--dry-run") :
                    Cli.run("journal", "rolls", journal.toString(), "--remove-before", cut);
                assertEquals(2, result.code(), result::toString);
                assertEquals(1, result.err().lines().count(), result::toString);
                assertTrue(result.err().contains("--remove-before " + cut) &&
                    result.err().contains("TEST_SECONDLY") && result.err().contains("allowed"), result::toString);
                assertTrue(result.out().isEmpty(), result::toString);
            }
        }
        assertEquals(before, JournalCopies.snapshot(journal), "nothing removed or changed");
        assertTrue(JournalFiles.rollFiles(journal).size() >= 1);

        final Cli.Result early = Cli.run("journal", "rolls", journal.toString(), "--remove-before", "1969-12-01",
            "--dry-run");
        assertEquals(2, early.code(), early::toString);
        assertTrue(early.err().contains("allowed"), early::toString);
    }
}
