package io.chronofabric.cli.journal;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.chronofabric.cli.ChildJvm;
import io.chronofabric.cli.Main;
import io.chronofabric.journal.SmallDisk;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The main job at full speed until the disk is full, on disks of several sizes so that the disk fills at different
 * points of the journal's, the trace's and the settlement log's documents: every message `run` says is acknowledged is
 * in the journal, the journal verifies once a little room is freed, and `run --resume` continues it. Before the
 * write-ahead refused a document it could not allocate, the mapped write met the full disk as a SIGBUS reported
 * after the document was committed with bytes missing: the journal then held a damaged document after the last
 * readable record, the 64 acknowledged messages in it were lost, and neither `journal verify` nor `run --resume`
 * would take the journal. Needs a small tmpfs, so it runs where the test may mount one (root, as on CI).
 */
class FullDiskKeepsEveryAcknowledgedMessageTest
{
    private static final Pattern ACKNOWLEDGED = Pattern.compile("messages up to id (\\d+) are acknowledged");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} MiB")
    @ValueSource(ints = {21, 23, 25, 27, 29})
    void everyAcknowledgedMessageIsJournaledAndTheJournalVerifiesAndResumes(final int megabytes) throws Exception
    {
        try (SmallDisk disk = SmallDisk.mount(dir, megabytes))
        {
            final Path journal = disk.path().resolve("journal");
            final Cli.Result run = runAsLauncherDoes(journal);
            assertEquals(1, run.code(), run::toString);
            final Matcher acknowledged = ACKNOWLEDGED.matcher(run.err());
            assertTrue(acknowledged.find(), run::toString);
            final long lastAcknowledged = Long.parseLong(acknowledged.group(1));
            assertTrue(run.err().contains("No space left on device"), "the cause is the full disk: " + run.err());

            disk.resize(megabytes + 8); // reading a hole of a sparse file on tmpfs needs a free page
            final Cli.Result verify = Cli.run("journal", "verify", "--json", journal.toString());
            assertEquals(0, verify.code(), verify::toString);
            assertEquals("OK", verify.json().path("verdict").asText(), verify::toString);
            final Cli.Result stats = Cli.run("journal", "stats", "--json", journal.toString());
            assertEquals(0, stats.code(), stats::toString);
            final long journaled = stats.json().path("messages").asLong();
            assertTrue(journaled >= lastAcknowledged, "acknowledged up to id " + lastAcknowledged + ", but the " +
                "journal holds " + journaled + " messages:\n" + stats);

            disk.resize(megabytes + 64);
            final Cli.Result resumed = Cli.run("run", "--resume", "--messages", "1000", "--warmup", "0", "--json",
                "--journal", journal.toString(), "--set", "journal.min-free-bytes=0");
            assertEquals(0, resumed.code(), resumed::toString);
            final Cli.Result after = Cli.run("journal", "stats", "--json", journal.toString());
            assertEquals(journaled + 1000, after.json().path("messages").asLong(), after::toString);
        }
    }

    /**
     * The main job in a JVM of its own with the launcher's footprint options (C2 only, as {@code scripts/chronofabric}
     * runs it), Chronicle's module flags coming with this JVM's own: the fault of a mapped write in compiled code is
     * what the JVM reports late.
     */
    private static Cli.Result runAsLauncherDoes(final Path journal) throws Exception
    {
        final Properties jvm = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("..", "scripts", "jvm.properties")))
        {
            jvm.load(reader);
        }
        final List<String> command = ChildJvm.command(
            List.of(jvm.getProperty("chronofabric.jvm.footprint").trim().split("\\s+")), Main.class, "run",
            "--messages", "600000", "--warmup", "0", "--journal", journal.toString(),
            "--set", "journal.min-free-bytes=0");
        final Path err = journal.resolveSibling("run.err");
        final Process run = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(err.toFile()).start();
        try
        {
            assertTrue(run.waitFor(120, TimeUnit.SECONDS), "the run ends within 120 s once the disk is full");
            return new Cli.Result(run.exitValue(), "", Files.readString(err));
        }
        finally
        {
            run.destroyForcibly();
        }
    }
}
