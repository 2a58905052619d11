package io.chronofabric.affinity.host;

import java.util.ArrayList;
import java.util.List;

import io.chronofabric.affinity.HostCpus;
import io.chronofabric.affinity.HostFiles;

/**
 * Checks what matters for latency on a host, against what a profile asks: CPUs, SMT, NUMA, isolation
 * ({@code isolcpus}, {@code nohz_full}, {@code rcu_nocbs}), IRQ placement, frequency governor, turbo, transparent
 * huge pages, clock source, swap, thread pinning and the JVM. It only reads; it never changes the host. Files that
 * are missing (containers, VMs) give an {@link Verdict#UNKNOWN} verdict naming what was missing, never an exception.
 */
public final class HostCheck
{
    private final HostFiles files;
    private final HostCpus host;
    private final ProfileNeeds needs;

    /**
     * @param files the host's files ({@link HostFiles#system()}, or prepared ones in tests).
     * @param host  the host's CPUs, read from the same files.
     * @param needs what the profile asks.
     */
    public HostCheck(final HostFiles files, final HostCpus host, final ProfileNeeds needs)
    {
        this.files = files;
        this.host = host;
        this.needs = needs;
    }

    /** @return one result per check, in a stable order. */
    public List<HostCheckResult> run()
    {
        final List<HostCheckResult> results = new ArrayList<>();
        final CpuChecks cpu = new CpuChecks(files, host, needs);
        results.add(cpu.cpus());
        results.add(cpu.smt());
        results.add(cpu.numa());
        final IsolationChecks isolation = new IsolationChecks(files, host, needs);
        results.add(isolation.isolcpus());
        results.add(isolation.nohzFull());
        results.add(isolation.rcuNocbs());
        results.add(isolation.irqAffinity());
        final KernelTuningChecks kernel = new KernelTuningChecks(files, host, needs);
        results.add(kernel.governor());
        results.add(kernel.turbo());
        results.add(kernel.transparentHugePages());
        results.add(kernel.clockSource());
        results.add(kernel.swap());
        results.add(cpu.pinning());
        results.add(JvmCheck.jvm());
        return results;
    }
}
