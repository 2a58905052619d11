package io.chronofabric.affinity;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What this host offers for thread placement: its CPUs, which of them this process may pin threads to, which are
 * isolated from the scheduler, its sockets, cores and NUMA nodes, and whether pinning works at all. Read once by
 * {@link HostCpusReader}; tests build one with {@link #of(int, CpuSet)}.
 */
public final class HostCpus
{
    /** Sockets, cores or threads per core that could not be read. */
    public static final int UNKNOWN = 0;

    private final int availableProcessors;
    private final CpuSet online;
    private final CpuSet usable;
    private final CpuSet isolated;
    private final CpuSet nohzFull;
    private final CpuSet rcuNocbs;
    private final int sockets;
    private final int coresPerSocket;
    private final int threadsPerCore;
    private final Map<Integer, CpuSet> numaNodes;
    private final String pinningProblem;

    HostCpus(final int availableProcessors, final CpuSet online, final CpuSet usable, final CpuSet isolated,
        final CpuSet nohzFull, final CpuSet rcuNocbs, final int[] topology, final Map<Integer, CpuSet> numaNodes,
        final String pinningProblem)
    {
        this.availableProcessors = availableProcessors;
        this.online = online;
        this.usable = usable;
        this.isolated = isolated;
        this.nohzFull = nohzFull;
        this.rcuNocbs = rcuNocbs;
        this.sockets = topology[0];
        this.coresPerSocket = topology[1];
        this.threadsPerCore = topology[2];
        this.numaNodes = Collections.unmodifiableMap(new TreeMap<>(numaNodes));
        this.pinningProblem = pinningProblem;
    }

    /**
     * A simple host for tests and what-if planning: CPUs 0 .. cpus-1 on one socket, all usable, pinning works.
     *
     * @param cpus     the number of CPUs.
     * @param isolated the isolated ones.
     * @return the host.
     */
    public static HostCpus of(final int cpus, final CpuSet isolated)
    {
        final CpuSet all = CpuSet.range(cpus);
        return new HostCpus(cpus, all, all, isolated.and(all), isolated.and(all), isolated.and(all),
            new int[] {1, cpus, 1}, Map.of(0, all), null);
    }

    /**
     * @param problem why threads cannot be pinned here.
     * @return this host, with pinning unavailable for that reason.
     */
    public HostCpus withoutPinning(final String problem)
    {
        return new HostCpus(availableProcessors, online, usable, isolated, nohzFull, rcuNocbs,
            new int[] {sockets, coresPerSocket, threadsPerCore}, numaNodes, problem);
    }

    /** @return what the JVM reports as available processors (its affinity mask, container limits). */
    public int availableProcessors()
    {
        return availableProcessors;
    }

    /** @return the CPUs the kernel has online. */
    public CpuSet online()
    {
        return online;
    }

    /** @return the CPUs this process may pin threads to: its allowed CPUs plus the isolated ones, online. */
    public CpuSet usable()
    {
        return usable;
    }

    /** @return the CPUs isolated from the scheduler ({@code isolcpus}, {@code /sys/devices/system/cpu/isolated}). */
    public CpuSet isolated()
    {
        return isolated;
    }

    /** @return the CPUs running without the scheduler tick ({@code nohz_full}). */
    public CpuSet nohzFull()
    {
        return nohzFull;
    }

    /** @return the CPUs whose RCU callbacks are offloaded ({@code rcu_nocbs}). */
    public CpuSet rcuNocbs()
    {
        return rcuNocbs;
    }

    /** @return sockets, or {@link #UNKNOWN}. */
    public int sockets()
    {
        return sockets;
    }

    /** @return physical cores per socket, or {@link #UNKNOWN}. */
    public int coresPerSocket()
    {
        return coresPerSocket;
    }

    /** @return hardware threads per core (2 with SMT), or {@link #UNKNOWN}. */
    public int threadsPerCore()
    {
        return threadsPerCore;
    }

    /** @return NUMA node id to its CPUs; empty when unknown. */
    public Map<Integer, CpuSet> numaNodes()
    {
        return numaNodes;
    }

    /** @return why threads cannot be pinned on this host, or empty when pinning works. */
    public Optional<String> pinningProblem()
    {
        return Optional.ofNullable(pinningProblem);
    }

    /** @return a one-line description, e.g. {@code 2 usable CPUs (0-1), none isolated}. */
    public String summary()
    {
        return usable.size() + " usable CPU" + (1 == usable.size() ? "" : "s") + " (" + usable + "), " +
            (isolated.isEmpty() ? "none isolated" : "isolated " + isolated);
    }
}
