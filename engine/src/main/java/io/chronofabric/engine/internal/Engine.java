package io.chronofabric.engine.internal;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.chronofabric.affinity.HostCpusReader;
import io.chronofabric.affinity.ThreadPinner;
import io.chronofabric.engine.internal.clock.HybridClock;
import io.chronofabric.engine.internal.observability.AnomalyMonitor;
import io.chronofabric.engine.internal.observability.DiskSpaceWatch;
import io.chronofabric.engine.internal.observability.EngineMetrics;
import io.chronofabric.engine.internal.observability.FlowTracer;
import io.chronofabric.engine.internal.observability.PerformanceMonitor;
import io.chronofabric.engine.internal.pipeline.DeadLetterPath;
import io.chronofabric.engine.internal.pipeline.DeliveryStage;
import io.chronofabric.engine.internal.pipeline.JournalStage;
import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.pipeline.Pipeline;
import io.chronofabric.engine.internal.pipeline.PipelineThreads;
import io.chronofabric.engine.internal.pipeline.PublishGate;
import io.chronofabric.engine.internal.pipeline.RingPublisher;
import io.chronofabric.engine.internal.observability.MonitoredEngine;
import io.chronofabric.engine.api.WallClock;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.Subscription;
import io.chronofabric.engine.internal.clock.MonotonicClock;
import io.chronofabric.engine.internal.event.PipelineCounters;
import io.chronofabric.engine.internal.event.Recovery;
import io.chronofabric.engine.internal.pipeline.Router;
import io.chronofabric.engine.internal.event.RoutingTable;
import io.chronofabric.engine.internal.pipeline.StageGroup;
import io.chronofabric.engine.internal.event.Subscriber;
import io.chronofabric.engine.internal.pipeline.SubscriberAttempts;
import io.chronofabric.engine.internal.sequencing.TemporalSequencer;
import io.chronofabric.engine.internal.sequencing.TemporalCounters;
import io.chronofabric.journal.BlockMapper;
import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.EngineLimits;
import io.chronofabric.journal.JournalInUseException;
import io.chronofabric.journal.JournalLock;
import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.JournalWriter;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.SettledState;
import io.chronofabric.journal.SettlementWriter;
import io.chronofabric.journal.TraceSink;
import io.chronofabric.journal.TraceWriter;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import io.chronofabric.engine.api.DeadlinePolicy;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Settings;
import io.chronofabric.engine.internal.retention.RetentionHold;
import io.chronofabric.engine.internal.retention.RetentionWorker;
import io.chronofabric.engine.internal.layout.LayoutPlan;
import io.chronofabric.engine.api.ConfigurationException;
import io.chronofabric.engine.api.DeadLetterHandler;
import io.chronofabric.engine.api.EngineStats;
import io.chronofabric.engine.api.HoldOverflowPolicy;
import io.chronofabric.engine.api.JournalFailedException;
import io.chronofabric.engine.api.LatencySummary;
import io.chronofabric.engine.api.MessageCodec;
import io.chronofabric.engine.api.MessageHandler;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.api.Stage;
import io.chronofabric.engine.api.TemporalStats;
import io.chronofabric.engine.internal.layout.LayoutPlanner;

/**
 * The running engine: wires the stages, starts and recovers, and owns what they share. The API front
 * ({@code io.chronofabric.engine.ChronoFabric}) hands every call on to it; the project's own tools (the command line,
 * the benchmarks) use it directly for what applications do not need: the monitor, the thread layout, the counters.
 */
public final class Engine implements MonitoredEngine, AutoCloseable
{
    private static final Logger LOG = LogManager.getLogger(Engine.class);
    /** How long a close waits between looks at a publish still under way. */
    private static final long PUBLISH_WAIT_NANOS = 10_000;
    private static final Set<String> FALLBACKS_WARNED = ConcurrentHashMap.newKeySet();

    private final EngineConfiguration context;
    private final LayoutPlan plan;
    private final HybridClock clock;
    private final PipelineCounters counters = new PipelineCounters();
    private final TemporalCounters temporal = new TemporalCounters();
    private final AtomicInteger subscriberIds = new AtomicInteger();
    private final DeadLetterPath deadLetters;
    private final TemporalSequencer sequencer;
    private final RoutingTable routes;
    private final Pipeline pipeline;
    private final RingBuffer<MessageEvent> ring;
    private final List<RingPublisher> publishers = new CopyOnWriteArrayList<>();
    /** What the settlement log said at start, while {@code subscribeFirst} runs; null before and after. */
    private SettledState settledAtStart;
    private final PublishGate gate;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final long recovered;
    private final long startNanos = System.nanoTime();
    private volatile boolean replaying;
    /** Set when a journal replay began, even of a journal that held nothing: an engine replays once. */
    private volatile boolean journalReplayed;
    /** Set once the constructor has returned: close() refuses a half-built engine. */
    private volatile boolean started;
    /** A {@link #replay(MessageRecord)} is between its closed check and its slot's publish. */
    private volatile boolean replayUnderWay;
    private long lastReplayedId;
    /** Messages fed by replay: accepted like published ones, so that delivered and in-flight add up. */
    private final AtomicLong replayed = new AtomicLong();
    private volatile boolean recoveryFeeding;
    private final FlowTracer tracer;
    private PerformanceMonitor monitor;
    private EngineMetrics metrics;
    private final RetentionWorker retention;
    private final JournalLock lock;
    /** Maps the next block of the journal, the trace and the settlement log off the pipeline thread. */
    private final BlockMapper blockMapper;
    private volatile RetentionHold retentionHold;

