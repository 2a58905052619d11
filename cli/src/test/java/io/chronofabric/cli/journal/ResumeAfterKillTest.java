package io.chronofabric.cli.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.chronofabric.cli.ChildJvm;
import io.chronofabric.cli.Main;
import io.chronofabric.journal.JournalFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's view of a crash: the main job killed with SIGKILL mid-run leaves journaled messages unsettled
 * ({@code journal stats}); {@code run --resume} delivers exactly those again, reports them as {@code recovered} and
 * exits 0; after its clean close nothing is unsettled and the next resume recovers nothing.
 */
class ResumeAfterKillTest
{
    private static final int TRIES = 5;

    @TempDir
    Path dir;

    @Test
    void shouldRecoverWhatAKilledRunLeftUnsettledAndExitZero() throws Exception
    {
        Path journal = null;
        JsonNode killed = null;
        for (int attempt = 1; attempt <= TRIES && (null == killed || 0 == killed.get("unsettled").asLong()); attempt++)
        {
            // a kill that lands between two settled batches leaves nothing to recover: kill another run then
            journal = dir.resolve("journal-" + attempt);
            killMidRun(journal);
            killed = Cli.run("journal", "stats", journal.toString(), "--json").json();
        }
        final long unsettled = killed.get("unsettled").asLong();
        assertTrue(unsettled > 0, "one of " + TRIES + " kills left messages unsettled: " + killed);
        assertTrue(killed.get("settled_watermark").asLong() < killed.get("last_id").asLong(), killed.toString());

        final Cli.Result resumed = Cli.run("run", "--resume", "--journal", journal.toString(), "--messages", "2000",
            "--warmup", "0", "--json");
        assertEquals(0, resumed.code(), resumed::toString);
        assertEquals(unsettled, resumed.json().get("recovered").asLong(), resumed::toString);
        assertEquals(0, resumed.json().get("unsettled").asLong(), resumed::toString);
        assertEquals(2000, resumed.json().get("published").asLong());
        assertEquals(2000, resumed.json().get("delivered").asLong() + resumed.json().get("dropped").asLong());

        final JsonNode after = Cli.run("journal", "stats", journal.toString(), "--json").json();
        assertEquals(0, after.get("unsettled").asLong(), after::toString);
        assertEquals(after.get("last_id").asLong(), after.get("settled_watermark").asLong(), after::toString);
        final Cli.Result verify = Cli.run("journal", "verify", journal.toString());
        assertEquals(0, verify.code(), verify::toString);

        final Cli.Result again = Cli.run("run", "--resume", "--journal", journal.toString(), "--messages", "100",
            "--warmup", "0", "--json");
        assertEquals(0, again.code(), again::toString);
        assertEquals(0, again.json().get("recovered").asLong(), "a clean close leaves nothing to recover");
    }

    /** Runs the main job at full speed in a child JVM and kills it with SIGKILL once it has journaled a lot. */
    private static void killMidRun(final Path journal) throws Exception
    {
        final List<String> command = ChildJvm.command(List.of(), Main.class, "run", "--messages", "50000000",
            "--warmup", "0", "--journal", journal.toString());
        final Process run = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(journal.resolveSibling(journal.getFileName() + ".out").toFile()).start();
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (run.isAlive() && (!Files.isDirectory(journal) || JournalFiles.rollFiles(journal).isEmpty() ||
                JournalFiles.countRecords(journal) < 200_000) && System.nanoTime() < deadline)
            {
                Thread.sleep(50);
            }
            assertTrue(run.isAlive(), "the run is still going when killed");
        }
        finally
        {
            run.destroyForcibly();
            assertTrue(run.waitFor(30, TimeUnit.SECONDS));
        }
    }
}
