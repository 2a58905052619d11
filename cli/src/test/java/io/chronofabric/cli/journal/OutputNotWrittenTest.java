package io.chronofabric.cli.journal;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A file a command was asked to write that cannot be written (here {@code /dev/full}: every write fails with "No
 * space left on device") fails the command with exit 3 and one line naming the file, never exit 0 with the file
 * reported written, never a stack trace (a black-box round found {@code --hlog} and {@code --png} reported written,
 * and {@code --metrics-out} ending in exit 1, which a run reserves for a lost message, with a stack trace).
 */
class OutputNotWrittenTest
{
    private static final Path FULL = Path.of("/dev/full");

    @TempDir
    static Path dir;

    private static Path journal;

    @BeforeAll
    static void writeJournal() throws Exception
    {
        journal = dir.resolve("journal");
        Cli.writeJournal(journal, 2_000, "--rate", "10000");
    }

    @Test
    void anIntervalLogThatCannotBeWrittenFailsTheCommand()
    {
        assertNotWritten(Cli.run("journal", "latency", journal.toString(), "--hlog", FULL.toString()));
    }

    @Test
    void aPlotThatCannotBeWrittenFailsTheCommand()
    {
        assertNotWritten(Cli.run("journal", "latency", journal.toString(), "--png", FULL.toString()));
    }

    /** The plot does not depend on the interval log: written, and reported, when only the log fails. */
    @Test
    void aPlotIsStillWrittenAndReportedWhenTheIntervalLogCannotBe() throws Exception
    {
        final Path png = dir.resolve("beside.png");
        final Cli.Result result = Cli.run("journal", "latency", journal.toString(), "--json", "--hlog",
            FULL.toString(), "--png", png.toString());
        assertNotWritten(result);
        assertTrue(Files.size(png) > 0, result::toString);
        assertTrue(result.out().contains("\"png\" : \"" + png.toAbsolutePath() + "\""), result::toString);
        assertTrue(result.out().contains("\"hlog\" : null"), result::toString);
    }

    @Test
    void aPlotIsWrittenAtThePathGiven() throws Exception
    {
        final Path png = dir.resolve("plot");
        assertEquals(0, Cli.run("journal", "latency", journal.toString(), "--png", png.toString()).code());
        assertTrue(Files.size(png) > 0, "not at " + png + ".png");
    }

    @Test
    void aMetricsFileThatCannotBeWrittenFailsTheRunAfterItsSummary()
    {
        final Cli.Result result = Cli.run("run", "--messages", "1000", "--warmup", "0", "--journal",
            dir.resolve("run").toString(), "--metrics-out", FULL.toString());
        assertNotWritten(result);
        assertTrue(result.out().contains("delivered                  1,000"), "the summary first: " + result);
    }

    private static void assertNotWritten(final Cli.Result result)
    {
        assumeTrue(Files.exists(FULL), "a host with /dev/full");
        assertEquals(3, result.code(), result::toString);
        final String error = result.err().strip();
        assertTrue(error.startsWith("chronofabric: cannot write /dev/full: No space left on device"), result::toString);
        assertEquals(1, error.lines().filter(line -> !line.contains(" WARN ")).count(), result::toString);
    }
}