    private Engine(final EngineConfiguration context, final Consumer<Engine> beforeRecovery)
    {
        readWallClockOnce(context.wallClock());
        this.plan = plan(context);
        this.context = context;
        // a node's peers may need what is settled here: nothing goes before its node knows what they have journaled
        this.retentionHold = 0 == context.nodeId() ? RetentionHold.NONE : RetentionHold.untilNodeStarts(context.nodeId());
        this.clock = new HybridClock(context.wallClock(), context.hlcMaxOffsetNanos(), context.hlcMaxLogical());
        this.routes = new RoutingTable(context.maxMessageTypes());
        this.gate = new PublishGate(context, counters, temporal);
        if (0 != context.metricsPort())
        {
            // served only once the engine is whole: a refusal then would leave a journal folder behind; but a folder
            // another engine holds (likely on that very port) is refused as that, as without a metrics port
            final long holder = JournalLock.holder(context.journalDir());
            if (0 != holder)
            {
                throw new JournalInUseException(context.journalDir(), holder);
            }
            EngineMetrics.requireServable(context.metricsHost(), context.metricsPort());
        }
        context.requireRingWithin(Runtime.getRuntime().maxMemory());
        if (Files.exists(context.journalDir()) && !Files.isDirectory(context.journalDir()))
        {
            throw new ConfigurationException(Settings.JOURNAL_DIR.name(), context.journalDir(), "a folder path, or " +
                "one not yet made (" + context.journalDir() + " is a file)");
        }
        this.lock = JournalLock.acquire(context.journalDir());
        final StartUp startUp = new StartUp();
        startUp.take(lock);
        try
        {
            this.blockMapper = startUp.take(new BlockMapper("cf-block-mapper"));
            final JournalRecovery recovery = JournalRecovery.read(context, lock);
            DiskSpaceWatch.requireRoomToStart(context);
            clock.resumeAbove(recovery.lastWall(), recovery.lastLogical());
            counters.acknowledge(recovery.lastJournaledId());

            final JournalWriter writer = startUp.handToStage(new JournalWriter(context.journalDir(),
                context.rollCycle(), context.durability(), context.journalBlockSize(), context.maxDependencies(),
                context.payloadCapacity())).mapAheadWith(blockMapper);
            final TraceSink trace = context.latencyTraceEnabled() ? startUp.handToStage(new TraceWriter(
                context.journalDir(), context.rollCycle(), context.durability(), context.journalBlockSize()))
                .mapAheadWith(blockMapper) : TraceSink.NONE;
            final SettlementWriter settlements = startUp.handToStage(new SettlementWriter(context.journalDir(),
                context.rollCycle(), context.durability(), context.journalBlockSize())).mapAheadWith(blockMapper);
            final SettledState settled = recovery.settled();
            final long settledFloor = Math.max(settled.watermark(), context.assumeDeliveredUpTo());
            this.deadLetters = new DeadLetterPath(startUp.handToStage(new DeadLetterJournal(context.journalDir(),
                context.rollCycle(), context.durability(), context.journalBlockSize())), temporal, context.wallClock());
            this.tracer = context.tracingEnabled() ? new FlowTracer(context) : null;
            if (null != tracer)
            {
                deadLetters.subscribe(tracer);
            }
            final SubscriberAttempts attempts = new SubscriberAttempts(counters, temporal, deadLetters,
                DeadlinePolicy.EXPIRE == context.deadlinePolicy());
            this.sequencer = new TemporalSequencer(context, counters, temporal, settledFloor);
            settled.deadAtOrBelowWatermark().forEach(sequencer::deadBeforeStart);
            sequencer.neverJournaledBeforeStart(settled.refusedAtOrBelowWatermark());
            this.pipeline = new Pipeline(context, plan,
                new JournalStage(writer, clock, counters, context.stageLatencyEnabled() ||
                    context.latencyTraceEnabled() || context.tracingEnabled()),
                sequencer,
                new Router(routes),
                new DeliveryStage(counters, temporal, trace, deadLetters, attempts, settlements, settled, settledFloor,
                    context.dependencyWindow(), context.dependentQueueLimit(), routes, MonotonicClock.SYSTEM,
                    context.stageLatencyEnabled()),
                counters);
            this.ring = pipeline.start();
            startUp.pipelineStarted(pipeline);
            settledAtStart = settled;
            beforeRecovery.accept(this);
            settledAtStart = null; // its dead ids are the pipeline's now: not kept for the engine's life
            recoveryFeeding = true;
            final long fed = recovery.feedAboveWatermark(context, sequencer::originFloor,
                sequencer::neverJournaledBeforeStart, this::enqueueFromJournal);
            this.recovered = recovery.unsettled();
            // the records fed took the first ring slots; publishers' ids continue after the last journaled id
            final long idOffset = recovery.lastJournaledId() - fed;
            if (0 < recovered)
            {
                LOG.warn("recovery: {} journaled message(s) not settled before the restart (above the settled " +
                    "watermark {}) are delivered again before new ones", recovered, settled.watermark());
            }
            LOG.info("ChronoFabric started: profile={}, journal={}, durability={}, ring={}, layout={}, wait={}, " +
                "resuming after id {}", context.profile(), context.journalDir().toAbsolutePath(),
                context.durability().label(), context.ringSize(), plan.layout(), plan.waitStrategy().label(),
                recovery.lastJournaledId());
            this.retention = startUp.take(new RetentionWorker(context,
                () -> counters.settledWatermark().get(), () -> retentionHold));
            gate.open(idOffset);
        }
        catch (final RuntimeException | Error ex)
        {
            gate.close();
            startUp.release(ex);
            throw ex;
        }
    }

