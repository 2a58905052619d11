package io.chronofabric.engine.pipeline;

import java.util.List;

import com.lmax.disruptor.EventHandler;
import io.chronofabric.affinity.ThreadPinner;

/**
 * The stages one pipeline thread runs, called in pipeline order for each message: several stages fused on one
 * thread, or a single stage alone. It names (and optionally pins) its thread when the thread starts, and skips
 * slots that carry no valid message.
 */
public final class StageGroup implements EventHandler<MessageEvent>
{
    private final String threadName;
    private final int cpu;
    private final EventHandler<MessageEvent>[] stages;
    private volatile int pinnedCpu = ThreadPinner.NO_CPU;

    /**
     * @param threadName the name its thread takes, e.g. {@code cf-journal}.
     * @param cpu        the CPU to pin to, or {@link ThreadPinner#NO_CPU}.
     * @param stages     the stages, in pipeline order.
     */
    @SuppressWarnings("unchecked")
    public StageGroup(final String threadName, final int cpu, final List<EventHandler<MessageEvent>> stages)
    {
        this.threadName = threadName;
        this.cpu = cpu;
        this.stages = stages.toArray(new EventHandler[0]);
    }

    @Override
    public void onEvent(final MessageEvent event, final long sequence, final boolean endOfBatch) throws Exception
    {
        for (final EventHandler<MessageEvent> stage : stages)
        {
            if (!event.isValid())
            {
                return;
            }
            stage.onEvent(event, sequence, endOfBatch);
        }
    }

    @Override
    public void onStart()
    {
        pinnedCpu = ThreadPinner.nameAndPin(threadName, cpu);
        for (final EventHandler<MessageEvent> stage : stages)
        {
            stage.onStart();
        }
    }

    @Override
    public void onShutdown()
    {
        for (final EventHandler<MessageEvent> stage : stages)
        {
            stage.onShutdown();
        }
    }

    /** @return the thread's name. */
    public String threadName()
    {
        return threadName;
    }

    /** @return the CPU the thread is pinned to, or {@link ThreadPinner#NO_CPU}. */
    public int pinnedCpu()
    {
        return pinnedCpu;
    }
}
