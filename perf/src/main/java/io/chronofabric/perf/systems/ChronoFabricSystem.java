package io.chronofabric.perf.systems;

import io.chronofabric.engine.internal.Engine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.EngineStats;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.pipeline.StageGroup;
import io.chronofabric.perf.spi.LatencyProbe;
import io.chronofabric.perf.spi.SystemKind;
import io.chronofabric.perf.spi.SystemSpec;
import io.chronofabric.perf.spi.SystemUnderTest;

/**
 * ChronoFabric as a user embeds it: the profile's settings, journal on (a fresh folder per trial), one publisher,
 * one subscriber whose handler reports the latency from the send time carried in the payload. Each message also
 * carries the send time through {@link Publisher#sentAt}, so the engine's own statistics measure from it too.
 */
public final class ChronoFabricSystem implements SystemUnderTest
{
    /** The message type the harness publishes. */
    public static final int TYPE = SystemSpec.MESSAGE_TYPE;
    private static final int SOURCE = 7;
    private static final long THREAD_START_TIMEOUT_NANOS = 5_000_000_000L;
    private static final long THREAD_END_TIMEOUT_MILLIS = 10_000;
    private static final PayloadWriter<ChronoFabricSystem> WRITER = (system, payload) -> payload
        .putLong(system.intendedNanos)
        .put(system.template, Long.BYTES, system.payloadBytes - Long.BYTES);

    private final LatencyProbe probe = new LatencyProbe();
    private final Engine engine;
    private final Publisher publisher;
    private final List<Thread> threads;
    private final Path dir;
    private final byte[] template;
    private final int payloadBytes;
    private final SystemKind kind;
    private long intendedNanos;
    private EngineStats finalStats;

    /**
     * @param spec the run's settings.
     * @param dir  the journal folder; deleted on close.
     * @param lean true for {@link SystemKind#CHRONOFABRIC_LEAN}: per-stage latency and latency trace off.
     */
    public ChronoFabricSystem(final SystemSpec spec, final Path dir, final boolean lean)
    {
        final EngineConfiguration.Builder builder = spec.newBuilder().journalDir(dir);
        if (lean)
        {
            builder.stageLatencyEnabled(false).latencyTraceEnabled(false);
        }
        final EngineConfiguration context = builder.build();
        this.kind = lean ? SystemKind.CHRONOFABRIC_LEAN : SystemKind.CHRONOFABRIC;
        this.dir = dir;
        this.template = spec.payloadTemplate();
        this.payloadBytes = spec.payloadBytes();
        final Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        this.engine = Engine.start(context);
        try
        {
            final LatencyProbe probe = this.probe;
            engine.subscribe(TYPE, message -> probe.delivered(message.payload().getLong(0)));
            this.publisher = engine.newPublisher(SOURCE);
            this.threads = pipelineThreads(engine, before);
        }
        catch (final RuntimeException | Error failed)
        {
            engine.close(); // before the caller deletes its folder
            throw failed;
        }
    }

    /** @return the engine's pipeline threads, named after its stage groups, that started since {@code before}. */
    static List<Thread> pipelineThreads(final Engine engine, final Set<Thread> before)
    {
        final Set<String> names = new HashSet<>();
        for (final StageGroup group : engine.threads())
        {
            names.add(group.threadName());
        }
        final long deadline = System.nanoTime() + THREAD_START_TIMEOUT_NANOS;
        while (true)
        {
            final List<Thread> found = new ArrayList<>();
            for (final Thread thread : Thread.getAllStackTraces().keySet())
            {
                if (!before.contains(thread) && names.contains(thread.getName()))
                {
                    found.add(thread);
                }
            }
            if (found.size() == names.size())
            {
                return List.copyOf(found);
            }
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("pipeline threads " + names + " did not start within 5 s");
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    @Override
    public SystemKind kind()
    {
        return kind;
    }

    @Override
    public void send(final long intendedNanos)
    {
        this.intendedNanos = intendedNanos;
        publisher.sentAt(intendedNanos).publish(TYPE, WRITER, this);
    }

    @Override
    public LatencyProbe probe()
    {
        return probe;
    }

    @Override
    public List<Thread> workerThreads()
    {
        return threads;
    }

    /** @return the engine's own statistics taken at close (its latency is measured from the same send times). */
    public EngineStats finalStats()
    {
        return finalStats;
    }

    @Override
    public void close()
    {
        try
        {
            engine.close();
            finalStats = engine.stats();
            for (final Thread thread : threads)
            {
                // the journal is closed on its pipeline thread as it stops; wait for that before deleting the folder
                thread.join(THREAD_END_TIMEOUT_MILLIS);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the pipeline threads to end", ex);
        }
        finally
        {
            SystemSpec.deleteRecursively(dir);
        }
    }
}