    /**
     * Reads the application's wall clock once before anything starts: a clock that fails from the first read would
     * leave an engine that stamps nothing and refuses every publish, so the start fails instead, naming it.
     */
    private static void readWallClockOnce(final WallClock wallClock)
    {
        try
        {
            wallClock.epochNanos();
        }
        catch (final RuntimeException | AssertionError ex)
        {
            throw new IllegalStateException("the wall clock " + wallClock.getClass().getName() + " failed at start, " +
                "so the engine cannot stamp messages: " + ex, ex);
        }
    }

    /**
     * Starts an engine: creates the journal folder if needed, resumes ids and the clock above the last journaled
     * message, starts the pipeline threads, and delivers again every journaled message the settlement log does not
     * show as settled (delivered or dead-lettered for every subscriber). Such recovered messages reach only
     * subscribers that exist then: use {@link #start(EngineConfiguration, Consumer)} to subscribe first.
     *
     * @param context the validated settings.
     * @return the running engine; close it to drain and stop.
     */
    public static Engine start(final EngineConfiguration context)
    {
        return start(context, engine -> { });
    }

    /**
     * Starts an engine as {@link #start(EngineConfiguration)} does, calling {@code subscribeFirst} once the pipeline runs
     * and before recovered messages are delivered again, so that its subscribers receive them, ahead of anything
     * published later. Each recovered message goes to the subscribers it was not yet settled for, told apart by
     * subscriber id (subscription order: subscribe in the same order as before the crash); a retry under way resumes
     * with its attempt count. Only messages of the delivery batch in progress at the crash can reach a subscriber
     * twice, and they carry {@link Message#isRedelivery()}; after a clean close nothing is delivered again.
     *
     * @param context        the validated settings.
     * @param subscribeFirst registers the subscribers that must see recovered messages.
     * @return the running engine; close it to drain and stop.
     */
    public static Engine start(final EngineConfiguration context, final Consumer<Engine> subscribeFirst)
    {
        final Engine engine = new Engine(context, subscribeFirst);
        engine.started = true;
        try
        {
            engine.startMonitoring();
            return engine;
        }
        catch (final RuntimeException | Error ex)
        {
            engine.close();
            throw ex;
        }
    }

    /**
     * @param settings the settings, built first.
     * @return the running engine.
     */
    public static Engine start(final EngineConfiguration.Builder settings)
    {
        return start(settings.build());
    }

    /**
     * @param settings       the settings, built first.
     * @param subscribeFirst registers the subscribers that must see recovered messages.
     * @return the running engine.
     */
    public static Engine start(final EngineConfiguration.Builder settings, final Consumer<Engine> subscribeFirst)
    {
        return start(settings.build(), subscribeFirst);
    }

    /** Starts the monitor and the metrics endpoint once the engine is whole: they read it from their own threads. */
    private void startMonitoring()
    {
        monitor = new PerformanceMonitor(this, null == tracer ? null : new AnomalyMonitor(tracer, this));
        metrics = 0 == context.metricsPort() ? null :
            EngineMetrics.serve(this, monitor, context.metricsHost(), context.metricsPort());
    }

    /**
     * Feeds an already-journaled message through the sequencer, router and delivery of this engine, unchanged (same
     * id, HLC, deadline): the journal tool's replay. Waits while the ring is full. An engine that replays has no
     * publishers: their ids would not be unique.
     *
     * @param record the record read from a journal.
     * @throws IllegalStateException when this engine has publishers or is closed.
     */
    public void replay(final MessageRecord record)
    {
        feedReplayed(record, Long.MAX_VALUE);
    }

    /**
     * Feeds one replayed record, marked under way from before its closed check, as a publish is, so that a close waits
     * for it ({@link #awaitPublishesUnderWay}).
     *
     * @return false when the ring stayed full until {@code deadline} ({@link Long#MAX_VALUE}: no deadline).
     */
    private boolean feedReplayed(final MessageRecord record, final long deadline)
    {
        replayUnderWay = true;
        try
        {
            replayable(record);
            final long sequence = claimBefore(deadline);
            if (sequence < 0)
            {
                return false;
            }
            enqueueFromJournal(record, Recovery.NONE, sequence);
            replayed.incrementAndGet();
            return true;
        }
        finally
        {
            replayUnderWay = false;
        }
    }

    private void refuseReplayWithPublishers()
    {
        if (!publishers.isEmpty())
        {
            throw new IllegalStateException("an engine with publishers cannot replay journaled messages");
        }
    }

    /** Checks that {@code record} may be replayed next, and marks this engine as replaying. */
    private void replayable(final MessageRecord record)
    {
        refuseReplayWithPublishers();
        refuseWhenClosed();
        gate.throwIfFailed();
        if (record.id() <= lastReplayedId)
        {
            throw new IllegalArgumentException("replayed message " + record.id() + " follows message " +
                lastReplayedId + ": replayed ids must rise, as in the journal; an engine replays one journal, once");
        }
        if (!replaying)
        {
            replaying = true;
            sequencer.replaying();
        }
        lastReplayedId = record.id();
    }

