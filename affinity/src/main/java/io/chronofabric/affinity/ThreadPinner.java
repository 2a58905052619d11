package io.chronofabric.affinity;

import java.util.BitSet;

import net.openhft.affinity.Affinity;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Names the calling thread and pins it to one CPU through OpenHFT Affinity. Pinning is best effort: a host that
 * refuses it (no such CPU, no permission, no native support) leaves the thread unpinned and says so once.
 */
public final class ThreadPinner
{
    /** Returned and accepted as "no CPU": the thread floats. */
    public static final int NO_CPU = -1;

    private static final Logger LOG = LogManager.getLogger(ThreadPinner.class);

    private ThreadPinner()
    {
    }

    /**
     * Names the calling thread and, when {@code cpu} is not {@link #NO_CPU}, pins it.
     *
     * @param name the thread name, e.g. {@code cf-journal}.
     * @param cpu  the CPU to pin to, or {@link #NO_CPU}.
     * @return the CPU the thread is now pinned to, or {@link #NO_CPU} when it floats.
     */
    public static int nameAndPin(final String name, final int cpu)
    {
        Thread.currentThread().setName(name);
        if (NO_CPU == cpu)
        {
            return NO_CPU;
        }
        final int cpus = Runtime.getRuntime().availableProcessors();
        if (cpu < 0 || cpu >= cpus)
        {
            LOG.warn("thread {} asked for CPU {} but this host has CPUs 0..{}; it runs unpinned", name, cpu, cpus - 1);
            return NO_CPU;
        }
        try
        {
            final BitSet mask = new BitSet();
            mask.set(cpu);
            Affinity.setAffinity(mask);
            return Affinity.getAffinity().equals(mask) ? cpu : NO_CPU;
        }
        catch (final RuntimeException | LinkageError ex)
        {
            LOG.warn("thread {} could not be pinned to CPU {} ({}); it runs unpinned", name, cpu, ex.toString());
            return NO_CPU;
        }
    }
}
