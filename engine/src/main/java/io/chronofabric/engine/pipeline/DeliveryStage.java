package io.chronofabric.engine.pipeline;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.lmax.disruptor.EventHandler;
import io.chronofabric.engine.Stage;
import io.chronofabric.engine.temporal.IdWindow;
import io.chronofabric.engine.temporal.TemporalCounters;
import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.TraceLayout;
import io.chronofabric.journal.TraceWriter;

/**
 * Stage 4, delivery: hands each released message to every subscriber of its type, in subscription order, through
 * the {@link SubscriberAttempts} (deadlines, failures, retries, dead letters), then records the publish-to-deliver
 * latency and appends the stage timestamps to the latency trace (flushed once per batch; it is also the delivered
 * watermark recovery starts from). A message the sequencer dead-lettered is journaled as a dead letter instead.
 *
 * <p>It checks causality against what it actually delivered: every dependency must have been delivered before,
 * otherwise {@code causality_violations} counts it (the sequencer makes that 0). While a dependency is still being
 * retried for some subscriber, its dependents wait here ("parked"), in order, bounded by the retry policy's timeout.
 * The retry and park paths copy messages (and so allocate); the common path does not.
 */
public final class DeliveryStage implements EventHandler<MessageEvent>
{
    private final PipelineCounters counters;
    private final TemporalCounters temporal;
    private final TraceWriter trace;
    private final DeadLetterPath deadLetters;
    private final SubscriberAttempts attempts;
    private final IdWindow delivered;
    private final IdWindow expired;
    private final RoutingTable routes;
    private final Map<Long, Integer> unsettled = new HashMap<>();
    private final ArrayDeque<MessageEvent> parked = new ArrayDeque<>();
    private final Set<Long> parkedIds = new HashSet<>();

    /**
     * @param counters    the engine's counters.
     * @param temporal    the temporal health counters.
     * @param trace       the latency trace, owned by this stage from now on.
     * @param deadLetters the dead-letter path, owned by this stage from now on.
     * @param attempts    invokes subscribers and runs their retries.
     * @param delivered   ids delivered so far (its floor: those delivered before this engine started).
     * @param routes      the routing table, whose dispatch gate unsubscribes wait on.
     */
    public DeliveryStage(final PipelineCounters counters, final TemporalCounters temporal, final TraceWriter trace,
        final DeadLetterPath deadLetters, final SubscriberAttempts attempts, final IdWindow delivered,
        final RoutingTable routes)
    {
        this.routes = routes;
        this.counters = counters;
        this.temporal = temporal;
        this.trace = trace;
        this.deadLetters = deadLetters;
        this.attempts = attempts;
        this.delivered = delivered;
        this.expired = new IdWindow((int)delivered.capacity(), 0);
        attempts.onSettled(this::settled);
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
        routes.beginDispatch();
        try
        {
            attempts.runDueRetries(System.nanoTime());
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

    @Override
    public void onStart()
    {
        routes.deliveryThread(Thread.currentThread());
    }

    private void deliverGated(final MessageEvent message)
    {
        attempts.runDueRetriesIfAny();
        if (null != message.deadLetterReason())
        {
            deadLetters.deadLetter(message, DeadLetterJournal.WHOLE_MESSAGE, message.deadLetterReason(), 0);
            counters.dropped().increment();
            return;
        }
        if (dependsOnExpired(message))
        {
            expired.mark(message.id());
            deadLetters.deadLetter(message, DeadLetterJournal.WHOLE_MESSAGE, DeadLetterReason.DEPENDENCY_DEAD_LETTERED, 0);
            counters.dropped().increment();
            return;
        }
        if (mustWait(message))
        {
            final MessageEvent copy = SubscriberAttempts.copyOf(message);
            parked.addLast(copy);
            parkedIds.add(copy.id());
            return;
        }
        dispatch(message);
    }

    /** Flushes the trace batch; called at the end of each batch. */
    public void endOfBatch()
    {
        trace.flush();
    }

    private void dispatch(final MessageEvent message)
    {
        boolean causal = true;
        for (int i = 0, n = message.dependencyCount(); i < n; i++)
        {
            if (!delivered.isMarked(message.dependency(i)))
            {
                causal = false;
            }
        }
        if (!causal)
        {
            temporal.causalityViolations().increment();
        }
        final int pending = attempts.deliver(message, causal);
        if (attempts.expiredForAll())
        {
            expired.mark(message.id());
        }
        if (0 == pending)
        {
            delivered.mark(message.id());
        }
        else
        {
            unsettled.put(message.id(), pending);
        }
        record(message, message.route().length);
    }

    private void record(final MessageEvent message, final int subscribers)
    {
        if (0 == subscribers)
        {
            counters.unrouted().increment();
        }
        final long now = System.nanoTime();
        counters.endToEnd().record(now - message.publishedNanos());
        counters.stage(Stage.JOURNAL).record(message.journaledNanos() - message.publishedNanos());
        counters.stage(Stage.SEQUENCER).record(message.sequencedNanos() - message.journaledNanos());
        counters.stage(Stage.ROUTER).record(message.routedNanos() - message.sequencedNanos());
        counters.stage(Stage.DELIVERY).record(now - message.routedNanos());
        trace.add(message.id(), message.publishedNanos(), message.journaledNanos(), message.sequencedNanos(),
            message.routedNanos(), now, message.isFromJournal() ? TraceLayout.FLAG_REDELIVERED : 0, subscribers);
        counters.delivered().increment();
    }

    /** A message that expired for every subscriber was never delivered: its dependents cannot be either. */
    private boolean dependsOnExpired(final MessageEvent message)
    {
        for (int i = 0, n = message.dependencyCount(); i < n; i++)
        {
            final long dependency = message.dependency(i);
            if (!expired.isTooOld(dependency) && expired.isMarked(dependency))
            {
                return true;
            }
        }
        return false;
    }

    private boolean mustWait(final MessageEvent message)
    {
        if (unsettled.isEmpty() && parked.isEmpty())
        {
            return false;
        }
        for (int i = 0, n = message.dependencyCount(); i < n; i++)
        {
            final Long dependency = message.dependency(i);
            if (unsettled.containsKey(dependency) || parkedIds.contains(dependency))
            {
                return true;
            }
        }
        return false;
    }

    /** A subscriber finished with a message (delivered, or dead-lettered for it). */
    private void settled(final long id)
    {
        final Integer left = unsettled.get(id);
        if (null == left)
        {
            return;
        }
        if (1 < left)
        {
            unsettled.put(id, left - 1);
            return;
        }
        unsettled.remove(id);
        delivered.mark(id);
        for (int i = parked.size(); i > 0; i--)
        {
            final MessageEvent waiting = parked.pollFirst();
            parkedIds.remove(waiting.id());
            if (mustWait(waiting))
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
            attempts.finishRetries();
        }
        finally
        {
            routes.endDispatch();
        }
        trace.close();
        deadLetters.close();
    }
}
