package io.chronofabric.cli.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.chronofabric.journal.JournalFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A roll file deleted from the middle of a journal leaves no gap in Chronicle's indexes (an idle cycle has no file
 * either) and, with the latency trace off, no trace entry to miss its messages: {@code journal verify} must still call
 * the journal corrupt, because its settlement log names messages as settled that the journal no longer holds.
 */
class MissingRollFileTest
{
    private static final int MESSAGES = 30_000;

    @TempDir
    Path dir;

    @Test
    void shouldCallAJournalCorruptWhenARollFileIsMissingFromItsMiddleWithTheTraceOff() throws Exception
    {
        final Path journal = dir.resolve("journal");
        Cli.writeJournal(journal, MESSAGES, "--rate", "10000", "--set", "journal.roll-cycle=TEST_SECONDLY",
            "--set", "latency.trace.enabled=false");
        final List<Path> rolls = JournalFiles.rollFiles(journal);
        assertTrue(rolls.size() >= 3, "several cycles: " + rolls);
        final Cli.Result intact = Cli.run("journal", "verify", journal.toString());
        assertEquals(0, intact.code(), "the intact journal verifies: " + intact);

        final Path middle = rolls.get(rolls.size() / 2);
        Files.delete(middle);
        final Cli.Result verify = Cli.run("journal", "verify", journal.toString(), "--json");
        assertEquals(1, verify.code(), "a missing middle cycle (" + middle.getFileName() + ") is found: " + verify);
        final JsonNode report = verify.json();
        assertEquals("CORRUPT", report.get("verdict").asText(), verify::toString);
        assertTrue(report.get("problem_counts").has("settled_not_journaled"), verify::toString);
        final long journaled = report.get("records").asLong();
        assertTrue(journaled < MESSAGES, "the deleted cycle held messages: " + journaled);

        final Cli.Result text = Cli.run("journal", "verify", journal.toString());
        assertEquals(1, text.code(), text::toString);
        assertTrue(text.out().contains("which no valid journal record has"), text.out());
    }
}
