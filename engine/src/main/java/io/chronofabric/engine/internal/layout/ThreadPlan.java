package io.chronofabric.engine.internal.layout;

import java.util.List;

import io.chronofabric.affinity.CpuRequest;
import io.chronofabric.affinity.ThreadPinner;
import io.chronofabric.engine.api.Stage;
import io.chronofabric.engine.config.ThreadLayout;

/**
 * Where one pipeline thread runs: its name, its stages, the CPU its settings asked for and the CPU the plan gives it
 * on this host ({@link ThreadPinner#NO_CPU} when it floats).
 */
public final class ThreadPlan
{
    private final String name;
    private final List<Stage> stages;
    private final CpuRequest requested;
    private final int cpu;
    private final boolean isolated;

    /**
     * @param stages    the stages the thread runs, in pipeline order.
     * @param requested the CPU its settings asked for.
     * @param cpu       the CPU planned, or {@link ThreadPinner#NO_CPU}.
     * @param isolated  true when that CPU is isolated from the scheduler.
     */
    public ThreadPlan(final List<Stage> stages, final CpuRequest requested, final int cpu, final boolean isolated)
    {
        this.name = ThreadLayout.threadName(stages);
        this.stages = List.copyOf(stages);
        this.requested = requested;
        this.cpu = cpu;
        this.isolated = isolated;
    }

    /** @return the thread's name, e.g. {@code cf-journal}. */
    public String name()
    {
        return name;
    }

    /** @return the stages it runs. */
    public List<Stage> stages()
    {
        return stages;
    }

    /** @return the CPU its settings asked for. */
    public CpuRequest requested()
    {
        return requested;
    }

    /** @return the CPU planned, or {@link ThreadPinner#NO_CPU}. */
    public int cpu()
    {
        return cpu;
    }

    /** @return true when the planned CPU is isolated. */
    public boolean isolated()
    {
        return isolated;
    }
}
