package io.chronofabric.engine.internal.layout;

import java.util.List;

import io.chronofabric.affinity.CpuRequest;
import io.chronofabric.affinity.HostCpus;
import io.chronofabric.affinity.ThreadPinner;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.ThreadCpus;
import io.chronofabric.engine.config.ThreadLayout;
import io.chronofabric.engine.config.WaitStrategyKind;

/**
 * How the pipeline runs on this host: the thread layout, wait strategy and CPUs the settings asked for, those the
 * engine uses, and why they differ. Made by {@link LayoutPlanner}; when the host lacks the cores, isolated CPUs or
 * permissions the settings ask for, the plan is a fallback that fits, and {@link #warning()} says what changed.
 */
public final class LayoutPlan
{
    private final String profile;
    private final ThreadLayout requestedLayout;
    private final WaitStrategyKind requestedWait;
    private final ThreadCpus requestedCpus;
    private final CpuRequest requestedPublisherCpu;
    private final ThreadLayout layout;
    private final WaitStrategyKind waitStrategy;
    private final List<ThreadPlan> threads;
    private final int publisherCpu;
    private final List<String> reasons;
    private final String host;

    LayoutPlan(final EngineConfiguration requested, final ThreadLayout layout, final WaitStrategyKind waitStrategy,
        final List<ThreadPlan> threads, final int publisherCpu, final List<String> reasons, final HostCpus host)
    {
        this.profile = requested.profile();
        this.requestedLayout = requested.threadLayout();
        this.requestedWait = requested.waitStrategy();
        this.requestedCpus = requested.threadCpus();
        this.requestedPublisherCpu = requested.publisherCpu();
        this.layout = layout;
        this.waitStrategy = waitStrategy;
        this.threads = List.copyOf(threads);
        this.publisherCpu = publisherCpu;
        this.reasons = List.copyOf(reasons);
        this.host = host.summary();
    }

    /** @return the layout the engine runs. */
    public ThreadLayout layout()
    {
        return layout;
    }

    /** @return the wait strategy the engine runs. */
    public WaitStrategyKind waitStrategy()
    {
        return waitStrategy;
    }

    /** @return one entry per pipeline thread, in pipeline order. */
    public List<ThreadPlan> threads()
    {
        return threads;
    }

    /** @return the CPU for the publishing thread, or {@link ThreadPinner#NO_CPU}. */
    public int publisherCpu()
    {
        return publisherCpu;
    }

    /** @return the layout the settings asked for. */
    public ThreadLayout requestedLayout()
    {
        return requestedLayout;
    }

    /** @return the wait strategy the settings asked for. */
    public WaitStrategyKind requestedWaitStrategy()
    {
        return requestedWait;
    }

    /** @return the pipeline CPUs the settings asked for. */
    public ThreadCpus requestedCpus()
    {
        return requestedCpus;
    }

    /** @return the publisher CPU the settings asked for. */
    public CpuRequest requestedPublisherCpu()
    {
        return requestedPublisherCpu;
    }

    /** @return why the plan differs from the request, one sentence each; empty when it does not. */
    public List<String> reasons()
    {
        return reasons;
    }

    /** @return a one-line description of the host the plan was made for. */
    public String host()
    {
        return host;
    }

    /** @return true when the host could not give what the settings ask, so the engine runs a fallback. */
    public boolean fellBack()
    {
        return !reasons.isEmpty();
    }

    /** @return the requested placement, e.g. {@code journal|sequencer|router|delivery, busy-spin, CPUs isolated}. */
    public String requestedSummary()
    {
        return requestedLayout + ", " + requestedWait.label() + ", CPUs " + requestedCpus + ", publisher CPU " +
            requestedPublisherCpu;
    }

    /** @return the effective placement, e.g. {@code journal+sequencer+router+delivery, sleeping, CPUs 1}. */
    public String effectiveSummary()
    {
        final StringBuilder cpus = new StringBuilder();
        for (final ThreadPlan thread : threads)
        {
            cpus.append(0 == cpus.length() ? "" : ",").append(cpuText(thread.cpu()));
        }
        return layout + ", " + waitStrategy.label() + ", CPUs " + cpus + ", publisher CPU " + cpuText(publisherCpu);
    }

    /** @return the fallback warning (what the engine fell back from and to, and why), or empty when none. */
    public String warning()
    {
        if (!fellBack())
        {
            return "";
        }
        return "profile '" + profile + "' does not fit this host (" + host + "); falling back from [" +
            requestedSummary() + "] to [" + effectiveSummary() + "] because " + String.join("; ", reasons);
    }

    /** @return the error for {@code layout.fallback=refuse}: what was asked, what would fit, why, what is allowed. */
    public String refusal()
    {
        return "profile '" + profile + "' does not fit this host (" + host + ") and layout.fallback=refuse: it asks " +
            "for [" + requestedSummary() + "], this host can run [" + effectiveSummary() + "] because " +
            String.join("; ", reasons) + "; allowed: layout.fallback=allow to run the fitting layout, or settings " +
            "the host has (see host-check)";
    }

    /** @param cpu a CPU or {@link ThreadPinner#NO_CPU}. @return the id, or {@code none}. */
    static String cpuText(final int cpu)
    {
        return ThreadPinner.NO_CPU == cpu ? "none" : String.valueOf(cpu);
    }
}
