package io.chronofabric.cli.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.cli.UsageErrors.assertRefused;
import static io.chronofabric.cli.UsageErrors.words;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The journal tool (and {@code trace-anomalies}, which reads the same folder) refuses bad arguments before reading
 * anything: exit code 2 and one line naming the argument and what is allowed, never a stack trace, a hang or a clean
 * result for a contradiction.
 */
class JournalBadInputTest
{
    private static final Duration PROMPTLY = Duration.ofSeconds(10);
    private static final String[] COMMANDS = {"stats", "dump", "verify", "latency", "tail", "rolls", "replay",
        "deadletters"};

    @TempDir
    static Path dir;

    private static Path journal;
    private static Path file;
    private static JsonNode first;
    private static JsonNode last;

    @BeforeAll
    static void writeJournal() throws Exception
    {
        journal = dir.resolve("journal");
        Cli.writeJournal(journal, 2_000);
        file = Files.writeString(dir.resolve("notes.txt"), "not a journal");
        final Cli.Result stats = Cli.run("journal", "stats", journal.toString(), "--json");
        assertEquals(0, stats.code(), stats::toString);
        first = stats.json().get("first_index");
        last = stats.json().get("last_index");
    }

    @Test
    void shouldSayThatStatsWasGivenAFileNotAJournalFolder()
    {
        assertRefused(words(file.toString(), "is a file, not a journal folder"), "journal", "stats", file.toString());
    }

    @Test
    void shouldSayThatVerifyWasGivenAFileNotAJournalFolder()
    {
        assertRefused(words(file.toString(), "is a file, not a journal folder"), "journal", "verify", file.toString());
    }

    @Test
    void shouldSayThatEveryJournalCommandWasGivenAFileNotAJournalFolder()
    {
        for (final String command : COMMANDS)
        {
            assertRefused(words("is a file, not a journal folder"), "journal", command, file.toString());
        }
        assertRefused(words("is a file, not a journal folder"), "trace-anomalies", file.toString());
    }

    @Test
    void shouldRefuseTraceAnomaliesOfAFolderWithoutAJournal() throws Exception
    {
        final Path empty = java.nio.file.Files.createDirectories(dir.resolve("empty"));
        assertRefused(words("holds no journal"), "trace-anomalies", empty.toString());
    }

    @Test
    void shouldStillSayThatAMissingFolderDoesNotExist()
    {
        assertRefused(words("does not exist"), "journal", "stats", dir.resolve("missing").toString());
    }

    @Test
    void shouldRefuseAPlotInAMissingFolder()
    {
        assertRefused(words("--png", "/nonexistent", "does not exist"), "journal", "latency", journal.toString(),
            "--png", "/nonexistent/x.png");
    }

    @Test
    void shouldRefuseOutputFilesThatCannotBeCreatedWithoutAStackTrace()
    {
        assertRefused(words("--hlog", "/proc/chronofabric.hlog"), "journal", "latency", journal.toString(),
            "--hlog", "/proc/chronofabric.hlog");
        assertRefused(words("--png", "/proc/chronofabric.png"), "journal", "latency", journal.toString(),
            "--png", "/proc/chronofabric.png");
    }

    @Test
    void shouldRefuseAFolderAsTheIntervalLog()
    {
        assertRefused(words("--hlog", dir.toString(), "is a folder"), "journal", "latency", journal.toString(),
            "--hlog", dir.toString());
    }

    @Test
    void shouldRefuseAReplayFromAfterUntil()
    {
        final String from = last.get("hex").asText();
        final String until = first.get("hex").asText();
        assertRefused(words("--from " + from, "--until " + until, "after"), "journal", "replay", journal.toString(),
            "--from", from, "--until", until);
    }

    @Test
    void shouldRefuseAReplayUntilATimeBeforeItsFirstMessage()
    {
        assertRefused(words("--until 2000-01-01T00:00:00Z", "before"), "journal", "replay", journal.toString(),
            "--until", "2000-01-01T00:00:00Z");
    }

    @Test
    void shouldRefuseAReplaySpeedTooSmallToReplayPromptly()
    {
        assertTimeoutPreemptively(PROMPTLY, () -> assertRefused(words("--speed 1e-300", "[0.001, 1000000]", "max"),
            "journal", "replay", journal.toString(), "--speed", "1e-300"));
    }

    @Test
    void shouldRefuseReplaySpeedsThatAreNotFiniteOrOutOfRange()
    {
        for (final String speed : new String[] {"NaN", "Infinity", "0", "-2", "1e7"})
        {
            assertRefused(words("--speed " + speed, "[0.001, 1000000]"), "journal", "replay", journal.toString(),
                "--speed", speed);
        }
    }

    @Test
    void shouldRefuseADumpSinceAfterUntil()
    {
        final String since = Instant.now().toString();
        final String until = Instant.now().minusSeconds(3600).toString();
        assertRefused(words("--since " + since, "--until " + until, "after"), "journal", "dump", journal.toString(),
            "--since", since, "--until", until);
    }

    @Test
    void shouldRefuseTailTimeoutsThatAreNotFiniteOrOutOfRange()
    {
        for (final String timeout : new String[] {"1e-300", "Infinity", "NaN", "-1", "1e12"})
        {
            assertTimeoutPreemptively(PROMPTLY, () -> assertRefused(words("--timeout " + timeout, "[0.001, 31536000]"),
                "journal", "tail", journal.toString(), "--timeout", timeout));
        }
    }

    @Test
    void shouldRefuseNegativeCounts()
    {
        assertRefused(words("--limit -1", ">= 0"), "journal", "dump", journal.toString(), "--limit", "-1");
        assertRefused(words("--exit-after 0", ">= 1"), "journal", "tail", journal.toString(), "--exit-after", "0");
        assertRefused(words("--limit -1", "[0, 2147483647]"), "trace-anomalies", journal.toString(), "--limit", "-1");
    }

    @Test
    void shouldRefuseTraceThresholdsOutOfRange()
    {
        assertRefused(words("--stuck-ms 0", "[1, 3600000]"), "trace-anomalies", journal.toString(), "--stuck-ms", "0");
        assertRefused(words("--stuck-ms 9223372036854775807", "[1, 3600000]"), "trace-anomalies", journal.toString(),
            "--stuck-ms", Long.toString(Long.MAX_VALUE));
        assertRefused(words("--slow-hop-us 9223372036854775807", "[1, 3600000000]"), "trace-anomalies",
            journal.toString(), "--slow-hop-us", Long.toString(Long.MAX_VALUE));
    }

    @Test
    void shouldRefuseAMalformedIndexInOneLine()
    {
        final Cli.Result result = Cli.run("journal", "dump", journal.toString(), "--from", "0xzz");
        assertEquals(2, result.code(), result::toString);
        assertEquals(1, result.err().strip().lines().count(), result::toString);
        assertFalse(result.err().contains("Usage:"), result::toString);
    }
}
