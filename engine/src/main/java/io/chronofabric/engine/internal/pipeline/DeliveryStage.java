package io.chronofabric.engine.internal.pipeline;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.lmax.disruptor.EventHandler;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import io.chronofabric.engine.api.Stage;
import io.chronofabric.engine.internal.clock.MonotonicClock;
import io.chronofabric.engine.internal.sequencing.IdWindow;
import io.chronofabric.engine.internal.sequencing.OriginWindows;
import io.chronofabric.engine.internal.sequencing.TemporalCounters;
import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.RecordLayout;
import io.chronofabric.journal.TraceLayout;
import io.chronofabric.journal.SettledState;
import io.chronofabric.journal.SettlementSink;
import io.chronofabric.journal.TraceSink;
import io.chronofabric.engine.internal.event.LatencyRecorder;
import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.event.PipelineCounters;
import io.chronofabric.engine.internal.event.Recovery;
import io.chronofabric.engine.internal.event.RoutingTable;
import io.chronofabric.engine.internal.event.SingleWriterCounter;

/**
 * Stage 4, delivery: hands each released message to every subscriber of its type, in subscription order, through
 * the {@link SubscriberAttempts} (deadlines, failures, retries, dead letters), then records the publish-to-deliver
 * latency, the four per-stage latencies ({@code latency.stages.enabled}) and appends the stage timestamps to the
 * latency trace ({@code latency.trace.enabled}); with either off, its per-message work is skipped on one branch. A
 * message the sequencer dead-lettered is journaled as a dead letter instead.
 *
 * <p>A message is <em>settled</em> once it is delivered or dead-lettered for every subscriber it was routed to; the
 * {@link SettlementTracker} persists the settled watermark at the end of each batch, and recovery delivers again
 * exactly what was not settled. A message delivered to none of its subscribers (dead-lettered whole, or for each of
 * them: expired, retries exhausted or timed out, retry queue full) is <em>dead</em>: its dependents are
 * dead-lettered whole ({@code dependency_dead_lettered}), transitively, never delivered.
 *
 * <p>It checks causality against what it actually delivered: every dependency must have been delivered before,
 * otherwise {@code causality_violations} counts it. While a dependency is still unsettled for some subscriber (being
 * retried), its dependents wait here ("parked"), in order, at most {@code dependents.queue-limit} of them (beyond it
 * a dependent is dead-lettered, {@code dependent_queue_full}). A cross-node dependency is checked, waited for and
 * followed into the dead letters like a local one: a shipped message parked or pending here is remembered by its
 * origin until settled, and its origin marked dead when it reached none of its subscribers. The retry and park paths
 * copy messages (and so allocate); the common path does not.
 */
public final class DeliveryStage implements EventHandler<MessageEvent>
{
    private final PipelineCounters counters;
    private final LatencyRecorder endToEnd;
    private final LatencyRecorder journalLatency;
    private final LatencyRecorder sequencerLatency;
    private final LatencyRecorder routerLatency;
    private final LatencyRecorder deliveryLatency;
    private final TemporalCounters temporal;
    private final TraceSink trace;
    private final DeadLetterPath deadLetters;
    private final SubscriberAttempts attempts;
    private final SettlementTracker settlement;
    private final IdWindow delivered;
    private final IdWindow dead;
    /** Shipped messages parked or pending here, by their cross-node name: their local ids. */
    private final Map<Long, Long> heldByOrigin = new HashMap<>();
    /** The same messages' cross-node names, by local id. */
    private final Map<Long, Long> originOfHeld = new HashMap<>();
    private final OriginWindows deadOrigins;
    private final RoutingTable routes;
    private final MonotonicClock clock;
    private final Map<Long, Pending> unsettled = new HashMap<>();
    private final ArrayDeque<MessageEvent> parked = new ArrayDeque<>();
    private final Set<Long> parkedIds = new HashSet<>();
    /** Some message settled since the parked ones were last looked at. */
    private boolean parkedMayGo;
    private static final Logger LOG = LogManager.getLogger(DeliveryStage.class);
    private final int parkLimit;
    private final boolean recordStages;
    private final boolean traceOn;

    /** A message some subscribers still have to settle. */
    private static final class Pending
    {
        private final long previousId;
        private final boolean recovered;
        private int left;
        private boolean deliveredToAny;
        private boolean handedToAny;

