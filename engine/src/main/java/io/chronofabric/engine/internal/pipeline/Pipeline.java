package io.chronofabric.engine.internal.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.EventHandlerGroup;
import com.lmax.disruptor.dsl.ProducerType;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.internal.layout.LayoutPlan;
import io.chronofabric.engine.api.Stage;
import io.chronofabric.engine.config.ThreadLayout;
import io.chronofabric.engine.internal.layout.ThreadPlan;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.event.ReleaseSink;
import io.chronofabric.engine.internal.event.PipelineCounters;
import io.chronofabric.engine.internal.sequencing.TemporalSequencer;

/**
 * The stage wiring, written once. Publishers claim slots in the ingress ring; the temporal sequencer decides the
 * delivery order and releases messages to routing and delivery:
 * <pre>
 *   publishers ──► [ingress ring] ──► 1 journal ──► 2 sequencer ──► 3 router ──► 4 delivery
 *                                                        │ release order       ▲
 *                                                        └──► [release ring] ──┘  (only when 3 or 4 has its own thread)
 * </pre>
 * Stages are grouped onto threads as the {@link ThreadLayout} says. The stages that share the sequencer's thread
 * run inline in its release; the groups after it consume the release ring, of which the sequencer is the only
 * producer. Each group runs after the one before it, so a message is journaled before the sequencer sees it, and so
 * on.
 */
public final class Pipeline
{
    /** Longest an idle stage waits before its time-driven work (hold timeouts, retries) runs. */
    public static final long TICK_NANOS = 1_000_000;
    private static final Logger LOG = LogManager.getLogger(Pipeline.class);
    private static final long START_TIMEOUT_MILLIS = 10_000;

    private final Disruptor<MessageEvent> ingress;
    private final Disruptor<MessageEvent> release;
    private final List<StageGroup> groups = new ArrayList<>();
    private final List<StageGroup> ingressGroups = new ArrayList<>();
    private final List<StageGroup> releaseGroups = new ArrayList<>();
    private final PipelineCounters counters;
    private volatile boolean stopped;

    /**
     * @param context   the engine's settings (ring size, capacities).
     * @param plan      the thread layout, wait strategy and CPUs fitted to this host.
     * @param journal   stage 1.
     * @param sequencer stage 2.
     * @param router    stage 3.
     * @param delivery  stage 4.
     * @param counters  where a stage's failure is recorded: the engine then refuses publishes.
     */
    public Pipeline(final EngineConfiguration context, final LayoutPlan plan, final JournalStage journal,
        final TemporalSequencer sequencer, final Router router, final DeliveryStage delivery,
        final PipelineCounters counters)
    {
        this.counters = counters;
        final ThreadFactory threads = pipelineThreadFactory();
        final StageExceptionHandler failures = new StageExceptionHandler(counters);
        this.ingress = ring(context, plan, threads, ProducerType.MULTI, failures);
        boolean routedInline = false;
        boolean deliveredInline = false;
        boolean sequencedWithJournal = false;
        for (final ThreadPlan thread : plan.threads())
        {
            final boolean sequencerThread = thread.stages().contains(Stage.SEQUENCER);
            final List<EventHandler<MessageEvent>> handlers = new ArrayList<>();
            for (final Stage stage : thread.stages())
            {
                switch (stage)
                {
                    case JOURNAL:
                        handlers.add(journal);
                        break;
                    case SEQUENCER:
                        handlers.add(sequencer);
                        if (thread.stages().contains(Stage.JOURNAL))
                        {
                            // windows end with this thread's batches: ring slots outlive them (see borrowRingSlots)
                            sequencer.borrowRingSlots();
                            sequencedWithJournal = true;
                        }
                        break;
                    case ROUTER:
                        routedInline |= sequencerThread;
                        if (!sequencerThread)
                        {
                            handlers.add(router);
                        }
                        break;
                    case DELIVERY:
                    default:
                        deliveredInline |= sequencerThread;
                        if (!sequencerThread)
                        {
                            handlers.add(delivery);
                        }
                        break;
                }
            }
            final StageGroup group = new StageGroup(thread.name(), thread.stages(), thread.cpu(), handlers,
                counters);
            groups.add(group);
            final boolean ingressThread = sequencerThread || thread.stages().contains(Stage.JOURNAL);
            (ingressThread ? ingressGroups : releaseGroups).add(group);
        }
        this.release = releaseGroups.isEmpty() ? null : ring(context, plan, threads, ProducerType.SINGLE, failures);
        final RingRelease ringRelease = deliveredInline ? null : new RingRelease(release.getRingBuffer(),
            routedInline ? router : null, counters);
        final ReleaseSink releases = deliveredInline ? new InlineRelease(router, delivery) : ringRelease;
        sequencer.releaseTo(sequencedWithJournal ? new CommitBeforeRelease(journal, releases) : releases);
        chain(ingress, ingressGroups);
        if (null != release)
        {
            chain(release, releaseGroups);
        }
    }

