package io.chronofabric.perf;

import java.util.BitSet;

import io.chronofabric.affinity.ThreadPinner;
import net.openhft.affinity.Affinity;

/**
 * Pins the harness's sending thread to the publisher CPU of the engine's layout plan for the duration of a trial's
 * send loop only, and restores its previous CPU mask afterwards: threads inherit their creator's mask, and the
 * systems' own threads are created by this thread, so it must not stay pinned while it starts them.
 */
final class PublisherPin implements AutoCloseable
{
    private final BitSet previous;

    private PublisherPin(final BitSet previous)
    {
        this.previous = previous;
    }

    /**
     * @param cpu the CPU, or {@link ThreadPinner#NO_CPU} to leave the thread as it is.
     * @return the pin; close it to restore the previous mask.
     */
    static PublisherPin pin(final int cpu)
    {
        if (ThreadPinner.NO_CPU == cpu)
        {
            return new PublisherPin(null);
        }
        final BitSet previous = Affinity.getAffinity();
        ThreadPinner.pin("perf publisher", cpu);
        return new PublisherPin(previous);
    }

    @Override
    public void close()
    {
        if (null != previous)
        {
            Affinity.setAffinity(previous);
        }
    }
}
