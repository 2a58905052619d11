package io.chronofabric.engine.internal.layout;

import java.util.Arrays;
import java.util.List;

import io.chronofabric.affinity.CpuRequest;
import io.chronofabric.affinity.CpuSet;
import io.chronofabric.affinity.HostCpus;
import io.chronofabric.affinity.ThreadPinner;

/**
 * Turns CPU requests into CPUs on one host: named CPUs first, then {@code isolated} and {@code auto} requests from the
 * CPUs left, pipeline threads before the publisher. Adds a reason for every request it cannot meet.
 */
final class CpuAssigner
{
    private final HostCpus host;
    private final List<String> reasons;

    CpuAssigner(final HostCpus host, final List<String> reasons)
    {
        this.host = host;
        this.reasons = reasons;
    }

    /**
     * @param threads   one request per pipeline thread.
     * @param names     the pipeline threads' names, for the reasons.
     * @param publisher the publisher's request.
     * @return one CPU (or {@link ThreadPinner#NO_CPU}) per pipeline thread, then the publisher's.
     */
    int[] assign(final List<CpuRequest> threads, final List<String> names, final CpuRequest publisher)
    {
        final CpuRequest[] requests = threads.toArray(new CpuRequest[threads.size() + 1]);
        requests[threads.size()] = publisher;
        final int[] cpus = new int[requests.length];
        Arrays.fill(cpus, ThreadPinner.NO_CPU);
        final boolean pins = Arrays.stream(requests).anyMatch(CpuRequest::pins);
        if (pins && host.pinningProblem().isPresent())
        {
            reasons.add("threads cannot be pinned on this host (" + host.pinningProblem().get() + "), so every " +
                "thread floats");
            return cpus;
        }
        CpuSet taken = CpuSet.EMPTY;
        for (int i = 0; i < requests.length; i++)
        {
            if (CpuRequest.Kind.CPU == requests[i].kind())
            {
                final int cpu = requests[i].cpuId();
                if (host.usable().contains(cpu))
                {
                    cpus[i] = cpu;
                    taken = taken.or(CpuSet.of(cpu));
                }
                else
                {
                    final String who = i < names.size() ? names.get(i) : "the publisher";
                    reasons.add("CPU " + cpu + " asked for " + who + " is not usable here (usable CPUs: " +
                        host.usable() + "), so that thread floats");
                }
            }
        }
        chooseFree(requests, cpus, taken, threads.size());
        return cpus;
    }

    private void chooseFree(final CpuRequest[] requests, final int[] cpus, final CpuSet taken, final int pipeline)
    {
        final CpuSet isolatedFree = host.isolated().and(host.usable()).minus(taken);
        final CpuSet otherFree = host.usable().minus(host.isolated()).minus(CpuSet.of(0)).minus(taken);
        final int[] candidates = concat(isolatedFree.toArray(), otherFree.toArray());
        final long wantIsolated = Arrays.stream(requests).filter(CpuRequest.ISOLATED::equals).count();
        final long pipelineChosen = Arrays.stream(requests, 0, pipeline).filter(CpuRequest::chosenByPlanner).count();
        if (wantIsolated > isolatedFree.size())
        {
            reasons.add(wantIsolated + " thread(s) ask for isolated CPUs but this host has " +
                (isolatedFree.isEmpty() ? "none free" : isolatedFree.size() + " (" + isolatedFree + ")") +
                " (set isolcpus on the kernel command line, see host-check), so free non-isolated CPUs stand in");
        }
        int next = 0;
        if (pipelineChosen > candidates.length)
        {
            reasons.add(pipelineChosen + " pipeline thread(s) ask for a free CPU of their own but this host has " +
                candidates.length + " besides CPU 0 and those taken" + (0 == candidates.length ? "" :
                " (" + CpuSet.of(candidates) + ")") + ", so the pipeline threads float");
        }
        else
        {
            for (int i = 0; i < pipeline; i++)
            {
                if (requests[i].chosenByPlanner())
                {
                    cpus[i] = candidates[next++];
                }
            }
        }
        if (requests[pipeline].chosenByPlanner())
        {
            if (next < candidates.length && pipelineChosen <= candidates.length)
            {
                cpus[pipeline] = candidates[next];
            }
            else
            {
                reasons.add("no free CPU is left for the publisher (threads.publisher-cpu=" + requests[pipeline] +
                    "), so it floats");
            }
        }
    }

    private static int[] concat(final int[] first, final int[] second)
    {
        final int[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
