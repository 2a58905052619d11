package io.chronofabric.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.cli.UsageErrors.assertRefused;
import static io.chronofabric.cli.UsageErrors.words;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * {@code perf} refuses bad options before it measures anything: exit code 2 and one line, as every command does.
 */
class PerfBadInputTest
{
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void shouldRefuseAReportFolderUnderAFileBeforeMeasuring() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("file"), "");
        assertTimeoutPreemptively(PROMPTLY, () -> assertRefused(words("--out", "is a file, not a folder"),
            perf("--out", file.resolve("report").toString())));
    }

    @Test
    void shouldRefuseAReportFolderThatCannotBeCreatedBeforeMeasuring()
    {
        assertTimeoutPreemptively(PROMPTLY, () -> assertRefused(words("--out", "/proc/chronofabric-report"),
            perf("--out", "/proc/chronofabric-report")));
    }

    @Test
    void shouldRefuseADataFolderThatIsAFile() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("file"), "");
        assertTimeoutPreemptively(PROMPTLY, () -> assertRefused(words("--data", "is a file, not a folder"),
            perf("--data", file.toString())));
    }

    @Test
    void shouldRefuseANegativeWarmUp()
    {
        assertRefused(words("--warmup -5", ">= 0"), perf("--warmup", "-5"));
    }

    @Test
    void shouldRefuseRatesAndDurationsThatAreNotFiniteOrOutOfRange()
    {
        for (final String rate : new String[] {"1e-300", "NaN", "Infinity", "2e9"})
        {
            assertRefused(words("--rate", "[1, 1000000000]"), perf("--rate", rate));
        }
        for (final String seconds : new String[] {"1e-300", "NaN", "Infinity", "1e300"})
        {
            assertRefused(words("--latency-seconds", "[0.001, 3600]"), perf("--latency-seconds", seconds));
        }
        assertRefused(words("--sweep-p99-us", "(0, 3600000000]"), perf("--sweep-p99-us", "1e300"));
    }

    @Test
    void shouldRefuseASystemsListThatNamesNoSystemInsteadOfRunningThemAll()
    {
        for (final String list : new String[] {",", "", " , "})
        {
            assertTimeoutPreemptively(PROMPTLY, () -> assertRefused(words("--systems", "names no system",
                "allowed:", "chronofabric-two-node"), perf("--systems", list)));
        }
        assertTimeoutPreemptively(PROMPTLY, () -> assertRefused(words("unknown system ''", "allowed:"),
            perf("--systems", "chronofabric,,abq")));
    }

    /** Found by a black-box round: each ran, then failed with a stack trace (or ran with another setting than named). */
    @Test
    void shouldRefuseSettingsTheRunCannotUseBeforeMeasuringAndLeaveNoFolderBehind() throws Exception
    {
        final Path data = Files.createDirectories(dir.resolve("data"));
        assertTimeoutPreemptively(PROMPTLY, () -> assertRefused(words("types.max=1", "allowed: 3 or more"),
            perf("--data", data.toString(), "--set", "types.max=1")));
        assertTimeoutPreemptively(PROMPTLY, () -> assertRefused(words("payload.capacity=10", "--payload 64",
            "allowed: at least the payload"), perf("--data", data.toString(), "--set", "payload.capacity=10")));
        // the ring's slots alone would take more than the test JVM's heap (surefire's -Xmx1g)
        assertTimeoutPreemptively(PROMPTLY, () -> assertRefused(words("payload.capacity=1048576", "ring.size=4096",
            "maximum heap", "-Xmx"), perf("--data", data.toString(), "--payload", "1048576")));
        try (java.util.stream.Stream<Path> left = Files.list(data))
        {
            org.junit.jupiter.api.Assertions.assertEquals(List.of(), left.toList(), "no trial folder left behind");
        }
    }

    @Test
    void shouldLeaveNoTrialFolderWhenASystemRefusesToStart() throws Exception
    {
        final Path data = Files.createDirectories(dir.resolve("data"));
        final UsageErrors.Result refused = UsageErrors.run(perf("--data", data.toString(), "--systems",
            "chronofabric", "--rounds", "1", "--messages", "1000", "--warmup", "0", "--latency-seconds", "0.01",
            "--set", "journal.min-free-bytes=1000000000000000"));
        org.junit.jupiter.api.Assertions.assertEquals(1, refused.code(), refused::toString);
        org.junit.jupiter.api.Assertions.assertTrue(refused.err().contains("below journal.min-free-bytes"),
            refused::toString);
        try (java.util.stream.Stream<Path> left = Files.list(data))
        {
            org.junit.jupiter.api.Assertions.assertEquals(List.of(), left.toList(), "the trial's folder is deleted");
        }
    }

    /** A quick perf run reporting into the test's folder unless the options say otherwise. */
    private String[] perf(final String... options)
    {
        final List<String> args = new ArrayList<>(List.of("perf", "--quick", "--no-sweep"));
        args.addAll(List.of(options));
        if (!args.contains("--out"))
        {
            args.addAll(List.of("--out", dir.resolve("report").toString()));
        }
        return args.toArray(new String[0]);
    }
}
