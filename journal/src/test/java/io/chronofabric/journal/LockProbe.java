package io.chronofabric.journal;

import java.nio.file.Path;

/**
 * Run in a child JVM: tries to take a journal folder's lock and prints {@code acquired} or {@code refused PID}.
 */
public final class LockProbe
{
    private LockProbe()
    {
    }

    /** @param args the journal folder. */
    public static void main(final String[] args)
    {
        try (JournalLock lock = JournalLock.acquire(Path.of(args[0])))
        {
            System.out.println("acquired");
        }
        catch (final JournalInUseException ex)
        {
            System.out.println("refused " + ex.holderPid());
        }
    }
}