    private static Disruptor<MessageEvent> ring(final EngineConfiguration context, final LayoutPlan plan,
        final ThreadFactory threads, final ProducerType producers, final StageExceptionHandler failures)
    {
        final int maxDependencies = context.maxDependencies();
        final int payloadCapacity = context.payloadCapacity();
        final Disruptor<MessageEvent> ring = new Disruptor<>(() -> new MessageEvent(maxDependencies, payloadCapacity),
            context.ringSize(), threads, producers, plan.waitStrategy().newTimedWaitStrategy(TICK_NANOS));
        ring.setDefaultExceptionHandler(failures);
        return ring;
    }

    private static void chain(final Disruptor<MessageEvent> ring, final List<StageGroup> groups)
    {
        // each thread group is gated on the one before it: journal -> sequencer, router -> delivery
        EventHandlerGroup<MessageEvent> previous = ring.handleEventsWith(groups.get(0));
        for (int i = 1; i < groups.size(); i++)
        {
            previous = previous.then(groups.get(i));
        }
    }

    /**
     * Starts the pipeline threads and waits until each runs (named, pinned, its stages started), so that what
     * {@link #groups()} reports is true when this returns, and a close right after start drains every thread.
     *
     * @return the ring publishers claim slots in.
     */
    public RingBuffer<MessageEvent> start()
    {
        if (null != release)
        {
            release.start();
        }
        final RingBuffer<MessageEvent> ring = ingress.start();
        for (final StageGroup group : groups)
        {
            if (!group.awaitStarted(START_TIMEOUT_MILLIS))
            {
                LOG.warn("pipeline thread {} did not start within {} ms", group.threadName(), START_TIMEOUT_MILLIS);
            }
        }
        return ring;
    }

    /**
     * Waits until every published message has passed the last stage, then stops the threads (each stage's
     * {@code onShutdown} runs on its own thread, which is where the journal is closed). The ingress ring drains
     * first, so that everything the sequencer releases reaches the release ring before it drains.
     *
     * @param timeoutMillis how long to wait for each ring's backlog to drain, and then for its threads to stop.
     * @return true when drained; false when the timeout passed and the threads were halted with messages in flight:
     *     they stop once the event in hand is done, leaving the retries under way unsettled for the next start.
     */
    public boolean drainAndStop(final long timeoutMillis)
    {
        final boolean ingressDrained = drain(ingress, timeoutMillis);
        boolean allStopped = awaitStopped(ingressGroups, timeoutMillis);
        final boolean releaseDrained = null == release || drain(release, timeoutMillis);
        allStopped &= awaitStopped(releaseGroups, timeoutMillis);
        stopped = true;
        return ingressDrained && releaseDrained && allStopped;
    }

    /** @return true once {@link #drainAndStop} has returned: nothing more will be journaled or delivered. */
    public boolean isStopped()
    {
        return stopped;
    }

    private boolean awaitStopped(final List<StageGroup> groups, final long timeoutMillis)
    {
        boolean all = true;
        for (final StageGroup group : groups)
        {
            if (!group.awaitStopped(timeoutMillis))
            {
                all = false;
                // its shutdown may still be running retries, which then stay unsettled for the next start: once
                // halted it has as long again; a thread still in a handler is not waited for longer
                if (counters.halted() || (halt() && !group.awaitStopped(timeoutMillis)))
                {
                    LOG.error("pipeline thread {} did not shut down within the close's drain timeout of {} ms",
                        group.threadName(), timeoutMillis);
                }
            }
        }
        return all;
    }

    /** @return true once every pipeline thread has shut its stages down (the journal and the logs closed). */
    public boolean threadsStopped()
    {
        for (final StageGroup group : groups)
        {
            if (!group.awaitStopped(0))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs an action once every pipeline thread has shut its stages down, on a daemon thread that waits for them: a
     * halted thread still in a handler that does not return still writes the journal folder when it does.
     *
     * @param action what to run, e.g. releasing the journal folder's lock.
     */
    public void whenThreadsStopped(final Runnable action)
    {
        final Thread waiter = new Thread(() ->
        {
            while (!threadsStopped())
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            LOG.info("the halted pipeline threads have stopped");
            action.run();
        }, "cf-close-waiter");
        waiter.setDaemon(true);
        waiter.start();
    }

    private boolean drain(final Disruptor<MessageEvent> ring, final long timeoutMillis)
    {
        try
        {
            ring.shutdown(timeoutMillis, TimeUnit.MILLISECONDS);
            return true;
        }
        catch (final TimeoutException ex)
        {
            halt();
            ring.halt();
            return false;
        }
    }

    /**
     * Halts every stage: what is left stays unsettled (or, not yet journaled, unacknowledged) for the next start, and
     * the threads stop without running it to its end.
     *
     * @return true.
     */
    private boolean halt()
    {
        counters.halt();
        return true;
    }

    /** @return the thread groups, in pipeline order. */
    public List<StageGroup> groups()
    {
        return groups;
    }

    /** @return slots free for publishers right now. */
    public long remainingCapacity()
    {
        return ingress.getRingBuffer().remainingCapacity();
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
