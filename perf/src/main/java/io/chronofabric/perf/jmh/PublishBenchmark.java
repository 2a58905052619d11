package io.chronofabric.perf.jmh;

import io.chronofabric.engine.internal.Engine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.pipeline.Pipeline;
import io.chronofabric.perf.spi.SystemSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Publish, claim and commit, into a running engine (dev profile, journal on): {@code publishBurst} publishes a burst
 * of {@link #BURST} messages into a drained ring (the publisher never waits: this is the publisher's own cost, the
 * pipeline consuming on the other core meanwhile) and {@code publishSustained} publishes one message at a time with
 * no pause (the ring fills: this is the engine's sustained rate, pipeline-bound). {@code rawRingBurst} is the same
 * burst into a bare Disruptor ring of the same size with a no-op consumer, the floor for the claim and commit.
 */
public class PublishBenchmark extends BenchmarkSettings
{
    /** Messages per burst: half the dev ring, so a burst into a drained ring never waits. */
    public static final int BURST = 8192;
    private static final int TYPE = 1;
    private static final int PAYLOAD = 64;
    private static final PayloadWriter<long[]> WRITER = (value, payload) -> payload.putLong(value[0]).putLong(value[1])
        .putLong(value[2]).putLong(value[3]).putLong(value[4]).putLong(value[5]).putLong(value[6]).putLong(value[7]);

    /** The running engine (dev profile, journal on, one no-op subscriber) and the bare ring. */
    @State(Scope.Benchmark)
    public static class Rings
    {
        private final long[] message = new long[PAYLOAD / Long.BYTES];
        private Path journal;
        private Engine engine;
        private Publisher publisher;
        private int ringSize;
        private Disruptor<ByteBuffer> rawDisruptor;
        private RingBuffer<ByteBuffer> rawRing;

        /** Starts the engine and the bare ring. */
        @Setup(Level.Trial)
        public void start() throws IOException
        {
            journal = Files.createTempDirectory("jmh-publish");
            final EngineConfiguration context = Profiles.builder("dev").journalDir(journal).build();
            ringSize = context.ringSize();
            engine = Engine.start(context);
            engine.subscribe(TYPE, message -> { });
            publisher = engine.newPublisher(1);
            rawDisruptor = new Disruptor<>(() -> ByteBuffer.allocate(PAYLOAD), ringSize, DaemonThreadFactory.INSTANCE,
                ProducerType.MULTI, context.waitStrategy().newTimedWaitStrategy(Pipeline.TICK_NANOS));
            rawDisruptor.handleEventsWith((EventHandler<ByteBuffer>)(event, sequence, endOfBatch) -> { });
            rawRing = rawDisruptor.start();
        }

        /** Stops both and deletes the journal. */
        @TearDown(Level.Trial)
        public void stop()
        {
            engine.close();
            rawDisruptor.shutdown();
            SystemSpec.deleteRecursively(journal);
        }
    }

    /** Before each burst: both rings empty, so that the burst never waits for a slot. Not timed. */
    @State(Scope.Thread)
    public static class Drained
    {
        /** @param rings the rings to wait for. */
        @Setup(Level.Invocation)
        public void drain(final Rings rings)
        {
            while (rings.engine.remainingCapacity() < rings.ringSize || rings.rawRing.remainingCapacity() < rings.ringSize)
            {
                LockSupport.parkNanos(10_000);
            }
        }
    }

    /**
     * @param rings   the engine.
     * @param drained waited for before each burst.
     * @return the last message id; the time reported is per message.
     */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public long publishBurst(final Rings rings, final Drained drained)
    {
        final long[] message = rings.message;
        long id = 0;
        for (int i = 0; i < BURST; i++)
        {
            message[0] = i;
            id = rings.publisher.publish(TYPE, WRITER, message);
        }
        return id;
    }

    /**
     * @param rings the engine.
     * @return the message id; waits for a slot whenever the pipeline is behind.
     */
    @Benchmark
    public long publishSustained(final Rings rings)
    {
        rings.message[0]++;
        return rings.publisher.publish(TYPE, WRITER, rings.message);
    }

    /**
     * @param rings   the bare ring.
     * @param drained waited for before each burst.
     * @return the last sequence; the time reported is per message.
     */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public long rawRingBurst(final Rings rings, final Drained drained)
    {
        final RingBuffer<ByteBuffer> ring = rings.rawRing;
        final long[] message = rings.message;
        long sequence = 0;
        for (int i = 0; i < BURST; i++)
        {
            message[0] = i;
            sequence = ring.next();
            WRITER.write(message, ring.get(sequence).clear());
            ring.publish(sequence);
        }
        return sequence;
    }
}