        Pending(final long previousId, final boolean recovered, final int left, final boolean deliveredToAny,
            final boolean handedToAny)
        {
            this.previousId = previousId;
            this.recovered = recovered;
            this.left = left;
            this.deliveredToAny = deliveredToAny;
            this.handedToAny = handedToAny;
        }
    }

    /**
     * @param counters    the engine's counters.
     * @param temporal    the temporal health counters.
     * @param trace       the latency trace, owned by this stage from now on.
     * @param deadLetters the dead-letter path, owned by this stage from now on.
     * @param attempts    invokes subscribers and runs their retries.
     * @param settlements the settlement log, owned by this stage from now on.
     * @param recovered   what the settlement log said at start.
     * @param floor       ids at or below it count as settled: the recovered watermark, or where a replay starts.
     * @param window      ids tracked for dependencies ({@code dependencies.window}).
     * @param parkLimit   most dependents waiting for a dependency still being retried ({@code dependents.queue-limit}).
     * @param routes      the routing table, whose dispatch gate unsubscribes wait on.
     */
    public DeliveryStage(final PipelineCounters counters, final TemporalCounters temporal, final TraceSink trace,
        final DeadLetterPath deadLetters, final SubscriberAttempts attempts, final SettlementSink settlements,
        final SettledState recovered, final long floor, final int window, final int parkLimit,
        final RoutingTable routes)
    {
        this(counters, temporal, trace, deadLetters, attempts, settlements, recovered, floor, window, parkLimit, routes,
            MonotonicClock.SYSTEM);
    }

    /**
     * @param counters    the engine's counters.
     * @param temporal    the temporal health counters.
     * @param trace       the latency trace, owned by this stage from now on.
     * @param deadLetters the dead-letter path, owned by this stage from now on.
     * @param attempts    invokes subscribers and runs their retries.
     * @param settlements the settlement log, owned by this stage from now on.
     * @param recovered   what the settlement log said at start.
     * @param floor       ids at or below it count as settled: the recovered watermark, or where a replay starts.
     * @param window      ids tracked for dependencies ({@code dependencies.window}).
     * @param parkLimit   most dependents waiting for a dependency still being retried ({@code dependents.queue-limit}).
     * @param routes      the routing table, whose dispatch gate unsubscribes wait on.
     * @param clock       the monotonic clock: delivery times, and when retries are due on an idle tick.
     */
    public DeliveryStage(final PipelineCounters counters, final TemporalCounters temporal, final TraceSink trace,
        final DeadLetterPath deadLetters, final SubscriberAttempts attempts, final SettlementSink settlements,
        final SettledState recovered, final long floor, final int window, final int parkLimit,
        final RoutingTable routes, final MonotonicClock clock)
    {
        this(counters, temporal, trace, deadLetters, attempts, settlements, recovered, floor, window, parkLimit, routes,
            clock, true);
    }

    /**
     * As the constructor above, with the optional per-message costs chosen.
     *
     * @param counters     the engine's counters.
     * @param temporal     the temporal health counters.
     * @param trace        the latency trace, owned by this stage from now on; {@link TraceSink#NONE} when it is off.
     * @param deadLetters  the dead-letter path, owned by this stage from now on.
     * @param attempts     invokes subscribers and runs their retries.
     * @param settlements  the settlement log, owned by this stage from now on.
     * @param recovered    what the settlement log said at start.
     * @param floor        ids at or below it count as settled.
     * @param window       ids tracked for dependencies ({@code dependencies.window}).
     * @param parkLimit    most dependents waiting for a dependency still being retried.
     * @param routes       the routing table, whose dispatch gate unsubscribes wait on.
     * @param clock        the monotonic clock.
     * @param recordStages whether the four per-stage latencies are recorded ({@code latency.stages.enabled}); the
     *                     end-to-end latency always is.
     */
    public DeliveryStage(final PipelineCounters counters, final TemporalCounters temporal, final TraceSink trace,
        final DeadLetterPath deadLetters, final SubscriberAttempts attempts, final SettlementSink settlements,
        final SettledState recovered, final long floor, final int window, final int parkLimit,
        final RoutingTable routes, final MonotonicClock clock, final boolean recordStages)
    {
        this.recordStages = recordStages;
        this.traceOn = TraceSink.NONE != trace;
        this.clock = clock;
        this.parkLimit = parkLimit;
        this.routes = routes;
        this.counters = counters;
        this.endToEnd = counters.endToEnd();
        this.journalLatency = counters.stage(Stage.JOURNAL);
        this.sequencerLatency = counters.stage(Stage.SEQUENCER);
        this.routerLatency = counters.stage(Stage.ROUTER);
        this.deliveryLatency = counters.stage(Stage.DELIVERY);
        this.temporal = temporal;
        this.trace = trace;
        this.deadLetters = deadLetters;
        this.attempts = attempts;
        this.settlement = new SettlementTracker(settlements, recovered, floor, counters.settledWatermark(),
            counters::isStranded, deadLetters::sync, window);
        this.delivered = new IdWindow(window, floor);
        this.dead = new IdWindow(window, 0);
        this.deadOrigins = new OriginWindows(window);
        for (final long id : recovered.deadAtOrBelowWatermark())
        {
            dead.mark(id);
        }
        attempts.bind(new SubscriberAttempts.SettleListener()
        {
            @Override
            public void settled(final long id, final int subscriber, final boolean delivered, final boolean handed)
            {
                DeliveryStage.this.settled(id, subscriber, delivered, handed);
            }

            @Override
            public void settledAll()
            {
                dispatchParkedIfReleased();
            }
        }, settlement);
    }