    /**
     * Replays a journal written by an engine: feeds each of its records, in journal order, through this engine's
     * sequencer, router and delivery, unchanged (same id, HLC, priority, deadline), then waits until every one is
     * settled. The journal is read at the largest capacities an engine can write; a record this engine cannot hold
     * is refused with the setting to raise.
     *
     * @param journal the journal folder to replay (not this engine's own).
     * @param timeout how long to wait at most for the replayed messages to settle.
     * @return the number of messages replayed.
     * @throws IllegalArgumentException when a record exceeds this engine's {@code payload.capacity} or
     *                                  {@code dependencies.max}.
     * @throws IllegalStateException    when this engine has publishers, is closed, or the messages did not settle in
     *                                  time.
     */
    public long replayJournal(final Path journal, final Duration timeout)
    {
        if (PipelineThreads.isCurrent())
        {
            throw new IllegalStateException("replay from inside a handler would wait for the pipeline thread it runs " +
                "on: replay from another thread");
        }
        if (replaying || journalReplayed)
        {
            throw new IllegalStateException("this engine has replayed a journal already: an engine replays one " +
                "journal, once (its ids are settled now); start another engine to replay again");
        }
        // refused whatever the journal holds, an empty one too
        refuseReplayWithPublishers();
        refuseWhenClosed();
        if (journal.toAbsolutePath().normalize().equals(context.journalDir().toAbsolutePath().normalize()))
        {
            throw new IllegalArgumentException("replay of " + journal + ", this engine's own journal: its messages " +
                "were delivered when they were published, and recovery delivers what was not settled; replay " +
                "another engine's journal");
        }
        journalReplayed = true;
        final long deadline = System.nanoTime() + timeout.toNanos();
        final MessageRecord record = new MessageRecord(EngineLimits.MAX_DEPENDENCIES, EngineLimits.MAX_PAYLOAD);
        long fed = 0;
        long lastId = 0;
        try (JournalReader reader = new JournalReader(journal, EngineLimits.MAX_DEPENDENCIES, EngineLimits.MAX_PAYLOAD))
        {
            while (reader.next(record))
            {
                if (record.payloadLength() > context.payloadCapacity() ||
                    record.dependencyCount() > context.maxDependencies())
                {
                    throw new IllegalArgumentException("message " + record.id() + " of " + journal + " has a " +
                        record.payloadLength() + "-byte payload and " + record.dependencyCount() + " dependencies; " +
                        "this engine holds at most payload.capacity=" + context.payloadCapacity() +
                        " and dependencies.max=" + context.maxDependencies() + ": raise them to replay it");
                }
                if (!feedReplayed(record, deadline))
                {
                    throw new IllegalStateException("replay did not finish within " + timeout + ": " + fed +
                        " message(s) fed so far, settled up to " + counters.settledWatermark().get());
                }
                fed++;
                lastId = record.id();
            }
        }
        awaitSettled(lastId, deadline, timeout);
        return fed;
    }

