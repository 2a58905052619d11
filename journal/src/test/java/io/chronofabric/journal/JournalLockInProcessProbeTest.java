package io.chronofabric.journal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OS drops every lock a process holds on a file when the process closes any channel on that file. So asking, in
 * the process of a running engine, who holds its journal folder ({@link JournalLock#holder}), or trying to start a
 * second engine on it there, must not open and close a channel on the lock file: that let another process take the
 * folder and write it beside the running engine.
 */
class JournalLockInProcessProbeTest
{
    @TempDir
    Path dir;

    @Test
    void shouldKeepTheFolderLockedForOtherProcessesAfterThisProcessAsksWhoHoldsItOrTriesASecondLock()
        throws Exception
    {
        final Path journal = dir.resolve("journal");
        try (JournalLock held = JournalLock.acquire(journal))
        {
            assertEquals(ProcessHandle.current().pid(), JournalLock.holder(journal));
            final JournalInUseException refused = assertThrows(JournalInUseException.class,
                () -> JournalLock.acquire(journal));
            assertEquals(ProcessHandle.current().pid(), refused.holderPid());
            assertEquals(ProcessHandle.current().pid(), JournalLock.holder(journal.resolve("..").resolve("journal")));
            assertEquals("refused " + ProcessHandle.current().pid(), probeFromAnotherProcess(journal),
                "another process must still find the folder locked");
            assertTrue(held.held());
        }
        assertEquals(0, JournalLock.holder(journal));
        assertEquals("acquired", probeFromAnotherProcess(journal), "released with the close");
        try (JournalLock again = JournalLock.acquire(journal))
        {
            assertTrue(again.held(), "this process takes it again after its close");
        }
    }

    /**
     * The engine's disk metric sizes the journal folder (each file's allocated extents, read through a descriptor):
     * one scrape of /metrics opened and closed the lock file, and a second engine in another process then moved the
     * running engine's folder aside and journaled into a new one (a black-box finding).
     */
    @Test
    void shouldKeepTheFolderLockedForOtherProcessesAfterThisProcessSizesTheFolder() throws Exception
    {
        final Path journal = dir.resolve("journal");
        try (JournalLock held = JournalLock.acquire(journal))
        {
            assertTrue(JournalFiles.bytesOnDisk(journal) > 0, "the lock file takes a block");
            JournalFiles.allocatedBytes(journal.resolve(JournalLock.FILE));
            assertEquals("refused " + ProcessHandle.current().pid(), probeFromAnotherProcess(journal),
                "another process must still find the folder locked");
            assertTrue(held.held());
        }
    }

    private static String probeFromAnotherProcess(final Path journal) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(arg -> !arg.startsWith("-agentlib") && !arg.startsWith("-javaagent")).toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LockProbe.class.getName(),
            journal.toString()));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe process ended");
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return out.lines().reduce((first, last) -> last).orElse(out);
    }
}