    @Override
    public void onEvent(final MessageEvent event, final long sequence, final boolean endOfBatch)
    {
        deliver(event);
        if (endOfBatch)
        {
            endOfBatch();
        }
    }

    @Override
    public void onTimeout(final long sequence)
    {
        if (counters.halted())
        {
            return;
        }
        routes.beginDispatch();
        try
        {
            attempts.runDueRetries(clock.nanoTime());
        }
        finally
        {
            routes.endDispatch();
        }
        endOfBatch();
    }

    /**
     * Delivers one released message (or journals a dead-lettered one).
     *
     * @param message the message; copied if it must wait.
     */
    public void deliver(final MessageEvent message)
    {
        if (counters.halted())
        {
            return; // the close ran out of time: it stays unsettled, for the next start
        }
        routes.beginDispatch();
        try
        {
            deliverGated(message);
        }
        finally
        {
            routes.endDispatch();
        }
    }

    /**
     * On the delivery thread, before it takes any message and before the engine's start returns: prepares the first
     * writes of the latency trace and the settlement log (appenders, roll files, first pages) so that the first
     * batch does not pay for them. A failure here is only logged: the first real write meets it again.
     */
    @Override
    public void onStart()
    {
        routes.deliveryThread(Thread.currentThread());
        try
        {
            trace.prepare();
            settlement.prepare();
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("could not prepare the trace and settlement log at start: {}", ex.toString());
        }
    }

    private void deliverGated(final MessageEvent message)
    {
        attempts.runDueRetriesIfAny();
        if (Recovery.SETTLED == message.recovery() || Recovery.SETTLED_DEAD == message.recovery())
        {
            settle(message.id(), message.previousId(), Recovery.SETTLED_DEAD == message.recovery());
            return;
        }
        if (null != counters.failure() && !message.isFromJournal() && message.id() > counters.acknowledgedId())
        {
            // the engine failed (the journal, or another stage first) and its journal document was never committed:
            // never journaled, so never delivered
            countOutcome(message, counters.dropped());
            return;
        }
        final DeadLetterReason reason = null != message.deadLetterReason() ? message.deadLetterReason() :
            dependsOnDead(message) ? DeadLetterReason.DEPENDENCY_DEAD_LETTERED : null;
        if (null != reason)
        {
            deadLetterWhole(message, reason);
            return;
        }
        if (mustWait(message))
        {
            if (parked.size() >= parkLimit)
            {
                deadLetterWhole(message, DeadLetterReason.DEPENDENT_QUEUE_FULL);
                return;
            }
            rememberIfShipped(message);
            final MessageEvent copy = SubscriberAttempts.copyOf(message);
            parked.addLast(copy);
            parkedIds.add(copy.id());
            return;
        }
        dispatch(message);
    }

    private void deadLetterWhole(final MessageEvent message, final DeadLetterReason reason)
    {
        rememberIfShipped(message);
        deadLetters.deadLetter(message, DeadLetterJournal.WHOLE_MESSAGE, reason, 0);
        countOutcome(message, counters.dropped());
        settle(message.id(), message.previousId(), true);
    }

