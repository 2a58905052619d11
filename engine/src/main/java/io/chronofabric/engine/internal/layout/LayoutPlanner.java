package io.chronofabric.engine.internal.layout;

import java.util.ArrayList;
import java.util.List;

import io.chronofabric.affinity.CpuRequest;
import io.chronofabric.affinity.HostCpus;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.ThreadLayout;
import io.chronofabric.engine.config.WaitStrategyKind;

/**
 * Fits the requested thread layout, wait strategy and CPUs to a host. The rules, in order:
 * <ol>
 *     <li>Busy-waiting threads ({@code busy-spin}, {@code yielding}) each need a core of their own, and the publisher
 *     and the OS and JVM (GC, JIT, logging) need one each besides: with fewer usable CPUs the trailing stages are
 *     fused onto fewer threads; when not even one busy thread fits, the wait strategy becomes {@code sleeping} and
 *     the stages share as many threads as leave a core to the publisher.</li>
 *     <li>A node of a deployment ({@code node.id} not 0) also runs the node's thread: where the host has fewer usable
 *     CPUs than the pipeline threads, that thread, the publisher and the OS and JVM, {@code sleeping} (which spins and
 *     yields after each batch) becomes {@code lite-blocking}.</li>
 *     <li>Threads that cannot be pinned (no such CPU, no permission, no native support) float.</li>
 *     <li>{@code isolated} takes isolated CPUs, and free non-isolated ones when the host has too few;
 *     {@code auto} takes free CPUs, isolated ones first, never CPU 0 (where the OS does its housekeeping).</li>
 * </ol>
 * Other non-busy layouts are left as asked on any host: a sleeping thread gives its core back when idle.
 */
public final class LayoutPlanner
{
    /** Cores kept besides the busy pipeline threads: one for the publisher, one for the OS and the JVM. */
    public static final int CORES_BESIDES_PIPELINE = 2;

    private LayoutPlanner()
    {
    }

    /**
     * @param context the settings.
     * @param host    the host to fit them to.
     * @return the plan; {@link LayoutPlan#fellBack()} tells whether it differs from the settings.
     */
    public static LayoutPlan plan(final EngineConfiguration context, final HostCpus host)
    {
        final List<String> reasons = new ArrayList<>();
        final ThreadLayout requested = context.threadLayout();
        ThreadLayout layout = requested;
        WaitStrategyKind wait = context.waitStrategy();
        final int usable = host.usable().size();
        final int busyFit = usable - CORES_BESIDES_PIPELINE;
        if (wait.burnsCore() && requested.threadCount() > busyFit)
        {
            if (busyFit >= 1)
            {
                layout = requested.fuseTo(busyFit);
                reasons.add(wait.label() + " needs a core per pipeline thread plus one for the publisher and one for " +
                    "the OS and JVM: " + (requested.threadCount() + CORES_BESIDES_PIPELINE) + " for " +
                    requested.threadCount() + " thread(s), but this host has " + usable + " usable CPUs, so the " +
                    "stages share " + busyFit + " thread(s)");
            }
            else
            {
                wait = WaitStrategyKind.SLEEPING;
                layout = requested.fuseTo(Math.max(1, usable - 1));
                reasons.add(context.waitStrategy().label() + " needs at least " + (1 + CORES_BESIDES_PIPELINE) +
                    " usable CPUs (one busy pipeline thread, the publisher, the OS and JVM) but this host has " +
                    usable + ", so pipeline threads sleep when idle instead of spinning and the stages share " +
                    layout.threadCount() + " thread(s)");
            }
        }
        final int nodeNeeds = layout.threadCount() + CORES_BESIDES_PIPELINE + 1; // + 1: the node's own thread
        if (WaitStrategyKind.SLEEPING == wait && 0 != context.nodeId() && usable < nodeNeeds)
        {
            // sleeping spins, then yields for up to 200 us after each batch: busy time the node's own thread (shipping,
            // receiving, its media driver) needs on a host this small, which every hop between the nodes then waits for
            wait = WaitStrategyKind.LITE_BLOCKING;
            reasons.add("a node runs its node thread (shipping, receiving, the media driver) beside the pipeline: " +
                "sleeping waits, which spin and yield after each batch, need " + nodeNeeds + " usable CPUs (the " +
                "pipeline thread(s), the node thread, the publisher, the OS and JVM) not to take that thread's core, " +
                "but this host has " + usable + ", so pipeline threads block when idle (lite-blocking)");
        }
        final List<CpuRequest> requests = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        for (int group = 0; group < layout.threadCount(); group++)
        {
            // fusing keeps the leading groups, so a fused group keeps the CPU of its first requested group
            requests.add(context.threadCpus().forGroup(group));
            names.add(ThreadLayout.threadName(layout.groups().get(group)));
        }
        final CpuAssigner cpus = new CpuAssigner(host, reasons);
        final int[] assigned = cpus.assign(requests, names, context.publisherCpu());
        final List<ThreadPlan> threads = new ArrayList<>();
        for (int group = 0; group < layout.threadCount(); group++)
        {
            threads.add(new ThreadPlan(layout.groups().get(group), requests.get(group), assigned[group],
                host.isolated().contains(assigned[group])));
        }
        return new LayoutPlan(context, layout, wait, threads, assigned[layout.threadCount()], reasons, host);
    }
}
