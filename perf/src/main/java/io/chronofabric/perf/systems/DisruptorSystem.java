package io.chronofabric.perf.systems;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.EventHandlerGroup;
import com.lmax.disruptor.dsl.ProducerType;
import io.chronofabric.affinity.ThreadPinner;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.internal.layout.LayoutPlan;
import io.chronofabric.engine.internal.layout.ThreadPlan;
import io.chronofabric.engine.internal.pipeline.Pipeline;
import io.chronofabric.perf.spi.LatencyProbe;
import io.chronofabric.perf.spi.SystemKind;
import io.chronofabric.perf.spi.SystemSpec;
import io.chronofabric.perf.spi.SystemUnderTest;

/**
 * The raw Disruptor baselines: one ring of the engine's size, multi-producer as the engine's ingress ring, the same
 * wait strategy object the engine builds (its timed variant, ticking idle consumers as the engine's do), and the four stages grouped onto threads (named, and pinned to the same CPUs) exactly as ChronoFabric's
 * layout plan groups its stages on this host.
 * With a journal folder its journal stage appends each message's bytes to a raw Chronicle Queue.
 */
public final class DisruptorSystem implements SystemUnderTest
{
    private static final long DRAIN_TIMEOUT_SECONDS = 60;

    private final SystemKind kind;
    private final LatencyProbe probe = new LatencyProbe();
    private final WorkerThreads threads;
    private final Disruptor<BaselineEvent> disruptor;
    private final RingBuffer<BaselineEvent> ring;
    private final RawJournal rawJournal;
    private final byte[] template;
    private final int payloadBytes;

    /**
     * @param spec       the run's settings.
     * @param journalDir the raw Chronicle Queue's folder, or null for the trivial journal stage.
     */
    public DisruptorSystem(final SystemSpec spec, final Path journalDir)
    {
        final EngineConfiguration context = spec.configuration();
        this.kind = null == journalDir ? SystemKind.DISRUPTOR : SystemKind.DISRUPTOR_CHRONICLE;
        this.template = spec.payloadTemplate();
        this.payloadBytes = spec.payloadBytes();
        this.rawJournal = null == journalDir ? null : new RawJournal(journalDir, context);
        this.threads = new WorkerThreads("perf-" + kind.label());
        final int documentBytes = spec.documentBytes();
        final LayoutPlan plan = spec.layoutPlan();
        this.disruptor = new Disruptor<>(() -> new BaselineEvent(documentBytes), context.ringSize(), threads,
            ProducerType.MULTI, plan.waitStrategy().newTimedWaitStrategy(Pipeline.TICK_NANOS));
        final List<GroupHandler> groups = new ArrayList<>();
        for (final ThreadPlan thread : plan.threads())
        {
            groups.add(new GroupHandler(new BaselineStages(thread.stages(), rawJournal, documentBytes, probe),
                "perf-" + kind.label() + "-" + thread.name().substring("cf-".length()), thread.cpu()));
        }
        EventHandlerGroup<BaselineEvent> previous = disruptor.handleEventsWith(groups.get(0));
        for (int i = 1; i < groups.size(); i++)
        {
            previous = previous.then(groups.get(i));
        }
        this.ring = disruptor.start();
    }

    @Override
    public SystemKind kind()
    {
        return kind;
    }

    @Override
    public void send(final long intendedNanos)
    {
        final long sequence = ring.next();
        ring.get(sequence).fill(intendedNanos, template, payloadBytes);
        ring.publish(sequence);
    }

    @Override
    public LatencyProbe probe()
    {
        return probe;
    }

    @Override
    public List<Thread> workerThreads()
    {
        return threads.threads();
    }

    @Override
    public void close()
    {
        try
        {
            disruptor.shutdown(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (final TimeoutException ex)
        {
            disruptor.halt();
            throw new IllegalStateException(kind.label() + " did not drain within " + DRAIN_TIMEOUT_SECONDS + " s", ex);
        }
        finally
        {
            threads.joinAll();
            if (null != rawJournal)
            {
                rawJournal.close();
            }
        }
    }

    /** The stages of one thread group as one Disruptor handler, on a thread named and pinned as ChronoFabric's. */
    private static final class GroupHandler implements EventHandler<BaselineEvent>
    {
        private final BaselineStages stages;
        private final String threadName;
        private final int cpu;

        private GroupHandler(final BaselineStages stages, final String threadName, final int cpu)
        {
            this.stages = stages;
            this.threadName = threadName;
            this.cpu = cpu;
        }

        @Override
        public void onStart()
        {
            ThreadPinner.nameAndPin(threadName, cpu);
        }

        @Override
        public void onEvent(final BaselineEvent event, final long sequence, final boolean endOfBatch)
        {
            stages.onEvent(event, sequence, endOfBatch);
        }

        @Override
        public void onShutdown()
        {
            stages.onShutdown();
        }
    }
}