    /**
     * Flushes the trace batch, makes the batch's dead letters durable, then persists what the batch settled (in that
     * order: a message recorded as settled has its trace entry and dead letters on disk first); called at the end of
     * each batch.
     */
    public void endOfBatch()
    {
        flushLatencies();
        trace.flush();
        settlement.endOfBatch(); // the dead letters are synced before each settlement document
    }

    private void dispatch(final MessageEvent message)
    {
        boolean causal = true;
        for (int i = 0, n = message.dependencyCount(); i < n; i++)
        {
            final long dependency = message.dependency(i);
            if (RecordLayout.isRemoteDependency(dependency) ? isHeld(dependency) || deadOrigins.isDead(dependency) :
                !delivered.isMarked(dependency))
            {
                causal = false;
            }
        }
        if (!causal)
        {
            temporal.causalityViolations().increment();
        }
        final int pending = attempts.deliver(message, causal);
        final boolean noneOffered = 0 == attempts.offeredInLastDelivery();
        final boolean deliveredToAny = noneOffered || 0 < attempts.deliveredInLastDelivery();
        final boolean handedToAny = noneOffered || 0 < attempts.handedInLastDelivery();
        if (0 != pending || !deliveredToAny)
        {
            rememberIfShipped(message);
        }
        if (0 == pending)
        {
            settle(message.id(), message.previousId(), !deliveredToAny);
        }
        else
        {
            unsettled.put(message.id(), new Pending(message.previousId(), Recovery.UNSETTLED == message.recovery(),
                pending, deliveredToAny, handedToAny));
        }
        if (0 == pending)
        {
            // handed to no subscriber (expired for each, say): dropped; a pending one is counted when it settles.
            // Counted before the trace write: its handlers ran, and a full disk failing that write stops the engine
            countOutcome(message, handedToAny ? counters.delivered() : counters.dropped());
        }
        if (handedToAny)
        {
            // a message no handler saw (expired for each subscriber) was not delivered: no publish-to-deliver
            // latency, no trace entry (the trace holds delivered messages; its dead letters say what became of it)
            record(message, message.route().length);
        }
    }

    /** Makes the latencies this stage staged visible to readers: per batch, not per message. */
    private void flushLatencies()
    {
        endToEnd.flush();
        journalLatency.flush();
        sequencerLatency.flush();
        routerLatency.flush();
        deliveryLatency.flush();
    }

    private void settle(final long id, final long previousId, final boolean deadForAll)
    {
        (deadForAll ? dead : delivered).mark(id);
        if (!originOfHeld.isEmpty())
        {
            final Long name = originOfHeld.remove(id);
            if (null != name)
            {
                heldByOrigin.remove(name);
                if (deadForAll)
                {
                    deadOrigins.markDead(RecordLayout.remoteDependencyNode(name),
                        RecordLayout.remoteDependencyOriginId(name));
                }
            }
        }
        settlement.settled(id, previousId, deadForAll);
    }

    private void record(final MessageEvent message, final int subscribers)
    {
        if (0 == subscribers)
        {
            counters.unrouted().increment();
        }
        final long now = clock.nanoTime();
        // a message recovered or replayed from the journal was not published by this run: its latency would measure
        // from when it was fed again; the trace keeps it, flagged, and the journal tool leaves it out too
        final boolean redelivered = message.isFromJournal();
        if (!redelivered)
        {
            recordLatencies(message, now);
        }
        if (traceOn)
        {
            trace.add(message.id(), message.publishedNanos(), message.journaledNanos(), message.sequencedNanos(),
                message.routedNanos(), now, redelivered ? TraceLayout.FLAG_REDELIVERED : 0, subscribers);
        }
    }

    private void recordLatencies(final MessageEvent message, final long now)
    {
        endToEnd.stage(now - message.publishedNanos());
        if (recordStages)
        {
            journalLatency.stage(message.journaledNanos() - message.publishedNanos());
            sequencerLatency.stage(message.sequencedNanos() - message.journaledNanos());
            routerLatency.stage(message.routedNanos() - message.sequencedNanos());
            deliveryLatency.stage(now - message.routedNanos());
        }
    }

    /** Messages recovered at start are counted apart from those published by this engine. */
    private void countOutcome(final MessageEvent message, final SingleWriterCounter outcome)
    {
        (Recovery.UNSETTLED == message.recovery() ? counters.recoveredSettled() : outcome).increment();
    }

