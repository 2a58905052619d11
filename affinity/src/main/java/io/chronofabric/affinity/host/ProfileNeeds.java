package io.chronofabric.affinity.host;

import io.chronofabric.affinity.CpuSet;

/**
 * What a profile asks of the host, as far as the host checks care: how many threads it pins and busy-spins, and
 * which CPUs it wants them on (those it names, or the ones its plan picks or would pick on this host).
 */
public final class ProfileNeeds
{
    private final String profile;
    private final int pinnedThreads;
    private final int busyThreads;
    private final CpuSet wantedCpus;

    /**
     * @param profile       the profile's name.
     * @param pinnedThreads threads the profile pins (pipeline and publisher).
     * @param busyThreads   pipeline threads that busy-wait (0 for non-burning wait strategies).
     * @param wantedCpus    the CPUs the pinned threads want; empty when nothing is pinned.
     */
    public ProfileNeeds(final String profile, final int pinnedThreads, final int busyThreads, final CpuSet wantedCpus)
    {
        this.profile = profile;
        this.pinnedThreads = pinnedThreads;
        this.busyThreads = busyThreads;
        this.wantedCpus = wantedCpus;
    }

    /** @return the profile's name. */
    public String profile()
    {
        return profile;
    }

    /** @return threads the profile pins. */
    public int pinnedThreads()
    {
        return pinnedThreads;
    }

    /** @return pipeline threads that busy-wait. */
    public int busyThreads()
    {
        return busyThreads;
    }

    /** @return the CPUs the pinned threads want. */
    public CpuSet wantedCpus()
    {
        return wantedCpus;
    }

    /** @return true when the profile pins threads, so that isolation and IRQ placement matter. */
    public boolean pins()
    {
        return pinnedThreads > 0;
    }
}
