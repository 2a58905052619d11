package io.chronofabric.cli.journal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chronofabric.cli.Main;
import io.chronofabric.journal.JournalFiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code chronofabric} command lines in-process, as the launcher would, capturing stdout, stderr and the exit
 * code.
 */
final class Cli
{
    /** What one command line did. */
    record Result(int code, String out, String err)
    {
        JsonNode json() throws Exception
        {
            return new ObjectMapper().readTree(out);
        }

        @Override
        public String toString()
        {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private Cli()
    {
    }

    static Result run(final String... args)
    {
        return run(new StringWriter(), args);
    }

    /** Runs a command line whose output can be watched while it runs. */
    static Result run(final StringWriter out, final String... args)
    {
        final StringWriter err = new StringWriter();
        final int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * Writes a journal of settled messages over at least three TEST_SECONDLY cycles (10,000 msg/s).
     *
     * @return the journal folder, {@code journal} under {@code dir}.
     */
    static Path writeJournalOverSeveralCycles(final Path dir, final int messages) throws Exception
    {
        final Path journal = dir.resolve("journal");
        writeJournal(journal, messages, "--rate", "10000", "--set", "journal.roll-cycle=TEST_SECONDLY");
        assertTrue(JournalFiles.rollFiles(journal).size() >= 3, "several cycles: " + JournalFiles.rollFiles(journal));
        return journal;
    }

    /**
     * Writes a journal with a real engine running the trading workload.
     *
     * @return the run's JSON summary.
     */
    static JsonNode writeJournal(final Path journal, final int messages, final String... extra) throws Exception
    {
        final String[] base = {"run", "--messages", Integer.toString(messages), "--warmup", "0", "--json",
            "--journal", journal.toString()};
        final String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        final Result result = run(args);
        assertEquals(0, result.code(), result::toString);
        return result.json();
    }
}
