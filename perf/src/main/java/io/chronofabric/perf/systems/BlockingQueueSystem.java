package io.chronofabric.perf.systems;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.locks.LockSupport;

import io.chronofabric.affinity.ThreadPinner;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.internal.layout.ThreadPlan;
import io.chronofabric.perf.spi.LatencyProbe;
import io.chronofabric.perf.spi.SystemKind;
import io.chronofabric.perf.spi.SystemSpec;
import io.chronofabric.perf.spi.SystemUnderTest;

/**
 * The {@link ArrayBlockingQueue} baseline: the same stages on the same threads (and CPUs) as ChronoFabric's layout plan,
 * one queue (capacity: the ring size) in front of each thread. Slots come from a preallocated pool of ring-size
 * events that the sender reuses only once the last stage has delivered them, so nothing is allocated per message
 * and no more messages are in flight than a ring of the same size holds. The queues wait as {@code
 * ArrayBlockingQueue} does, on a lock and condition: no wait strategy applies.
 */
public final class BlockingQueueSystem implements SystemUnderTest
{

    private final LatencyProbe probe = new LatencyProbe();
    private final WorkerThreads threads = new WorkerThreads("perf-abq");
    private final List<ArrayBlockingQueue<BaselineEvent>> queues = new ArrayList<>();
    private final ArrayBlockingQueue<BaselineEvent> first;
    private final BaselineEvent[] pool;
    private final int mask;
    private final byte[] template;
    private final int payloadBytes;
    private long next;
    private long deliveredSeen;

    /**
     * @param spec the run's settings.
     */
    public BlockingQueueSystem(final SystemSpec spec)
    {
        final EngineConfiguration context = spec.configuration();
        this.template = spec.payloadTemplate();
        this.payloadBytes = spec.payloadBytes();
        this.pool = new BaselineEvent[context.ringSize()];
        this.mask = pool.length - 1;
        for (int i = 0; i < pool.length; i++)
        {
            pool[i] = new BaselineEvent(spec.documentBytes());
        }
        final List<ThreadPlan> groups = spec.layoutPlan().threads();
        for (int i = 0; i < groups.size(); i++)
        {
            queues.add(new ArrayBlockingQueue<>(pool.length));
        }
        this.first = queues.get(0);
        for (int i = 0; i < groups.size(); i++)
        {
            final ThreadPlan group = groups.get(i);
            final BaselineStages stages = new BaselineStages(group.stages(), null, spec.documentBytes(), probe);
            final ArrayBlockingQueue<BaselineEvent> in = queues.get(i);
            final ArrayBlockingQueue<BaselineEvent> out = i + 1 < groups.size() ? queues.get(i + 1) : null;
            final String name = "perf-abq-" + group.name().substring("cf-".length());
            threads.newThread(() -> consume(name, group.cpu(), in, stages, out)).start();
        }
    }

    private static void consume(final String name, final int cpu, final ArrayBlockingQueue<BaselineEvent> in,
        final BaselineStages stages, final ArrayBlockingQueue<BaselineEvent> out)
    {
        ThreadPinner.nameAndPin(name, cpu);
        try
        {
            while (true)
            {
                final BaselineEvent event = in.take();
                stages.onEvent(event, event.sequence, in.isEmpty());
                if (null != out)
                {
                    out.put(event);
                }
            }
        }
        catch (final InterruptedException ex)
        {
            stages.onShutdown();
        }
    }

    @Override
    public SystemKind kind()
    {
        return SystemKind.BLOCKING_QUEUE;
    }

    @Override
    public void send(final long intendedNanos)
    {
        final long sequence = next++;
        while (sequence - deliveredSeen >= pool.length)
        {
            // the pool is full: as the Disruptor's multi-producer claim does, park briefly and look again
            LockSupport.parkNanos(1);
            deliveredSeen = probe.deliveredCount();
        }
        final BaselineEvent event = pool[(int)(sequence & mask)];
        event.fill(intendedNanos, template, payloadBytes);
        event.sequence = sequence;
        try
        {
            first.put(event);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending message " + sequence, ex);
        }
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
        if (!probe.awaitDelivered(next))
        {
            throw new IllegalStateException("abq delivered " + probe.deliveredCount() + " of " + next +
                " messages and made no progress for " + LatencyProbe.DRAIN_TIMEOUT_NANOS / 1_000_000_000 + " s");
        }
        for (final Thread thread : threads.threads())
        {
            thread.interrupt();
        }
        threads.joinAll();
    }
}
