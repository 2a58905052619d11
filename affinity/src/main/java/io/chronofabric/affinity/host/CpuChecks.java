package io.chronofabric.affinity.host;

import java.util.LinkedHashMap;
import java.util.Map;

import io.chronofabric.affinity.CpuSet;
import io.chronofabric.affinity.HostCpus;
import io.chronofabric.affinity.HostFiles;

/**
 * The CPU count, SMT, NUMA and pinning checks.
 */
final class CpuChecks
{
    /** Besides one core per busy pipeline thread: one for the publisher, one for the OS and the JVM's own threads. */
    private static final int CORES_BESIDES_PIPELINE = 2;

    private final HostFiles files;
    private final HostCpus host;
    private final ProfileNeeds needs;

    CpuChecks(final HostFiles files, final HostCpus host, final ProfileNeeds needs)
    {
        this.files = files;
        this.host = host;
        this.needs = needs;
    }

    HostCheckResult cpus()
    {
        final Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("available_processors", host.availableProcessors());
        facts.put("online", host.online().toString());
        facts.put("usable", host.usable().toString());
        facts.put("sockets", known(host.sockets()));
        facts.put("cores_per_socket", known(host.coresPerSocket()));
        facts.put("threads_per_core", known(host.threadsPerCore()));
        final int needed = needs.busyThreads() + CORES_BESIDES_PIPELINE;
        facts.put("needed_by_profile", 0 == needs.busyThreads() ? 1 : needed);
        if (needs.busyThreads() > 0 && host.usable().size() < needed)
        {
            return new HostCheckResult("cpus", Verdict.WARN, "profile " + needs.profile() + " busy-spins " +
                needs.busyThreads() + " pipeline thread(s), which needs " + needed + " CPUs (one each, one for the " +
                "publisher, one for the OS and JVM); this host has " + host.usable().size() + " usable",
                "run the profile on a host with at least " + needed + " CPUs; here the engine falls back to a layout " +
                "that fits (run prints it as layout_fallback), or use --profile balanced or dev", facts);
        }
        return new HostCheckResult("cpus", Verdict.OK, host.usable().size() + " usable CPUs (" + host.usable() +
            "), enough for profile " + needs.profile(), "", facts);
    }

    HostCheckResult smt()
    {
        final Map<String, Object> facts = new LinkedHashMap<>();
        final String control = files.read("/sys/devices/system/cpu/smt/control").orElse(null);
        facts.put("threads_per_core", known(host.threadsPerCore()));
        facts.put("smt_control", control);
        if (HostCpus.UNKNOWN == host.threadsPerCore() && null == control)
        {
            return new HostCheckResult("smt", Verdict.UNKNOWN, "neither /proc/cpuinfo topology nor " +
                "/sys/devices/system/cpu/smt/control could be read", "", facts);
        }
        final boolean smtOn = host.threadsPerCore() > 1 || "on".equals(control);
        if (smtOn && needs.busyThreads() > 0)
        {
            return new HostCheckResult("smt", Verdict.WARN, "hyper-threading is on: a busy-spinning thread shares " +
                "its core's execution units with the sibling hardware thread",
                "disable SMT (echo off > /sys/devices/system/cpu/smt/control, or nosmt on the kernel command line), " +
                "or keep the sibling of each pinned CPU idle (see thread_siblings_list in /sys/devices/system/cpu/" +
                "cpuN/topology)", facts);
        }
        return new HostCheckResult("smt", Verdict.OK, smtOn ? "hyper-threading is on; profile " + needs.profile() +
            " busy-spins no thread" : "one hardware thread per core", "", facts);
    }

    HostCheckResult numa()
    {
        final Map<String, Object> facts = new LinkedHashMap<>();
        final Map<Integer, CpuSet> nodes = host.numaNodes();
        nodes.forEach((node, cpus) -> facts.put("node" + node, cpus.toString()));
        facts.put("wanted_cpus", needs.wantedCpus().toString());
        if (nodes.isEmpty())
        {
            return new HostCheckResult("numa", Verdict.UNKNOWN, "/sys/devices/system/node is missing (container or " +
                "VM); NUMA placement cannot be checked", "", facts);
        }
        int spanned = 0;
        for (final CpuSet cpus : nodes.values())
        {
            spanned += cpus.and(needs.wantedCpus()).isEmpty() ? 0 : 1;
        }
        if (spanned > 1)
        {
            return new HostCheckResult("numa", Verdict.WARN, "the profile's CPUs " + needs.wantedCpus() + " span " +
                spanned + " NUMA nodes: messages cross the interconnect between pipeline stages",
                "set threads.cpus to CPUs of one node (node" + nodes.keySet().iterator().next() + ": " +
                nodes.values().iterator().next() + ") and start the JVM under numactl --cpunodebind=N --membind=N",
                facts);
        }
        return new HostCheckResult("numa", Verdict.OK, nodes.size() + " NUMA node(s); the profile's threads stay on one",
            "", facts);
    }

    HostCheckResult pinning()
    {
        final Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("pinning_works", host.pinningProblem().isEmpty());
        if (host.pinningProblem().isPresent())
        {
            facts.put("problem", host.pinningProblem().get());
            return new HostCheckResult("thread_pinning", needs.pins() ? Verdict.WARN : Verdict.OK,
                "threads cannot be pinned here: " + host.pinningProblem().get(), needs.pins() ? "run on Linux with " +
                "JNA on the classpath (the launcher ships it) and without a seccomp or container policy that " +
                "forbids sched_setaffinity" : "", facts);
        }
        return new HostCheckResult("thread_pinning", Verdict.OK, "threads can be pinned (OpenHFT Affinity, " +
            "sched_setaffinity)", "", facts);
    }

    private static Object known(final int value)
    {
        return HostCpus.UNKNOWN == value ? null : value;
    }
}
