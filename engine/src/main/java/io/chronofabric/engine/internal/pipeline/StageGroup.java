package io.chronofabric.engine.internal.pipeline;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.EventHandler;
import io.chronofabric.affinity.ThreadPinner;
import io.chronofabric.engine.api.Stage;
import io.chronofabric.engine.internal.event.BatchEndListener;
import io.chronofabric.engine.internal.event.BatchHousekeeping;
import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.event.PipelineCounters;

/**
 * The stages one pipeline thread runs, called in pipeline order for each message: several stages fused on one
 * thread, or a single stage alone. It names (and optionally pins) its thread when the thread starts, and skips
 * slots that carry no valid message.
 */
public final class StageGroup implements EventHandler<MessageEvent>
{
    private final String threadName;
    private final List<Stage> stageNames;
    private final int cpu;
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final EventHandler<MessageEvent>[] stages;
    private final BatchHousekeeping[] housekeeping;
    private volatile int pinnedCpu = ThreadPinner.NO_CPU;
    private volatile Thread thread;
    private final PipelineCounters counters;

    /**
     * @param threadName the name its thread takes, e.g. {@code cf-journal}.
     * @param stageNames which stages it runs, for reports.
     * @param cpu        the CPU to pin to, or {@link ThreadPinner#NO_CPU}.
     * @param stages     the stages, in pipeline order.
     * @param counters   whether the close has halted the pipeline: the thread then takes no further message, not even
     *                   the rest of the batch in hand (the Disruptor's halt ends its loop only after the batch), and
     *                   runs no idle tick.
     */
    @SuppressWarnings("unchecked")
    public StageGroup(final String threadName, final List<Stage> stageNames, final int cpu,
        final List<EventHandler<MessageEvent>> stages, final PipelineCounters counters)
    {
        this.counters = counters;
        this.threadName = threadName;
        this.stageNames = List.copyOf(stageNames);
        this.cpu = cpu;
        this.stages = stages.toArray(new EventHandler[0]);
        this.housekeeping = stages.stream().filter(BatchHousekeeping.class::isInstance)
            .map(BatchHousekeeping.class::cast).toArray(BatchHousekeeping[]::new);
    }

    @Override
    public void onEvent(final MessageEvent event, final long sequence, final boolean endOfBatch) throws Exception
    {
        if (counters.halted())
        {
            return; // the rest of the batch in hand goes no further: not journaled, or left unsettled
        }
        passOn(event, sequence, endOfBatch);
        if (endOfBatch)
        {
            for (final BatchHousekeeping stage : housekeeping)
            {
                stage.afterBatch();
            }
        }
    }

    private void passOn(final MessageEvent event, final long sequence, final boolean endOfBatch) throws Exception
    {
        for (int i = 0; i < stages.length; i++)
        {
            if (!event.isValid())
            {
                if (endOfBatch)
                {
                    endBatchWithoutMessage(i);
                }
                return;
            }
            try
            {
                stages[i].onEvent(event, sequence, endOfBatch);
            }
            catch (final Exception | Error ex)
            {
                // the pipeline moves past this batch when it handles the failure: the stages after the failed one
                // see the batch end here (a sequencer releases a window that holds ring slots)
                endBatchAfterFailure(i + 1, ex);
                throw ex;
            }
        }
    }

    private void endBatchAfterFailure(final int first, final Throwable failure)
    {
        try
        {
            endBatchWithoutMessage(first);
        }
        catch (final RuntimeException | Error more)
        {
            failure.addSuppressed(more);
        }
    }

    /** The batch ended on a slot that carries no message (or no longer does): stages from {@code first} see the end. */
    private void endBatchWithoutMessage(final int first)
    {
        for (int i = first; i < stages.length; i++)
        {
            if (stages[i] instanceof BatchEndListener)
            {
                ((BatchEndListener)stages[i]).onBatchEndWithoutMessage();
            }
        }
    }

    @Override
    public void onStart()
    {
        try
        {
            thread = Thread.currentThread();
            pinnedCpu = ThreadPinner.nameAndPin(threadName, cpu);
            PipelineThreads.markCurrent(stageNames.contains(Stage.JOURNAL));
            for (final EventHandler<MessageEvent> stage : stages)
            {
                stage.onStart();
            }
        }
        finally
        {
            started.countDown();
        }
    }

    /**
     * @param timeoutMillis how long to wait.
     * @return true once the thread has started (named, pinned, its stages started); false on timeout.
     */
    public boolean awaitStarted(final long timeoutMillis)
    {
        try
        {
            return started.await(timeoutMillis, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** @return the stages its thread runs, in pipeline order. */
    public List<Stage> stages()
    {
        return stageNames;
    }

    /** @return the CPU the plan gave it, or {@link ThreadPinner#NO_CPU}. */
    public int plannedCpu()
    {
        return cpu;
    }

    @Override
    public void onTimeout(final long sequence) throws Exception
    {
        if (counters.halted())
        {
            return;
        }
        for (final EventHandler<MessageEvent> stage : stages)
        {
            stage.onTimeout(sequence);
        }
    }

    @Override
    public void onShutdown()
    {
        try
        {
            for (final EventHandler<MessageEvent> stage : stages)
            {
                stage.onShutdown();
            }
        }
        finally
        {
            stopped.countDown();
        }
    }

    /**
     * Waits until the thread has run its stages' shutdown (their last releases, the journal and trace closed) and
     * ended. The Disruptor's shutdown returns once the ring is drained, before its threads get there; and a thread
     * past its stages' shutdown is still alive for a moment, which a caller that counts threads would see.
     *
     * @param timeoutMillis how long to wait.
     * @return true once the thread has shut its stages down; false on timeout.
     */
    public boolean awaitStopped(final long timeoutMillis)
    {
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            if (!stopped.await(timeoutMillis, TimeUnit.MILLISECONDS))
            {
                return false;
            }
            final Thread ran = thread;
            if (null != ran && Thread.currentThread() != ran)
            {
                ran.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            return true;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
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
