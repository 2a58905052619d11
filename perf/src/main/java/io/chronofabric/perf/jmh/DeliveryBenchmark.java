package io.chronofabric.perf.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.chronofabric.engine.api.SystemWallClock;
import io.chronofabric.engine.internal.clock.MonotonicClock;
import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.event.PipelineCounters;
import io.chronofabric.engine.internal.event.Recovery;
import io.chronofabric.engine.internal.event.RoutingTable;
import io.chronofabric.engine.internal.event.Subscriber;
import io.chronofabric.engine.internal.pipeline.DeadLetterPath;
import io.chronofabric.engine.internal.pipeline.DeliveryStage;
import io.chronofabric.engine.internal.pipeline.Router;
import io.chronofabric.engine.internal.pipeline.SubscriberAttempts;
import io.chronofabric.engine.internal.sequencing.TemporalCounters;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.DeadLetterSink;
import io.chronofabric.journal.Durability;
import io.chronofabric.journal.JournalQueues;
import io.chronofabric.journal.SettledState;
import io.chronofabric.journal.SettlementWriter;
import io.chronofabric.journal.TraceSink;
import io.chronofabric.perf.spi.SystemSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Routing and delivery per released message, without the latency trace ({@link TraceSink#NONE}; priced by
 * {@code TraceBenchmark}): the routing gate, {@code SubscriberAttempts} with one subscriber that does nothing, the
 * end-to-end latency recording (and the four per-stage ones with {@code stages=true}), the settlement marks, and per
 * batch of {@link #BATCH} one settlement document, into a fresh folder per iteration.
 */
@State(Scope.Thread)
public class DeliveryBenchmark extends BenchmarkSettings
{
    /** Messages per delivery batch. */
    public static final int BATCH = 64;
    private static final int TYPE = 1;
    private static final int PAYLOAD = 64;

    /** Whether the four per-stage latencies are recorded ({@code latency.stages.enabled}). */
    @Param({"true", "false"})
    public boolean stages;

    private final MessageEvent[] released = new MessageEvent[BATCH];
    private Path dir;
    private SettlementWriter settlement;
    private Router router;
    private DeliveryStage delivery;
    private long nextId = 1;
    private long sequence;

    /** Builds the stages as the engine does, with one subscriber, on a fresh settlement log. */
    @Setup(Level.Iteration)
    public void open() throws IOException
    {
        dir = Files.createTempDirectory("jmh-delivery");
        final PipelineCounters counters = new PipelineCounters();
        final TemporalCounters temporal = new TemporalCounters();
        final RoutingTable routes = new RoutingTable(256);
        routes.add(new Subscriber(1, TYPE, message -> { }, null, routes));
        final DeadLetterPath deadLetters = new DeadLetterPath(new NoDeadLetters(), temporal, SystemWallClock.INSTANCE);
        settlement = new SettlementWriter(dir, JournalQueues.DEFAULT_ROLL_CYCLE, Durability.NONE);
        router = new Router(routes);
        delivery = new DeliveryStage(counters, temporal, TraceSink.NONE, deadLetters,
            new SubscriberAttempts(counters, temporal, deadLetters, false), settlement, SettledState.empty(), nextId - 1,
            1 << 20, 1024, routes, MonotonicClock.SYSTEM, stages);
        delivery.onStart();
        for (int i = 0; i < BATCH; i++)
        {
            released[i] = new MessageEvent(8, PAYLOAD);
            released[i].record().type(TYPE).payloadLength(PAYLOAD);
            released[i].valid(true);
            released[i].recovery(Recovery.NONE);
        }
    }

    /** Closes and deletes this iteration's settlement log. */
    @TearDown(Level.Iteration)
    public void close()
    {
        delivery.onShutdown();
        SystemSpec.deleteRecursively(dir);
    }

    /** One batch: {@link #BATCH} released messages routed and delivered, then the batch's settlement document. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void batch()
    {
        final long now = System.nanoTime();
        for (int i = 0; i < BATCH; i++)
        {
            final MessageEvent message = released[i];
            message.record().id(nextId);
            message.previousId(nextId - 1);
            nextId++;
            message.publishedNanos(now - 900);
            message.journaledNanos(now - 700);
            message.sequencedNanos(now - 500);
            final boolean last = BATCH - 1 == i;
            router.onEvent(message, sequence, last);
            delivery.onEvent(message, sequence++, last);
        }
    }

    /** Dead letters go nowhere: none is expected (no deadline, a subscriber that never fails). */
    private static final class NoDeadLetters implements DeadLetterSink
    {
        @Override
        public void append(final long messageId, final int type, final int subscriberId, final DeadLetterReason reason,
            final int attempts, final long epochNanos)
        {
            throw new IllegalStateException("no dead letter expected, got " + reason + " for " + messageId);
        }

        @Override
        public void sync()
        {
        }

        @Override
        public void close()
        {
        }
    }
}
