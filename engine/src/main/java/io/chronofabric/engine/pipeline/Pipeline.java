package io.chronofabric.engine.pipeline;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.EventHandlerGroup;
import com.lmax.disruptor.dsl.ProducerType;
import io.chronofabric.affinity.ThreadPinner;
import io.chronofabric.engine.EngineContext;
import io.chronofabric.engine.Stage;
import io.chronofabric.engine.ThreadLayout;

/**
 * The stage wiring, written once: one Disruptor ring, many publishers, and the four stages in order
 * <pre>
 *   publishers ──► [ring] ──► journal ──► sequencer ──► router ──► delivery
 * </pre>
 * grouped onto threads as the {@link ThreadLayout} says. Each group runs after the one before it, so a message is
 * journaled before the sequencer sees it, and so on.
 */
public final class Pipeline
{
    private final Disruptor<MessageEvent> disruptor;
    private final List<StageGroup> groups = new ArrayList<>();

    /**
     * @param context  the engine's settings (ring size, wait strategy, layout, capacities).
     * @param stages   the four stage handlers.
     */
    public Pipeline(final EngineContext context, final Map<Stage, EventHandler<MessageEvent>> stages)
    {
        final int maxDependencies = context.maxDependencies();
        final int payloadCapacity = context.payloadCapacity();
        this.disruptor = new Disruptor<>(
            () -> new MessageEvent(maxDependencies, payloadCapacity),
            context.ringSize(),
            pipelineThreadFactory(),
            ProducerType.MULTI,
            context.waitStrategy().newWaitStrategy());
        disruptor.setDefaultExceptionHandler(new StageExceptionHandler());

        for (final List<Stage> stagesOfOneThread : context.threadLayout().groups())
        {
            final List<EventHandler<MessageEvent>> handlers = new ArrayList<>();
            stagesOfOneThread.forEach(stage -> handlers.add(stages.get(stage)));
            groups.add(new StageGroup(ThreadLayout.threadName(stagesOfOneThread), ThreadPinner.NO_CPU, handlers));
        }

        // journal -> sequencer -> router -> delivery, each thread group gated on the one before it
        EventHandlerGroup<MessageEvent> previous = disruptor.handleEventsWith(groups.get(0));
        for (int i = 1; i < groups.size(); i++)
        {
            previous = previous.then(groups.get(i));
        }
    }

    /**
     * Builds the stage map in pipeline order.
     *
     * @param journal   stage 1.
     * @param sequencer stage 2.
     * @param router    stage 3.
     * @param delivery  stage 4.
     * @return the stages keyed by {@link Stage}.
     */
    public static Map<Stage, EventHandler<MessageEvent>> stages(
        final JournalStage journal, final TemporalSequencer sequencer, final Router router, final DeliveryStage delivery)
    {
        final Map<Stage, EventHandler<MessageEvent>> stages = new EnumMap<>(Stage.class);
        stages.put(Stage.JOURNAL, journal);
        stages.put(Stage.SEQUENCER, sequencer);
        stages.put(Stage.ROUTER, router);
        stages.put(Stage.DELIVERY, delivery);
        return stages;
    }

    /**
     * Starts the pipeline threads.
     *
     * @return the ring publishers claim slots in.
     */
    public RingBuffer<MessageEvent> start()
    {
        return disruptor.start();
    }

    /**
     * Waits until every published message has passed the last stage, then stops the threads (each stage's
     * {@code onShutdown} runs on its own thread, which is where the journal is closed).
     *
     * @param timeoutMillis how long to wait for the backlog to drain.
     * @return true when drained; false when the timeout passed and the threads were halted with messages in flight.
     */
    public boolean drainAndStop(final long timeoutMillis)
    {
        try
        {
            disruptor.shutdown(timeoutMillis, TimeUnit.MILLISECONDS);
            return true;
        }
        catch (final TimeoutException ex)
        {
            disruptor.halt();
            return false;
        }
    }

    /** @return the thread groups, in pipeline order. */
    public List<StageGroup> groups()
    {
        return groups;
    }

    /** @return slots free for publishers right now. */
    public long remainingCapacity()
    {
        return disruptor.getRingBuffer().remainingCapacity();
    }

    private static ThreadFactory pipelineThreadFactory()
    {
        final AtomicInteger count = new AtomicInteger();
        return runnable ->
        {
            // renamed by its StageGroup when it starts; daemon so a forgotten close() cannot hang the JVM's exit
            final Thread thread = new Thread(runnable, "cf-pipeline-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
