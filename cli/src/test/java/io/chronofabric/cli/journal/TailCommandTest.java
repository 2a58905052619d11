package io.chronofabric.cli.journal;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chronofabric.journal.JournalFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code journal tail} follows a journal while a real engine appends to it.
 */
@Timeout(180)
class TailCommandTest
{
    private static final int FIRST_RUN = 2_000;
    private static final int SECOND_RUN = 500;

    @TempDir
    Path dir;

    @Test
    void shouldPrintTheMessagesAnEngineAppendsWhileTailing() throws Exception
    {
        final Path journal = dir.resolve("journal");
        Cli.writeJournal(journal, FIRST_RUN);
        final StringWriter out = new StringWriter();
        final CompletableFuture<Cli.Result> tail = CompletableFuture.supplyAsync(() -> Cli.run(out, "journal", "tail",
            journal.toString(), "--from", "start", "--json", "--exit-after", Integer.toString(FIRST_RUN + SECOND_RUN),
            "--timeout", "150"));
        while (lines(out).size() < FIRST_RUN && !tail.isDone())
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        assertEquals(FIRST_RUN, lines(out).size(), "the tail has printed the existing journal and now waits");

        Cli.writeJournal(journal, SECOND_RUN, "--resume");
        final Cli.Result result = tail.get(150, TimeUnit.SECONDS);
        assertEquals(0, result.code(), result::toString);
        final List<String> lines = lines(out);
        assertEquals(FIRST_RUN + SECOND_RUN, lines.size());
        final ObjectMapper mapper = new ObjectMapper();
        for (int i = 0; i < lines.size(); i++)
        {
            final JsonNode message = mapper.readTree(lines.get(i));
            assertEquals(i + 1, message.get("id").asLong(), "ids in journal order, the appended ones after the rest");
        }
    }

    @Test
    void shouldPrintNothingOldWhenFollowingFromTheEnd() throws Exception
    {
        final Path journal = dir.resolve("journal");
        Cli.writeJournal(journal, FIRST_RUN);
        final Cli.Result result = Cli.run("journal", "tail", journal.toString(), "--timeout", "0.5");
        assertEquals(0, result.code(), result::toString);
        assertTrue(result.out().isBlank(), result::toString);

        final Cli.Result fromStart = Cli.run("journal", "tail", journal.toString(), "--from", "start",
            "--exit-after", "3");
        assertEquals(0, fromStart.code(), fromStart::toString);
        assertEquals(3, fromStart.out().lines().count(), fromStart::toString);
        assertTrue(fromStart.out().contains(" id=1 ") && fromStart.out().contains(" id=3 "), fromStart::toString);
    }

    /**
     * A newest roll file that never gets its Chronicle header (emptied, or bytes whose first word says "being
     * written"): the tail reports it in one line and exits 1 within seconds, with or without a timeout, and a shorter
     * timeout still ends it on time.
     */
    @Test
    void shouldReportANewestRollFileWithoutAHeaderInsteadOfWaitingForIt() throws Exception
    {
        final Path journal = dir.resolve("journal");
        Cli.writeJournal(journal, 100);
        final List<Path> rollFiles = JournalFiles.rollFiles(journal);
        final Path newest = rollFiles.get(rollFiles.size() - 1);
        final byte[] garbage = new byte[1 << 20];
        new Random(5).nextBytes(garbage);
        garbage[3] |= (byte)0x80; // the header word's "not complete" bit: what a writer creating the file shows
        for (final byte[] content : List.of(new byte[0], garbage))
        {
            Files.write(newest, content);
            for (final List<String> options : List.<List<String>>of(List.of(), List.of("--from", "start"),
                List.of("--timeout", "60")))
            {
                final List<String> args = new ArrayList<>(List.of("journal", "tail", journal.toString()));
                args.addAll(options);
                final Cli.Result result = assertTimeoutPreemptively(Duration.ofSeconds(15),
                    () -> Cli.run(args.toArray(String[]::new)), () -> args + " waited on");
                assertEquals(1, result.code(), result::toString);
                assertEquals(1, result.err().lines().count(), result::toString);
                assertTrue(result.err().startsWith("chronofabric: corrupt journal file " + newest + " at byte offset " +
                    "0: no complete Chronicle header"), result::toString);
            }
            final long start = System.nanoTime();
            final Cli.Result shortWait = Cli.run("journal", "tail", journal.toString(), "--timeout", "0.3");
            assertEquals(0, shortWait.code(), shortWait::toString);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "the timeout ends it first");
        }
    }

    private static List<String> lines(final StringWriter out)
    {
        final String text = out.toString();
        final int complete = text.lastIndexOf('\n');
        return complete < 0 ? List.of() : text.substring(0, complete).lines().collect(Collectors.toList());
    }
}
