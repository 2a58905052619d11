package io.chronofabric.cli.journal;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.chronofabric.cli.common.ScratchFolders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code journal verify} and {@code journal stats} over a mutated copy of a real journal folder (records, trace,
 * settlement log, Chronicle's metadata): whatever the damage, each command finishes within {@link #BOUND_SECONDS},
 * exits 0 or 1, and prints no stack trace (the only exception that reaches the launcher is the documented
 * {@link io.chronofabric.journal.JournalCorruptionException}, printed as one line). And nothing is lost in silence:
 * when verify says OK, stats reads every message of the original journal.
 *
 * <p>Under {@code mvn verify} Jazzer runs in regression mode: it replays the inputs committed under
 * {@code src/test/resources/io/chronofabric/cli/journal/JournalToolFuzzTestInputs/verifyAndStatsFailClosed}, a few
 * seconds. To fuzz (new inputs go to {@code cli/.cifuzz-corpus}; {@code maxDuration} bounds the session):
 * {@code JAZZER_FUZZ=1 JAZZER_INSTRUMENTATION_INCLUDES='io.chronofabric.**' mvn -pl cli -am test
 * -Dtest=JournalToolFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class JournalToolFuzzTest
{
    /** Messages in the real journal: several of Chronicle's index entries (one per 256 records). */
    private static final int MESSAGES = 2_000;
    /** How long one command may take on any damage; an undamaged journal takes well under a second. */
    private static final long BOUND_SECONDS = 10;

    @TempDir
    static Path dir;

    private static JournalImage image;
    private static ExecutorService runner;
    private static int copies;

    @BeforeAll
    static void imageARealJournal() throws Exception
    {
        final Path original = dir.resolve("original");
        Cli.writeJournal(original, MESSAGES);
        image = JournalImage.of(original);
        runner = Executors.newCachedThreadPool(task ->
        {
            final Thread thread = new Thread(task, "fuzz-cli");
            thread.setDaemon(true); // a command past its bound is abandoned, never joined
            return thread;
        });
    }

    @AfterAll
    static void stopRunner()
    {
        runner.shutdownNow();
    }

    @FuzzTest(maxDuration = "10m")
    void verifyAndStatsFailClosed(final FuzzedDataProvider data) throws Exception
    {
        final List<JournalMutation> mutations = JournalMutation.decode(data, image);
        final Path copy = dir.resolve("copy-" + copies++);
        image.copyTo(copy);
        try
        {
            for (final JournalMutation mutation : mutations)
            {
                mutation.apply(copy, image);
            }
            final String what = mutations + " on " + image;
            final Cli.Result verify = bounded(what, "journal", "verify", copy.toString(), "--json");
            assertFailsClosed(what, verify);
            final Cli.Result stats = bounded(what, "journal", "stats", copy.toString(), "--json");
            assertFailsClosed(what, stats);
            if (0 == verify.code())
            {
                assertEquals("OK", verify.json().get("verdict").asText(), () -> what + "\n" + verify);
                assertEquals(0, stats.code(), () -> "verify said OK: " + what + "\n" + stats);
                final JsonNode counts = stats.json();
                assertEquals(MESSAGES, counts.get("messages").asLong(), () -> "verify said OK: " + what + "\n" + stats);
                assertEquals(1, counts.get("first_id").asLong(), () -> what + "\n" + stats);
                assertEquals(MESSAGES, counts.get("last_id").asLong(), () -> what + "\n" + stats);
            }
        }
        finally
        {
            ScratchFolders.delete(copy);
        }
    }

    private static Cli.Result bounded(final String what, final String... args) throws Exception
    {
        final Future<Cli.Result> result = runner.submit(() -> Cli.run(args));
        try
        {
            return result.get(BOUND_SECONDS, TimeUnit.SECONDS);
        }
        catch (final TimeoutException ex)
        {
            result.cancel(true);
            return fail(String.join(" ", args) + " did not finish within " + BOUND_SECONDS + " s: " + what);
        }
        catch (final ExecutionException ex)
        {
            // thrown out of the launcher: an Error, since it reports every exception
            return fail(String.join(" ", args) + " threw " + ex.getCause() + ": " + what, ex.getCause());
        }
    }

    private static void assertFailsClosed(final String what, final Cli.Result result)
    {
        assertTrue(0 == result.code() || 1 == result.code(), () -> "exit code: " + what + "\n" + result);
        assertFalse(result.err().contains("\tat "), () -> "a stack trace: " + what + "\n" + result);
    }
}
