package io.chronofabric.cli.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A paced run warms up at full speed and then at its own rate, on a journal of its own: the journal named by
 * {@code --journal} holds the measured run's messages only, and no warm-up folder is left behind.
 */
class PacedWarmUpTest
{
    private static final int MESSAGES = 3_000;

    @TempDir
    Path dir;

    @Test
    void shouldJournalOnlyTheMeasuredMessagesOfAPacedRunAfterItsWarmUp() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final Cli.Result run = Cli.run("run", "--messages", Integer.toString(MESSAGES), "--rate", "20000",
            "--warmup", "8000", "--json", "--journal", journal.toString());
        assertEquals(0, run.code(), run::toString);
        final JsonNode summary = run.json();
        assertEquals(MESSAGES, summary.get("published").asLong(), run::toString);
        assertEquals(MESSAGES, summary.get("delivered").asLong(), run::toString);

        final Cli.Result stats = Cli.run("journal", "stats", "--json", journal.toString());
        assertEquals(0, stats.code(), stats::toString);
        assertEquals(MESSAGES, stats.json().get("messages").asLong(), stats::toString);
        assertEquals(0, warmUpFoldersOfThisProcess(), "warm-up journals are deleted");
    }

    private static long warmUpFoldersOfThisProcess() throws IOException
    {
        final String prefix = "chronofabric-warmup-" + ProcessHandle.current().pid() + "-";
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir"))))
        {
            return entries.filter(entry -> entry.getFileName().toString().startsWith(prefix)).count();
        }
    }
}
