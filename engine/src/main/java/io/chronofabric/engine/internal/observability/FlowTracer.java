package io.chronofabric.engine.internal.observability;

import java.util.concurrent.atomic.AtomicLong;

import io.chronofabric.engine.api.DeadLetter;
import io.chronofabric.engine.api.DeadLetterHandler;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.Message;
import io.chronofabric.engine.api.MessageHandler;
import io.chronofabric.engine.api.Stage;
import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.event.MessageView;
import io.chronofabric.engine.internal.event.SingleWriterCounter;
import io.chronofabric.journal.DeadLetterJournal;

/**
 * Message flow tracing, on the delivery thread ({@code tracing.enabled=true}). The engine wraps each subscriber's
 * handler in a {@link TracedHandler} and subscribes this tracer to dead letters, so with tracing off nothing on the
 * pipeline changes at all. Per message it checks the hops the message carries (published, journaled, sequenced,
 * routed timestamps) and each subscriber's handler time against {@code tracing.slow-hop-us}, counts dead letters as
 * hops that end the flow, and publishes which message each handler is running since when, so that the
 * {@link StuckWatch} on the monitor thread can report a message stuck in delivery. Nothing here allocates or locks.
 */
public final class FlowTracer implements DeadLetterHandler
{
    private final long slowHopNanos;
    private final long stuckNanos;
    private final SingleWriterCounter[] counts =
        new SingleWriterCounter[AnomalyKind.values().length * Stage.values().length];
    private final AnomalyRing ring = new AnomalyRing();
    private final AtomicLong runningId = new AtomicLong();
    private final AtomicLong runningSubscriber = new AtomicLong();
    private final AtomicLong runningSince = new AtomicLong();
    private long lastCheckedId = -1;

    /** @param context the engine's settings: the stuck and slow-hop thresholds. */
    public FlowTracer(final EngineConfiguration context)
    {
        this.slowHopNanos = context.tracingSlowHopMicros() * 1_000L;
        this.stuckNanos = context.tracingStuckMillis() * 1_000_000L;
        for (int i = 0; i < counts.length; i++)
        {
            counts[i] = new SingleWriterCounter();
        }
    }

    /**
     * @param handler      a subscriber's handler.
     * @param subscriberId its subscriber id.
     * @return the handler, traced.
     */
    public MessageHandler wrap(final MessageHandler handler, final int subscriberId)
    {
        return new TracedHandler(handler, subscriberId, this);
    }

    /** Delivery thread: a handler is about to run; checks the message's hops the first time it is seen. */
    void beforeHandler(final Message message, final int subscriberId, final long now)
    {
        final long id = message.id();
        if (id != lastCheckedId && message instanceof MessageView)
        {
            lastCheckedId = id;
            final MessageEvent event = ((MessageView)message).event();
            hop(Stage.JOURNAL, id, event.journaledNanos() - event.publishedNanos());
            hop(Stage.SEQUENCER, id, event.sequencedNanos() - event.journaledNanos());
            hop(Stage.ROUTER, id, event.routedNanos() - event.sequencedNanos());
        }
        runningId.lazySet(id);
        runningSubscriber.lazySet(subscriberId);
        runningSince.lazySet(now);
    }

    /** Delivery thread: the handler returned (or threw). */
    void afterHandler(final Message message, final int subscriberId, final long started, final long now)
    {
        runningSince.lazySet(0);
        if (now - started > slowHopNanos)
        {
            record(AnomalyKind.SLOW_HOP, Stage.DELIVERY, message.id(), subscriberId, now - started);
        }
    }

    @Override
    public void onDeadLetter(final DeadLetter deadLetter)
    {
        final boolean whole = DeadLetterJournal.WHOLE_MESSAGE == deadLetter.subscriberId();
        counts[index(AnomalyKind.DEAD_LETTER, whole ? Stage.SEQUENCER : Stage.DELIVERY)].increment();
        ring.offer(AnomalyKind.DEAD_LETTER, whole ? Stage.SEQUENCER : Stage.DELIVERY, deadLetter.message().id(),
            deadLetter.subscriberId(), 0, deadLetter.reason());
    }

    private void hop(final Stage stage, final long id, final long nanos)
    {
        if (nanos > slowHopNanos)
        {
            record(AnomalyKind.SLOW_HOP, stage, id, -1, nanos);
        }
    }

    private void record(final AnomalyKind kind, final Stage stage, final long id, final int subscriber,
        final long nanos)
    {
        counts[index(kind, stage)].increment();
        ring.offer(kind, stage, id, subscriber, nanos, null);
    }

    /**
     * @param kind  a kind.
     * @param stage a stage.
     * @return anomalies of that kind and stage found on the delivery thread so far (stuck ones are counted by the
     *     {@link StuckWatch}).
     */
    public long count(final AnomalyKind kind, final Stage stage)
    {
        return counts[index(kind, stage)].get();
    }

    /** @return the stuck threshold in nanoseconds. */
    public long stuckNanos()
    {
        return stuckNanos;
    }

    /** @return the slow-hop threshold in nanoseconds. */
    public long slowHopNanos()
    {
        return slowHopNanos;
    }

    /** @return the ring of anomalies the monitor thread drains. */
    AnomalyRing ring()
    {
        return ring;
    }

    /**
     * Reads which handler runs now, consistently: the start time is written last and cleared when it returns.
     *
     * @param into {@code [id, subscriber, since]}; filled only when a handler runs.
     * @return false when no handler runs (or it changed while reading).
     */
    boolean running(final long[] into)
    {
        final long since = runningSince.get();
        into[0] = runningId.get();
        into[1] = runningSubscriber.get();
        into[2] = since;
        return 0 != since && since == runningSince.get();
    }

    private static int index(final AnomalyKind kind, final Stage stage)
    {
        return kind.ordinal() * Stage.values().length + stage.ordinal();
    }
}
