package io.chronofabric.cli.node;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.chronofabric.cli.FreePorts;
import io.chronofabric.cli.ChildJvm;
import io.chronofabric.cli.Main;
import io.chronofabric.cli.UsageErrors;
import io.chronofabric.journal.JournalFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node id runs in one process: a run of a node whose id another process holds (its lock file, as a live node holds
 * it) exits 1 with one line naming the node and the lock, never a stack trace.
 */
class SecondProcessOfANodeIsRefusedTest
{
    @TempDir
    Path dir;

    @Test
    void aRunOfANodeIdThatIsRunningExitsOneWithOneLine() throws Exception
    {
        final int node = ThreadLocalRandom.current().nextInt(30_000, 60_000);
        final Path base = Path.of(System.getProperty("java.io.tmpdir"), "chronofabric-aeron");
        Files.createDirectories(base);
        final Path lockFile = base.resolve("node-" + node + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = channel.tryLock())
        {
            assertTrue(null != held && held.isValid(), "the test holds node " + node + "'s lock");
            final UsageErrors.Result run = UsageErrors.run("run", "--messages", "10", "--warmup", "0", "--journal",
                dir.resolve("journal").toString(), "--node", Integer.toString(node), "--listen", "127.0.0.1:" + FreePorts.udp(),
                "--peer", (node + 1) + "=127.0.0.1:" + FreePorts.udp(), "--peer-wait-ms", "1000");
            assertEquals(1, run.code(), run::toString);
            final String err = run.err().strip();
            assertEquals(1, err.lines().count(), run::toString);
            assertTrue(err.contains("node " + node + " is already running in another process") &&
                err.contains(lockFile.toString()), run::toString);
            assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace: " + run);
        }
    }

    /**
     * Two runs of one node id started at once: the first holds the id from before it touches its journal (here
     * through a long warm-up), so the second is refused with its own journal as it was, not set aside.
     */
    @Test
    void aRunStartedWhileAnotherRunOfTheSameNodeIdStartsLeavesItsJournalAsItWas() throws Exception
    {
        final Path journal = dir.resolve("journal");
        assertEquals(0, UsageErrors.run("run", "--messages", "200", "--warmup", "0", "--journal",
            journal.toString()).code());
        final long records = JournalFiles.countRecords(journal);
        final int node = ThreadLocalRandom.current().nextInt(30_000, 60_000);
        final Path lockFile = Path.of(System.getProperty("java.io.tmpdir"), "chronofabric-aeron",
            "node-" + node + ".lock");
        final Process first = new ProcessBuilder(ChildJvm.command(List.of(), Main.class, "run", "--messages", "10",
            "--warmup", "50000000", "--journal", dir.resolve("first").toString(), "--node", Integer.toString(node),
            "--listen", "127.0.0.1:" + FreePorts.udp(), "--peer", (node + 1) + "=127.0.0.1:" + FreePorts.udp(),
            "--peer-wait-ms", "1000")).redirectErrorStream(true).redirectOutput(dir.resolve("first.log").toFile())
            .start();
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!heldByAnotherProcess(lockFile))
            {
                assertTrue(first.isAlive() && System.nanoTime() < deadline, "the first run holds node " + node +
                    " while it warms up: " + Files.readString(dir.resolve("first.log")));
                Thread.sleep(20);
            }
            final UsageErrors.Result second = UsageErrors.run("run", "--messages", "10", "--warmup", "0", "--journal",
                journal.toString(), "--node", Integer.toString(node), "--listen", "127.0.0.1:" + FreePorts.udp(),
                "--peer", (node + 1) + "=127.0.0.1:" + FreePorts.udp(), "--peer-wait-ms", "1000");
            assertEquals(1, second.code(), second::toString);
            assertTrue(second.err().contains("node " + node + " is already running in another process"),
                second::toString);
            assertEquals(records, JournalFiles.countRecords(journal), "the refused run's journal is as it was");
            assertFalse(Files.exists(dir.resolve("journal.previous")), "nothing was set aside");
        }
        finally
        {
            first.destroyForcibly().waitFor();
        }
    }

    private static boolean heldByAnotherProcess(final Path lockFile) throws Exception
    {
        if (!Files.exists(lockFile))
        {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock())
        {
            return null == lock;
        }
    }
}
