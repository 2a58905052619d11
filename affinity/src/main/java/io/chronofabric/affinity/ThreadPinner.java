package io.chronofabric.affinity;

import java.util.BitSet;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import net.openhft.affinity.Affinity;
import net.openhft.affinity.impl.NullAffinity;
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
    private static final long PROBE_TIMEOUT_MILLIS = 5_000;

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
        return pin(name, cpu);
    }

    /**
     * Pins the calling thread without renaming it (an application's publishing thread keeps its own name).
     *
     * @param name the thread's role for the log, e.g. {@code publisher}.
     * @param cpu  the CPU to pin to, or {@link #NO_CPU}.
     * @return the CPU the thread is now pinned to, or {@link #NO_CPU} when it floats.
     */
    public static int pin(final String name, final int cpu)
    {
        if (NO_CPU == cpu)
        {
            return NO_CPU;
        }
        // not checked against availableProcessors(): with isolcpus that counts only the non-isolated CPUs, while the
        // isolated ones are exactly where latency-critical threads belong; the kernel refuses CPUs that do not exist
        if (cpu < 0 || cpu > CpuSet.MAX_CPU)
        {
            LOG.warn("thread {} asked for CPU {}, which is no CPU id; it runs unpinned", name, cpu);
            return NO_CPU;
        }
        try
        {
            final BitSet mask = new BitSet();
            mask.set(cpu);
            Affinity.setAffinity(mask);
            if (Affinity.getAffinity().equals(mask))
            {
                return cpu;
            }
            LOG.warn("thread {} asked for CPU {} but the kernel did not apply it; it runs unpinned", name, cpu);
            return NO_CPU;
        }
        catch (final RuntimeException | LinkageError ex)
        {
            LOG.warn("thread {} could not be pinned to CPU {} ({}); it runs unpinned", name, cpu, ex.toString());
            return NO_CPU;
        }
    }

    /**
     * Finds out whether this process can pin threads, by pinning a short-lived thread to one of its allowed CPUs.
     * The calling thread is left as it was.
     *
     * @return why pinning does not work here, or empty when it does.
     */
    public static Optional<String> probe()
    {
        final AtomicReference<String> problem = new AtomicReference<>();
        final Thread prober = new Thread(() -> problem.set(tryPin()), "chronofabric-affinity-probe");
        prober.setDaemon(true);
        prober.start();
        try
        {
            prober.join(PROBE_TIMEOUT_MILLIS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while probing thread affinity");
        }
        return prober.isAlive() ? Optional.of("the affinity probe did not finish") : Optional.ofNullable(problem.get());
    }

    private static String tryPin()
    {
        try
        {
            if (Affinity.getAffinityImpl() instanceof NullAffinity)
            {
                return "OpenHFT Affinity has no native access on this OS or JVM (JNA missing or unsupported)";
            }
            final BitSet allowed = Affinity.getAffinity();
            if (allowed.isEmpty())
            {
                return "the process's CPU affinity mask cannot be read";
            }
            final BitSet one = new BitSet();
            one.set(allowed.previousSetBit(allowed.length()));
            Affinity.setAffinity(one);
            return Affinity.getAffinity().equals(one) ? null : "sched_setaffinity did not take effect";
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return "sched_setaffinity failed: " + ex.getMessage();
        }
    }
}
