package io.chronofabric.cli.node;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

import io.chronofabric.cli.UsageErrors;
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
                dir.resolve("journal").toString(), "--node", Integer.toString(node), "--listen", "127.0.0.1:" + freePort(),
                "--peer", (node + 1) + "=127.0.0.1:" + freePort(), "--peer-wait-ms", "1000");
            assertEquals(1, run.code(), run::toString);
            final String err = run.err().strip();
            assertEquals(1, err.lines().count(), run::toString);
            assertTrue(err.contains("node " + node + " is already running in another process") &&
                err.contains(lockFile.toString()), run::toString);
            assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace: " + run);
        }
    }

    private static int freePort() throws Exception
    {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
