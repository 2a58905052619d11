package io.chronofabric.engine.crash;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.journal.JournalInUseException;
import io.chronofabric.journal.JournalLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One engine per journal folder: a second one, in this process or another, is refused with the folder and the
 * holder's pid; the lock goes with a clean close and with a killed process; a failed start leaves nothing behind.
 */
class JournalLockTest
{
    private static final int TYPE = 1;

    @TempDir
    Path dir;

    @Test
    void shouldRefuseASecondEngineOnTheSameFolderInThisProcessAndAllowOneAfterClose()
    {
        final Path journal = dir.resolve("journal");
        try (ChronoFabric first = ChronoFabric.start(dev(journal)))
        {
            final JournalInUseException refused = assertThrows(JournalInUseException.class,
                () -> ChronoFabric.start(dev(journal)));
            assertEquals(ProcessHandle.current().pid(), refused.holderPid());
            assertTrue(refused.getMessage().contains(journal.toAbsolutePath().toString()), refused.getMessage());
            first.subscribe(TYPE, message -> { });
            first.newPublisher(1).publish(TYPE, (value, payload) -> payload.putLong(value), 1L);
        }
        try (ChronoFabric again = ChronoFabric.start(dev(journal)))
        {
            assertEquals(1, again.acknowledgedId(), "the first engine's journal is intact");
        }
    }

    @Test
    void shouldRefuseAnEngineOnAFolderAnotherProcessHoldsAndTakeItOnceThatProcessIsKilled() throws Exception
    {
        final Path journal = dir.resolve("journal");
        try (Victim holder = Victim.start(ScenarioVictim.class, "holding", journal.toString(),
            dir.resolve("log").toString()))
        {
            holder.awaitLine("kill-me");
            final JournalInUseException refused = assertThrows(JournalInUseException.class,
                () -> ChronoFabric.start(dev(journal)));
            assertTrue(refused.holderPid() > 0 && refused.holderPid() != ProcessHandle.current().pid(),
                "names the other process: " + refused.getMessage());
            holder.kill();
        }
        try (ChronoFabric engine = ChronoFabric.start(dev(journal)))
        {
            assertEquals(0, engine.recoveredMessages(), "the lock of a killed process is gone with it");
        }
    }

    @Test
    void shouldReleaseThreadsQueuesAndTheLockWhenAStartFails()
    {
        final Path journal = dir.resolve("journal");
        final Set<Thread> before = pipelineThreads();
        for (int i = 0; i < 3; i++)
        {
            final IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> ChronoFabric.start(dev(journal), engine ->
                {
                    throw new IllegalStateException("the application's subscribe failed");
                }));
            assertEquals("the application's subscribe failed", failure.getMessage());
        }
        final Set<Thread> after = pipelineThreads();
        after.removeAll(before);
        // a failed start returns once each thread has run its shutdown; the thread itself ends a moment later (on a
        // loaded host, after the scheduler gets back to it), so give it that moment before looking
        for (final Thread thread : after)
        {
            joinQuietly(thread, 5_000);
        }
        after.removeIf(thread -> !thread.isAlive());
        assertEquals(Set.of(), after, "no pipeline or monitor thread is left running");
        try (ChronoFabric engine = ChronoFabric.start(dev(journal)))
        {
            assertEquals(0, engine.recoveredMessages(), "the lock was released and nothing is half-done");
        }
    }

    /**
     * What a kill leaves of the lock file: {@code JournalLock.acquire} creates it, locks it, empties it and writes its
     * pid, and the kernel drops the lock with the process, so an empty file, or one naming a dead process, is only a
     * name: the next engine takes the lock and writes its own pid.
     */
    @Test
    void shouldTakeALockFileAKillLeftEmptyOrNamingADeadProcess() throws Exception
    {
        final Path journal = dir.resolve("journal");
        try (ChronoFabric engine = ChronoFabric.start(dev(journal)))
        {
            engine.subscribe(TYPE, message -> { });
            engine.newPublisher(1).publish(TYPE, (value, payload) -> payload.putLong(value), 1L);
        }
        final Path lockFile = journal.resolve(JournalLock.FILE);
        for (final String left : new String[] {"", "2147483646"})
        {
            Files.writeString(lockFile, left);
            assertEquals(0, JournalLock.holder(journal), "no holder for '" + left + "'");
            try (ChronoFabric engine = ChronoFabric.start(dev(journal)))
            {
                assertEquals(1, engine.acknowledgedId());
                assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(lockFile));
            }
        }
    }

    private static void joinQuietly(final Thread thread, final long millis)
    {
        try
        {
            thread.join(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static Set<Thread> pipelineThreads()
    {
        final Set<Thread> threads = new java.util.HashSet<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().startsWith("cf-") && thread.isAlive())
            {
                threads.add(thread);
            }
        }
        return threads;
    }

    private static EngineConfiguration.Builder dev(final Path journal)
    {
        return Profiles.builder("dev").journalDir(journal);
    }
}