    /**
     * A message delivered to none of its subscribers can never be a satisfied dependency, whether named by its local
     * id or, shipped from another node, by its origin (a cross-node dependency).
     */
    private boolean dependsOnDead(final MessageEvent message)
    {
        for (int i = 0, n = message.dependencyCount(); i < n; i++)
        {
            final long dependency = message.dependency(i);
            if (RecordLayout.isRemoteDependency(dependency) ? deadOrigins.isDead(dependency) :
                !dead.isTooOld(dependency) && dead.isMarked(dependency))
            {
                return true;
            }
        }
        return false;
    }

    /** @return true while the shipped message a cross-node dependency names is parked or pending here. */
    private boolean isHeld(final long dependency)
    {
        // the map boxes its key: looked up only while it holds anything (a retry or a park is under way)
        return !heldByOrigin.isEmpty() && heldByOrigin.containsKey(dependency);
    }

    /**
     * A shipped message that is parked or left pending (being retried) can hold up a dependent that names it by its
     * origin, and one that ends dead takes it down: it is remembered by that name until it is settled. Off the common
     * path, where a message is settled at once.
     */
    private void rememberIfShipped(final MessageEvent message)
    {
        final long name = RecordLayout.crossNodeName(message.record());
        if (0 != name)
        {
            heldByOrigin.put(name, message.id());
            originOfHeld.put(message.id(), name);
        }
    }

    private boolean mustWait(final MessageEvent message)
    {
        if (unsettled.isEmpty() && parked.isEmpty())
        {
            return false;
        }
        for (int i = 0, n = message.dependencyCount(); i < n; i++)
        {
            final long dependency = message.dependency(i);
            if (RecordLayout.isRemoteDependency(dependency) ? isHeld(dependency) :
                unsettled.containsKey(dependency) || parkedIds.contains(dependency))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * A subscriber finished with a message it had left pending (delivered, or dead-lettered for it): recorded; its
     * parked dependents go on in {@link #dispatchParkedIfReleased()}.
     */
    private void settled(final long id, final int subscriber, final boolean deliveredToIt, final boolean handed)
    {
        final Pending pending = unsettled.get(id);
        if (null == pending)
        {
            return;
        }
        pending.deliveredToAny |= deliveredToIt;
        pending.handedToAny |= handed;
        if (0 < --pending.left)
        {
            settlement.partial(id, subscriber, deliveredToIt);
            return;
        }
        unsettled.remove(id);
        settle(id, pending.previousId, !pending.deliveredToAny);
        (pending.recovered ? counters.recoveredSettled() :
            pending.handedToAny ? counters.delivered() : counters.dropped()).increment();
        parkedMayGo = true;
    }

    /** Dispatches, or dead-letters, the parked messages that no longer wait, once a message they waited on settled. */
    private void dispatchParkedIfReleased()
    {
        if (!parkedMayGo)
        {
            return;
        }
        parkedMayGo = false;
        for (int i = parked.size(); i > 0; i--)
        {
            final MessageEvent waiting = parked.pollFirst();
            parkedIds.remove(waiting.id());
            if (dependsOnDead(waiting))
            {
                deadLetterWhole(waiting, DeadLetterReason.DEPENDENCY_DEAD_LETTERED);
            }
            else if (mustWait(waiting))
            {
                parked.addLast(waiting);
                parkedIds.add(waiting.id());
            }
            else
            {
                dispatch(waiting);
            }
        }
    }

    @Override
    public void onShutdown()
    {
        routes.beginDispatch();
        try
        {
            attempts.finishRetries(counters::halted);
        }
        finally
        {
            routes.endDispatch();
            flushLatencies();
        }
        // the settlement log's last document syncs the dead letters it records first: they close after it
        closeAll(trace, settlement::close, deadLetters::close);
    }

    /**
     * Closes each, even when one before it fails (a full disk): what can be closed is, and the first failure is
     * thrown.
     */
    private static void closeAll(final AutoCloseable... resources)
    {
        RuntimeException first = null;
        for (final AutoCloseable resource : resources)
        {
            try
            {
                resource.close();
            }
            catch (final Exception | Error ex)
            {
                if (null == first)
                {
                    first = ex instanceof RuntimeException ? (RuntimeException)ex : new IllegalStateException(ex);
                }
            }
        }
        if (null != first)
        {
            throw first;
        }
    }
}