    private void awaitSettled(final long id, final long deadline, final Duration timeout)
    {
        while (counters.settledWatermark().get() < id)
        {
            gate.throwIfFailed();
            if (System.nanoTime() - deadline >= 0)
            {
                throw new IllegalStateException("replayed messages were not settled within " + timeout + ": settled " +
                    "up to " + counters.settledWatermark().get() + " of " + id);
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /**
     * @return journaled messages that were not settled (delivered or dead-lettered for every subscriber) before this
     *     engine started: delivered again on start, before anything new; 0 after a clean close.
     */
    public long recoveredMessages()
    {
        return recovered;
    }

    /**
     * @return the settled watermark, as last persisted: every journaled message with an id at or below it was
     *     delivered or dead-lettered for every subscriber it was routed to. After {@link #close()} it is the last
     *     journaled id.
     */
    public long settledWatermark()
    {
        return counters.settledWatermark().get();
    }

    /** @return recovered messages that have since been settled (delivered again, or dead-lettered). */
    public long recoveredSettled()
    {
        return counters.recoveredSettled().get();
    }

    /**
     * @return the highest message id acknowledged: journaled, and as durable as the journal's policy promises.
     */
    public long acknowledgedId()
    {
        return counters.acknowledgedId();
    }

    /**
     * Waits until a published message is acknowledged: appended to the journal and, with the {@code sync} policy,
     * msync'ed. {@code publish} returns earlier, when the message is accepted into the ring. Never waits without end:
     * it returns, or throws because the message can never be acknowledged.
     *
     * @param id a message id returned by a publish.
     * @throws JournalFailedException   when the journal failed before acknowledging it.
     * @throws IllegalArgumentException when no publish has returned this id yet, or its publish was refused (threw)
     *                                  in this engine (the newest 4,096 refusals are remembered, none from before a
     *                                  restart: such an id below the watermark reads as acknowledged).
     * @throws IllegalStateException    when the engine closed without acknowledging it, or when called from inside a
     *                                  handler on the thread that would journal it.
     */
    public void awaitAcknowledged(final long id)
    {
        awaitAcknowledged(id, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /**
     * Waits at most {@code timeout} until a published message is acknowledged, as {@link #awaitAcknowledged(long)}.
     *
     * @param id      a message id returned by a publish.
     * @param timeout how long to wait at most.
     * @param unit    its unit.
     * @return true once acknowledged, false when the timeout passed first.
     * @throws JournalFailedException   when the journal failed before acknowledging it.
     * @throws IllegalArgumentException when no publish has returned this id yet, or its publish was refused (threw)
     *                                  in this engine (the newest 4,096 refusals are remembered, none from before a
     *                                  restart: such an id below the watermark reads as acknowledged).
     * @throws IllegalStateException    when the engine closed without acknowledging it, or when called from inside a
     *                                  handler on the thread that would journal it.
     */
    public boolean awaitAcknowledged(final long id, final long timeout, final TimeUnit unit)
    {
        if (id < 1)
        {
            throw new IllegalArgumentException("message " + id + " was never published: message ids start at 1");
        }
        if (id > gate.idOf(ring.getCursor()))
        {
            throw new IllegalArgumentException("message " + id + " was never published: the highest id handed out is " +
                gate.idOf(ring.getCursor()));
        }
        final long deadline = System.nanoTime() + Math.min(unit.toNanos(timeout), Long.MAX_VALUE / 2);
        int spins = 0;
        // a refused publish leaves its id below the watermark once a later message is acknowledged: ask first
        throwIfRefused(id);
        if (counters.acknowledgedId() < id && PipelineThreads.isJournaling())
        {
            throw new IllegalStateException("awaitAcknowledged(" + id + ") from inside a handler would wait for the " +
                "thread it runs on, which journals the message only after the handler returns: use acknowledgedId(), " +
                "or wait from another thread");
        }
        while (counters.acknowledgedId() < id)
        {
            throwIfRefused(id);
            gate.throwIfFailed();
            if (gate.isClosed() && pipeline.isStopped() && counters.acknowledgedId() < id)
            {
                throw new IllegalStateException("engine closed without acknowledging message " + id +
                    " (acknowledged up to " + counters.acknowledgedId() + ")");
            }
            if (System.nanoTime() - deadline >= 0)
            {
                return false;
            }
            if (++spins < 100)
            {
                Thread.onSpinWait();
            }
            else
            {
                LockSupport.parkNanos(1_000);
            }
        }
        return true;
    }

    private void throwIfRefused(final long id)
    {
        if (gate.wasRefused(id))
        {
            throw new IllegalArgumentException("message " + id + " was never published: its publish was refused " +
                "(it threw) after taking the id, so it is never journaled");
        }
    }

    /**
     * @param deadline when to give up, {@link Long#MAX_VALUE} for never.
     * @return a claimed ring slot; -1 when the ring stayed full until the deadline (the pipeline frees its slots a
     *     batch at a time, so a blocking claim could wait for a ring's worth of slow handlers). An engine that failed or
     *     closed meanwhile ends the wait with an exception: a closed engine's halted pipeline may free a slot, but
     *     nothing would deliver it.
     */
    private long claimBefore(final long deadline)
    {
        while (true)
        {
            try
            {
                return ring.tryNext();
            }
            catch (final InsufficientCapacityException full)
            {
                gate.throwIfFailed();
                refuseWhenClosed();
                if (Long.MAX_VALUE != deadline && System.nanoTime() - deadline >= 0)
                {
                    return -1;
                }
                LockSupport.parkNanos(50_000);
            }
        }
    }

    /** @return the monotonic deadline target, never 0, which means none. */
    private static long nonZero(final long nanoTime)
    {
        return 0 == nanoTime ? 1 : nanoTime;
    }

    private void enqueueFromJournal(final MessageRecord record, final Recovery recovery)
    {
        enqueueFromJournal(record, recovery, ring.next());
    }

    private void enqueueFromJournal(final MessageRecord record, final Recovery recovery, final long sequence)
    {
        final MessageEvent event = ring.get(sequence);
        event.record().copyFrom(record);
        event.fromJournal(true);
        event.recovery(recovery);
        event.deadlineBudgetNanos(0);
        final long now = System.nanoTime();
        // the monotonic target fixed at publish did not outlive that process: a message delivered again is judged by
        // the wall-clock deadline its record holds; a replayed one's is not judged again
        final long deadline = Recovery.UNSETTLED == recovery ? record.deadlineEpochNanos() : 0;
        event.deadlineNanoTime(0 == deadline ? 0 : nonZero(now + (deadline - context.wallClock().epochNanos())));
        event.publishedNanos(now);
        event.valid(true);
        ring.publish(sequence);
    }

    /**
     * For the node layer, from the {@code subscribeFirst} of {@link #start(EngineConfiguration, Consumer)} only: the
     * messages {@code node} shipped here with origin ids at or below {@code originId} were journaled and settled
     * before this start, so cross-node dependencies on them are satisfied. Recovery finds such a floor itself for
     * each node with messages above the settled watermark; a node without any needs it from here (the node layer
     * knows where that node's stream resumes).
     *
     * @param node     the origin node, 1..65535.
     * @param originId the highest origin id of that node known settled, or any lower one.
     * @throws IllegalStateException once recovery has begun feeding the journal.
     */
    public void originFloor(final int node, final long originId)
    {
        if (recoveryFeeding)
        {
            throw new IllegalStateException("origin floors are given before recovery feeds the journal: from " +
                "subscribeFirst");
        }
        sequencer.originFloor(node, originId);
    }

    /**
     * For the node layer, from the {@code subscribeFirst} of {@link #start(EngineConfiguration, Consumer)} only: what
     * the settlement log said when this engine started, as recovery read it (the watermark, and the dead ids as far
     * back as {@code dependencies.window}).
     *
     * @return the settled state at start.
     * @throws IllegalStateException outside {@code subscribeFirst}.
     */
    public SettledState settledAtStart()
    {
        if (null == settledAtStart)
        {
            throw new IllegalStateException("the settled state at start is given to subscribeFirst only");
        }
        return settledAtStart;
    }

    /**
     * For the node layer, from the {@code subscribeFirst} of {@link #start(EngineConfiguration, Consumer)} only, after
     * {@link #originFloor} for that node: the message {@code node} shipped here as {@code originId}, at or below the
     * settled watermark, was delivered to none of its subscribers, so cross-node dependents of it are dead-lettered
     * after a restart as local ones are.
     *
     * @param node     the origin node, 1..65535.
     * @param originId the id it gave the message.
     * @throws IllegalStateException once recovery has begun feeding the journal.
     */
    public void originDead(final int node, final long originId)
    {
        if (recoveryFeeding)
        {
            throw new IllegalStateException("dead origins are given before recovery feeds the journal: from " +
                "subscribeFirst");
        }
        sequencer.originDeadBeforeStart(node, originId);
    }

    /**
     * @param sourceId the id of the component publishing through it.
     * @return a new publisher, for use by one thread.
     */
    public Publisher newPublisher(final int sourceId)
    {
        refuseWhenClosed();
        if (replaying)
        {
            throw new IllegalStateException("an engine that replays journaled messages cannot have publishers");
        }
        final RingPublisher publisher = new RingPublisher(gate, ring, sourceId, context.maxDependencies());
        publishers.add(publisher);
        return publisher;
    }

    /**
     * A publisher for messages shipped from another node: it is never paused for a slow peer, and stamps each
     * message's origin ({@link RingPublisher#remoteOrigin}).
     *
     * @param sourceId the source component id the shipped messages carry.
     * @return a new publisher, for use by one thread.
     */
    public RingPublisher newReceivingPublisher(final int sourceId)
    {
        return ((RingPublisher)newPublisher(sourceId)).exemptFromPause();
    }

    /**
     * Keeps journal retention from deleting messages above an id that is not the settled watermark: a node's peers
     * may still need this node's messages shipped again from its journal. A node's engine (node.id set) starts with
     * {@link RetentionHold#untilNodeStarts}: nothing is deleted until its node replaces it.
     *
     * @param hold the highest id retention may delete through (it also stays at or below the settled watermark), and
     *             what keeps it there.
     */
    public void holdRetention(final RetentionHold hold)
    {
        this.retentionHold = hold;
    }

    /**
     * Pauses or resumes application publishers, for a node whose peer lags too far behind (peer.lag-policy=block).
     *
     * @param paused true to pause.
     */
    public void pausePublishers(final boolean paused)
    {
        gate.pause(paused);
    }

    /** @return true while application publishers are paused ({@link #pausePublishers}). */
    public boolean publishersPaused()
    {
        return gate.isPaused();
    }

    /**
     * Subscribes a handler to a message type; it sees every message of that type published after this returns.
     *
     * @param type    the message type.
     * @param handler the handler, invoked on the delivery thread.
     * @return the subscription; close it to unsubscribe.
     */
    public Subscription subscribe(final int type, final MessageHandler handler)
    {
        return subscribe(type, handler, null);
    }

    /**
     * Subscribes a handler with guaranteed delivery: a failure is retried as the policy says, then dead-lettered.
     *
     * @param type        the message type.
     * @param handler     the handler, invoked on the delivery thread.
     * @param retryPolicy how failures are retried, or null for none (failures are then counted and logged).
     * @return the subscription; close it to unsubscribe. Its dead letters name {@link #subscriberId(Subscription)}.
     */
    public Subscription subscribe(final int type, final MessageHandler handler, final RetryPolicy retryPolicy)
    {
        Objects.requireNonNull(handler, "handler: subscribe needs a handler");
        refuseWhenClosed();
        gate.checkType(type);
        final int id = subscriberIds.incrementAndGet();
        final Subscriber subscriber = new Subscriber(id, type, null == tracer ? handler : tracer.wrap(handler, id),
            retryPolicy, routes);
        routes.add(subscriber);
        return subscriber;
    }

    /**
     * @param subscription a subscription of this engine.
     * @return the id its dead letters carry.
     */
    public static int subscriberId(final Subscription subscription)
    {
        return ((Subscriber)subscription).id();
    }

    /**
     * Subscribes to dead letters: messages that could not be delivered (dependency timeout, expired, retries
     * exhausted, ...), after they are journaled in the dead-letter queue.
     *
     * @param handler invoked on the delivery thread.
     */
    public void subscribeDeadLetters(final DeadLetterHandler handler)
    {
        Objects.requireNonNull(handler, "handler: subscribeDeadLetters needs a handler");
        refuseWhenClosed();
        deadLetters.subscribe(handler);
    }

    /**
     * @return the temporal health counters: held, deadline misses, dead letters by reason, retries, causality
     *     violations, coherence.
     */
    public TemporalCounters temporal()
    {
        return temporal;
    }

    /**
     * Subscribes to decoded objects of a type through its registered codec (the convenient path; decoding
     * allocates as the codec does).
     *
     * @param type     the message type.
     * @param handler  receives each decoded message.
     * @param <T>      the message class.
     * @return the subscription; close it to unsubscribe.
     */
    @SuppressWarnings("unchecked")
    public <T> Subscription subscribeObjects(final int type, final Consumer<T> handler)
    {
        Objects.requireNonNull(handler, "handler: subscribeObjects needs a handler");
        refuseWhenClosed();
        final MessageCodec<T> codec = (MessageCodec<T>)gate.codec(type);
        return subscribe(type, message -> handler.accept(codec.decode(message.payload())));
    }

    /**
     * @return a snapshot of the counters and latencies.
     */
    public EngineStats stats()
    {
        final long elapsed = System.nanoTime() - startNanos;
        // what happened to messages is read before how many were published: delivered + dropped <= published holds
        final long delivered = counters.delivered().get();
        final long dropped = counters.dropped().get();
        final long unrouted = counters.unrouted().get();
        final long published = published();
        final Map<Stage, LatencySummary> stages = new EnumMap<>(Stage.class);
        for (final Stage stage : Stage.values())
        {
            stages.put(stage, LatencySummary.of(counters.stage(stage).cumulative()));
        }
        return new EngineStats(context.profile(), published, delivered, dropped, rejected(),
            backpressureEvents(), counters.handlerFailures().get(), unrouted, activeSubscriptions(),
            counters.orderViolations().get(), clockOffsetRejections(), elapsed,
            delivered / Math.max(1e-9, elapsed / 1e9), LatencySummary.of(counters.endToEnd().cumulative()), stages,
            temporalStats());
    }

    private TemporalStats temporalStats()
    {
        final Map<DeadLetterReason, Long> deadLetterCounts = new EnumMap<>(DeadLetterReason.class);
        for (final DeadLetterReason reason : DeadLetterReason.values())
        {
            deadLetterCounts.put(reason, temporal.deadLetters(reason));
        }
        return new TemporalStats(temporal.heldTotalCount(), temporal.held(),
            temporal.oldestHeldAgeNanos(wallNowForReports()), temporal.deadlineMisses(),
            LatencySummary.of(temporal.lateness().cumulative()), temporal.deadLetters(DeadLetterReason.EXPIRED),
            deadLetterCounts, temporal.retries().get(), temporal.causalityViolations().get(), temporal.coherence(),
            clockOffsetRejections(), clockJumpsForward(), clockJumpsBackward(), hlcLogicalCarries());
    }

    /** @return the settings this engine runs with. */
    public EngineConfiguration context()
    {
        return context;
    }

    /** @return how the pipeline threads are laid out on this host, and why that differs from the settings if it does. */
    public LayoutPlan layoutPlan()
    {
        return plan;
    }

    /**
     * Pins the calling thread (a publishing thread) to the CPU the settings give publishers
     * ({@code threads.publisher-cpu}), if any. Call it on the publishing thread before it publishes.
     *
     * @return the CPU the thread is pinned to, or {@link ThreadPinner#NO_CPU} when it floats.
     */
    public int pinPublisherThread()
    {
        return ThreadPinner.pin("publisher " + Thread.currentThread().getName(), plan.publisherCpu());
    }

    /**
     * Validates the settings and fits the requested thread layout to the host, as {@link #start} does first; call it
     * to fail fast before doing anything else. A fallback is logged once per JVM and fallback (an application that
     * starts engines repeatedly with the same settings is told once, not each time).
     *
     * @param context the settings.
     * @return the plan the engine will run.
     * @throws ConfigurationException for bad settings, or a needed fallback with {@code layout.fallback=refuse}.
     */
    public static LayoutPlan plan(final EngineConfiguration context)
    {
        final LayoutPlan plan = LayoutPlanner.plan(context, null == context.host() ? HostCpusReader.local() :
            context.host());
        if (plan.fellBack())
        {
            if (!context.layoutFallbackAllowed())
            {
                throw new ConfigurationException(plan.refusal(), Settings.LAYOUT_FALLBACK.name(), (Throwable)null);
            }
            if (FALLBACKS_WARNED.add(plan.warning()))
            {
                LOG.warn(plan.warning());
            }
        }
        return plan;
    }

    /** @return the pipeline's thread groups: names and CPUs. */
    public List<StageGroup> threads()
    {
        return pipeline.groups();
    }

    /** @return ring slots free right now. */
    public long remainingCapacity()
    {
        return pipeline.remainingCapacity();
    }

    /** @return the pipeline's counters and latency recorders: one writer each, read by anyone (metrics, stats). */
    public PipelineCounters counters()
    {
        return counters;
    }

    /** @return messages accepted by publish, all publishers together, and those fed by a replay. */
    public long published()
    {
        return sumOverPublishers(Publisher::published) + replayed.get();
    }

    /**
     * @return messages published as this node's own, all publishers together: those not marked as another node's
     *     ({@link Publisher#remoteTimestamp}, {@link RingPublisher#remoteOrigin}), the ones a node ships.
     */
    public long publishedOwn()
    {
        return sumOverPublishers(RingPublisher::publishedOwn);
    }

    /** @return times a publisher found the ring full, all publishers together. */
    public long backpressureEvents()
    {
        return sumOverPublishers(Publisher::backpressureEvents);
    }

    /**
     * @return the id of the last message published as this node's own in this run (not marked as another node's),
     *     all publishers together; 0 when none. Known before that message can be journaled.
     */
    public long lastOwnPublishedId()
    {
        long last = 0;
        for (final RingPublisher publisher : publishers)
        {
            last = Math.max(last, publisher.lastOwnId());
        }
        return last;
    }

    /** @return publishes that met a node's pause for a lagging peer, all publishers together. */
    public long pauseEvents()
    {
        return sumOverPublishers(RingPublisher::pauseEvents);
    }

    /** @return publishes refused whole, all publishers together. */
    public long rejected()
    {
        return sumOverPublishers(Publisher::rejected);
    }

    private long sumOverPublishers(final ToLongFunction<RingPublisher> count)
    {
        long sum = 0;
        for (final RingPublisher publisher : publishers)
        {
            sum += count.applyAsLong(publisher);
        }
        return sum;
    }

    /** @return subscriptions open now. */
    public int activeSubscriptions()
    {
        return routes.activeSubscriptions();
    }

    /** @return remote HLC timestamps rejected as too far ahead, at publish or by the journal stage. */
    public long clockOffsetRejections()
    {
        return clock.offsetRejections() + gate.remoteRejections();
    }

    /** @return forward steps of the wall clock the HLC detected. */
    public long clockJumpsForward()
    {
        return clock.forwardJumps();
    }

    /** @return backward steps of the wall clock the HLC detected. */
    public long clockJumpsBackward()
    {
        return clock.backwardJumps();
    }

    @Override
    public long hlcLogicalCarries()
    {
        return clock.logicalOverflows();
    }

    /** @return the wall component of the HLC's last stamp (the journal stage's), epoch nanoseconds. */
    public long hlcStampedWall()
    {
        return clock.stampedWall();
    }

    @Override
    public long wallNowForReports()
    {
        try
        {
            return context.wallClock().epochNanos();
        }
        catch (final RuntimeException | StackOverflowError ex)
        {
            return clock.stampedWall();
        }
    }

    /** @return journal retention: what it deleted, and whether an unsettled message keeps it from deleting. */
    public RetentionWorker retention()
    {
        return retention;
    }

    /** @return the performance monitor: target breaches, the last interval, flow anomalies when tracing is on. */
    public PerformanceMonitor monitor()
    {
        return monitor;
    }

    /** @return the metrics this engine serves ({@code metrics.port}), or null when it serves none. */
    public EngineMetrics metrics()
    {
        return metrics;
    }

    /**
     * Stops accepting publishes, waits until every accepted message is journaled and delivered, closes the journal
     * and stops every pipeline thread. Publishers still running get {@link IllegalStateException}. A close while
     * another is under way returns once that one has finished.
     *
     * @throws IllegalStateException from inside a handler: the drain would wait for the handler's own thread.
     */
    @Override
    public void close()
    {
        if (PipelineThreads.isCurrent())
        {
            throw new IllegalStateException("close() from inside a handler would wait for the pipeline thread it " +
                "runs on to drain: close the engine from another thread");
        }
        if (!started)
        {
            // half built: what close would stop may not exist yet, and the start would go on after it
            throw new IllegalStateException("close() while the engine is still starting (from its subscribeFirst, or " +
                "from another thread before start returned): close it once start has returned, or throw from " +
                "subscribeFirst to make the start fail");
        }
        if (!closing.compareAndSet(false, true))
        {
            awaitClosed();
            return;
        }
        try
        {
            closeOnce();
        }
        finally
        {
            closed.countDown();
        }
    }

    /**
     * Waits for the publishes (and a replay) that passed the gate before it closed to publish their slots, so that the
     * drain sees them: one that claimed its slot after the pipeline stopped would return an id never journaled (or a
     * replay return as if fed). Bounded by the drain timeout (a payload writer that blocks); a publish still under way
     * then is named.
     */
    private void awaitPublishesUnderWay(final long timeoutNanos)
    {
        final long deadline = System.nanoTime() + timeoutNanos;
        for (final RingPublisher publisher : publishers)
        {
            awaitUnderWay(publisher::isPublishing, "a publish of source " + publisher.source(), deadline,
                timeoutNanos);
        }
        awaitUnderWay(() -> replayUnderWay, "a replay", deadline, timeoutNanos);
    }

    private static void awaitUnderWay(final BooleanSupplier underWay, final String what, final long deadline,
        final long timeoutNanos)
    {
        while (underWay.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                LOG.error("{} was still under way when the close's drain timeout ({} ms, close.drain-timeout-ms) ran " +
                    "out; if it returns normally, that message may not be journaled or delivered", what,
                    TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
                return;
            }
            LockSupport.parkNanos(PUBLISH_WAIT_NANOS);
        }
    }

    /** Bounded: the close under way drains for at most its drain timeout. */
    private void awaitClosed()
    {
        boolean interrupted = false;
        while (true)
        {
            try
            {
                closed.await();
                break;
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void closeOnce()
    {
        gate.close();
        awaitPublishesUnderWay(context.closeDrainTimeoutNanos());
        final long drainMillis = TimeUnit.NANOSECONDS.toMillis(context.closeDrainTimeoutNanos());
        if (pipeline.drainAndStop(drainMillis))
        {
            routes.closeAll();
        }
        else
        {
            // subscriptions stay open: a retry still running on the halted thread must not find its subscriber
            // closed, which would count the messages queued behind it as settled without delivering them
            final long acknowledged = counters.acknowledgedId();
            final long lastAccepted = gate.idOf(ring.getCursor());
            LOG.error("pipeline did not drain within {} ms (close.drain-timeout-ms); threads halted with messages " +
                "in flight: those journaled (ids up to {}) and not yet delivered stay unsettled for the next start; " +
                "{}", drainMillis, acknowledged, lastAccepted > acknowledged ? "the " + (lastAccepted - acknowledged) +
                " accepted after them (ids " + (acknowledged + 1) + " to " + lastAccepted + ") were not acknowledged " +
                "and are lost unless the next start recovers them" : "none was accepted after them");
        }
        retention.close();
        blockMapper.close();
        if (null != monitor)
        {
            monitor.close();
        }
        if (null != metrics)
        {
            metrics.close();
        }
        if (pipeline.threadsStopped())
        {
            lock.close();
        }
        else
        {
            // a handler that does not return holds a halted thread, which writes the folder when it does: no other
            // engine may have it before then
            LOG.error("a halted pipeline thread is still in a handler; the journal folder {} stays locked until it " +
                "returns", context.journalDir());
            pipeline.whenThreadsStopped(lock::close);
        }
        LOG.info("ChronoFabric closed: {}", stats());
    }

    /** @return true once {@link #close()} has begun: publishes are refused from then on. */
    public boolean isClosed()
    {
        return gate.isClosed();
    }



    private void refuseWhenClosed()
    {
        if (gate.isClosed())
        {
            throw new IllegalStateException("engine is closed");
        }
    }

    /** @return the fault that made this engine refuse publishes, or null while it is healthy. */
    public Throwable failure()
    {
        return counters.failure();
    }

    /**
     * Throws what a publish would now throw for a failure: one line that says what failed and up to which id messages
     * are acknowledged; nothing while the engine has not failed (closed or not).
     *
     * @throws io.chronofabric.engine.api.JournalFailedException when the journal failed.
     * @throws io.chronofabric.engine.api.EngineFailedException  when a stage did.
     */
    public void throwIfFailed()
    {
        gate.throwIfFailed();
    }








}
