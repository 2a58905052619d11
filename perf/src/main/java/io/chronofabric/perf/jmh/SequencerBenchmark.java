package io.chronofabric.perf.jmh;


import io.chronofabric.engine.api.HoldOverflowPolicy;
import io.chronofabric.engine.api.SystemWallClock;
import io.chronofabric.engine.internal.clock.MonotonicClock;
import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.event.PipelineCounters;
import io.chronofabric.engine.internal.event.Recovery;
import io.chronofabric.engine.internal.sequencing.TemporalCounters;
import io.chronofabric.engine.internal.sequencing.TemporalSequencer;
import io.chronofabric.journal.RecordFlags;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The temporal sequencer's own work per message ({@link TemporalSequencer#onEvent}: order check, window, ready queue,
 * release), for messages without dependencies, default priority and no deadline (the engine's common path), in
 * windows of {@link #WINDOW} messages ended by the journal's batch-end flag, released into a sink that only consumes
 * them. {@code borrow=true} is the engine's single-thread layout (the sequencer releases the ring slot itself);
 * {@code borrow=false} copies each message into its entry pool first, as split layouts, held and recovered messages do.
 */
@State(Scope.Thread)
public class SequencerBenchmark extends BenchmarkSettings
{
    /** Messages per window (per journal batch). */
    public static final int WINDOW = 64;
    private static final int PAYLOAD = 64;
    private static final int MAX_DEPENDENCIES = 8;

    /** Whether the sequencer releases ring slots themselves (the single-thread layout) or copies. */
    @Param({"true", "false"})
    public boolean borrow;

    private final MessageEvent[] ring = new MessageEvent[WINDOW];
    private TemporalSequencer sequencer;
    private Blackhole released;
    private long nextId = 1;
    private long wall = 1_800_000_000_000_000_000L;
    private int parity;

    /** Builds the sequencer with the engine's default settings and a ring of {@link #WINDOW} slots. */
    @Setup
    public void setUp(final Blackhole blackhole)
    {
        released = blackhole;
        sequencer = new TemporalSequencer(new PipelineCounters(), new TemporalCounters(), 0, 4096,
            HoldOverflowPolicy.DEAD_LETTER_OLDEST, 1_000_000_000L, 1024, 1 << 20, MAX_DEPENDENCIES, PAYLOAD,
            SystemWallClock.INSTANCE, MonotonicClock.SYSTEM);
        sequencer.releaseTo(message -> released.consume(message.id()));
        if (borrow)
        {
            sequencer.borrowRingSlots();
        }
        sequencer.onStart();
        for (int i = 0; i < WINDOW; i++)
        {
            ring[i] = new MessageEvent(MAX_DEPENDENCIES, PAYLOAD);
            ring[i].record().payloadLength(PAYLOAD);
        }
    }

    /** One window: {@link #WINDOW} journaled messages in, all released at its batch end. */
    @Benchmark
    @OperationsPerInvocation(WINDOW)
    public void window()
    {
        parity ^= RecordFlags.BATCH_PARITY;
        final long now = System.nanoTime();
        for (int i = 0; i < WINDOW; i++)
        {
            final MessageEvent event = ring[i];
            event.record().id(nextId++).hlc(++wall, 0).priority(0)
                .flags(parity | (WINDOW - 1 == i ? RecordFlags.BATCH_END : 0));
            event.valid(true);
            event.fromJournal(false);
            event.recovery(Recovery.NONE);
            event.journaledNanos(now);
            sequencer.onEvent(event, nextId, WINDOW - 1 == i);
        }
    }
}
