package io.chronofabric.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.chronofabric.journal.JournalFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fresh run sets the folder's journal aside as DIR.previous only once its warm-up is over, right before its engine
 * starts: a run killed in the warm-up leaves the journal where it was, for {@code run --resume} to continue (a
 * black-box round found it moved aside, and a resume then started a new journal).
 */
class KilledInTheWarmUpTest
{
    @TempDir
    Path dir;

    @Test
    void aRunKilledInItsWarmUpLeavesTheJournalWhereItWas() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final StringWriter err = new StringWriter();
        assertEquals(0, Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "run",
            "--messages", "1000", "--warmup", "0", "--journal", journal.toString()), err::toString);

        final Process run = new ProcessBuilder(ChildJvm.command(List.of(), Main.class, "run", "--messages", "10",
            "--warmup", "500000000", "--journal", journal.toString())).redirectErrorStream(true)
            .redirectOutput(dir.resolve("run.out").toFile()).start();
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (run.isAlive() && !warmingUp(run.pid()) && System.nanoTime() < deadline)
            {
                Thread.sleep(20);
            }
            assertTrue(run.isAlive() && warmingUp(run.pid()), "the run is in its warm-up: " +
                Files.readString(dir.resolve("run.out")));
        }
        finally
        {
            run.destroyForcibly();
            assertTrue(run.waitFor(30, TimeUnit.SECONDS));
        }

        assertEquals(1000, JournalFiles.countRecords(journal), "the journal is where it was");
        assertFalse(Files.exists(journal.resolveSibling("journal.previous")), "nothing was set aside");
    }

    /** @return true once the process has made its warm-up journal's scratch folder. */
    private static boolean warmingUp(final long pid) throws IOException
    {
        final Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(tmp, "chronofabric-warmup-" + pid + "-*"))
        {
            return folders.iterator().hasNext();
        }
    }
}
