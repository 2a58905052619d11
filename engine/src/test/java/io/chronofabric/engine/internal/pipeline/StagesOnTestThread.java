package io.chronofabric.engine.internal.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.chronofabric.engine.api.DeadLetterHandler;
import io.chronofabric.engine.api.DeadlinePolicy;
import io.chronofabric.engine.api.HoldOverflowPolicy;
import io.chronofabric.engine.api.ManualWallClock;
import io.chronofabric.engine.api.MessageHandler;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.internal.clock.ManualMonotonicClock;
import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.event.PipelineCounters;
import io.chronofabric.engine.internal.event.Recovery;
import io.chronofabric.engine.internal.event.RoutingTable;
import io.chronofabric.engine.internal.event.Subscriber;
import io.chronofabric.engine.internal.sequencing.JournalFeed;
import io.chronofabric.engine.internal.sequencing.SequencerOnTestThread;
import io.chronofabric.engine.internal.sequencing.TemporalCounters;
import io.chronofabric.engine.internal.sequencing.TemporalSequencer;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.DeadLetterSink;
import io.chronofabric.journal.SettledState;

/**
 * The sequencer, router and delivery stages on the test thread, built from plain values: manual clocks, a seeded
 * jitter source, and recording sinks for the trace, the dead letters and the settlement log. Two ways to drive them,
 * as the two kinds of thread layout do:
 * <ul>
 *     <li>fused ({@code journal+sequencer+router+delivery}): {@link #feed} publishes into the sequencer, which
 *     releases inline to the router and delivery; {@link #idle()} is the sequencer's idle tick, which runs delivery's
 *     due retries; {@link #close()} shuts the sequencer down, and delivery with it;</li>
 *     <li>delivery apart (it consumes the release ring): {@link #message} makes a released message,
 *     {@link #deliver} hands a batch of them to {@link DeliveryStage#onEvent}; {@link #deliveryIdle()} is delivery's
 *     own idle tick; {@link #closeDelivery()} its shutdown.</li>
 * </ul>
 * Settings default to the engine's (smaller payloads).
 */
public final class StagesOnTestThread
{
    public final ManualWallClock wall = new ManualWallClock(SequencerOnTestThread.WALL_START);
    public final ManualMonotonicClock clock = new ManualMonotonicClock(SequencerOnTestThread.MONOTONIC_START);
    public final PipelineCounters counters = new PipelineCounters();
    public final TemporalCounters temporal = new TemporalCounters();
    public final RoutingTable routes = new RoutingTable(256);
    /** What the sinks were asked to persist, in order: "trace flush", "dead-letters sync", "settlement write". */
    public final List<String> persistence = new ArrayList<>();
    public final RecordingTrace trace = new RecordingTrace(persistence);
    public final RecordingSettlements settlements = new RecordingSettlements(persistence);
    public final RecordingDeadLetters deadLetterLog = new RecordingDeadLetters(persistence);
    public final DeadLetterPath deadLetters;
    public final SubscriberAttempts attempts;
    public final Router router;
    public final DeliveryStage delivery;
    public final TemporalSequencer sequencer;
    public final JournalFeed feed;
    /** The seed of the retries' jitter: a {@code new SplittableRandom(jitterSeed)} draws the same backoffs. */
    public final long jitterSeed;
    private final int maxDependencies;
    private final int payloadCapacity;
    private int subscribers;
    private long releaseSequence;
    private long lastMessageId;
    private long lastAdmittedId;

    private StagesOnTestThread(final Builder builder)
    {
        this.jitterSeed = builder.jitterSeed;
        this.maxDependencies = builder.maxDependencies;
        this.payloadCapacity = builder.payloadCapacity;
        this.deadLetters = new DeadLetterPath(null == builder.deadLetterSink ? deadLetterLog : builder.deadLetterSink,
            temporal, wall);
        this.attempts = new SubscriberAttempts(counters, temporal, deadLetters,
            DeadlinePolicy.EXPIRE == builder.deadlinePolicy, clock, new SplittableRandom(builder.jitterSeed));
        this.router = new Router(routes, clock);
        this.delivery = new DeliveryStage(counters, temporal, trace, deadLetters, attempts, settlements,
            SettledState.empty(), 0, builder.dependencyWindow, builder.dependentQueueLimit, routes, clock);
        this.sequencer = new TemporalSequencer(counters, temporal, 0, builder.holdCapacity, builder.holdOverflow,
            builder.holdTimeoutNanos, builder.window, builder.dependencyWindow, builder.maxDependencies,
            builder.payloadCapacity, wall, clock);
        sequencer.releaseTo(new InlineRelease(router, delivery));
        sequencer.onStart();
        this.feed = new JournalFeed(sequencer, wall, clock, builder.maxDependencies, builder.payloadCapacity);
    }

    /** @return a builder with the engine's default settings. */
    public static Builder builder()
    {
        return new Builder();
    }

    /** @return the stages with the engine's default settings. */
    public static StagesOnTestThread withDefaults()
    {
        return builder().build();
    }

    /**
     * Subscribes as the engine does: ids from 1 in subscription order, called in that order.
     *
     * @return the subscriber.
     */
    public Subscriber subscribe(final int type, final MessageHandler handler)
    {
        return subscribe(type, handler, null);
    }

    /** @return a guaranteed subscriber, retried as the policy says. */
    public Subscriber subscribe(final int type, final MessageHandler handler, final RetryPolicy policy)
    {
        final Subscriber subscriber = new Subscriber(++subscribers, type, handler, policy, routes);
        routes.add(subscriber);
        return subscriber;
    }

    /** @param handler receives each dead letter after it is journaled. */
    public void subscribeDeadLetters(final DeadLetterHandler handler)
    {
        deadLetters.subscribe(handler);
    }

    /** Fused layout: the sequencer's idle tick (hold timeouts, releases, and delivery's due retries). */
    public void idle()
    {
        feed.idle();
    }

    /** Fused layout: the sequencer shuts down (held messages dead-lettered), then delivery (retries finished). */
    public void close()
    {
        sequencer.onShutdown();
    }

    /**
     * Delivery apart: a message as the sequencer releases it.
     *
     * @param type its type.
     * @return the message to fill in, then {@link #deliver}.
     */
    public Released message(final int type)
    {
        return new Released(type);
    }

    /**
     * Delivery apart: one batch of the release ring reaches delivery, each message routed first.
     *
     * @param batch the released messages, in release order.
     */
    public void deliver(final Released... batch)
    {
        for (int i = 0; i < batch.length; i++)
        {
            final MessageEvent event = batch[i].event;
            router.route(event);
            delivery.onEvent(event, releaseSequence++, i == batch.length - 1);
        }
    }

    /** Delivery apart: consumes an id no message will carry (a publish that failed after claiming it). */
    public void skipId()
    {
        ++lastMessageId;
    }

    /**
     * Delivery apart: a stage before delivery fails on the next message, journaled but never admitted by the
     * sequencer; the pipeline's exception handler takes the failure.
     *
     * @param failure what the stage threw.
     * @return the message's id.
     */
    public long failOnNext(final Throwable failure)
    {
        final MessageEvent failed = new Released(1).event;
        lastAdmittedId = failed.previousId();
        new StageExceptionHandler(counters).handleEventException(failure, failed.id() - 1, failed);
        return failed.id();
    }

    /** Delivery apart: delivery's idle tick (due retries, then the end of a batch). */
    public void deliveryIdle()
    {
        delivery.onTimeout(releaseSequence);
    }

    /** Delivery apart: delivery shuts down (retries run to their end, sinks closed). */
    public void closeDelivery()
    {
        delivery.onShutdown();
    }

    /** Where delivery runs: inline in the sequencer's release, or on a thread of its own behind the release ring. */
    public enum Layout
    {
        /** {@code journal+sequencer+router+delivery}. */
        FUSED,
        /** {@code journal+sequencer|router+delivery}. */
        DELIVERY_APART
    }

    /**
     * Publishes a message that reaches delivery on its own: in the fused layout through the sequencer as a journal
     * batch of one, with delivery apart as a release-ring batch of one.
     *
     * @param layout         where delivery runs.
     * @param type           its type.
     * @param deadlineBudget its deadline after publish, 0 for none.
     * @param dependencies   what it depends on.
     * @return its id.
     */
    public long publish(final Layout layout, final int type, final long deadlineBudget, final long... dependencies)
    {
        if (Layout.FUSED == layout)
        {
            return feed.alone(feed.message(type).deadlineIn(deadlineBudget).dependsOn(dependencies));
        }
        final Released message = message(type).dependsOn(dependencies);
        if (0 != deadlineBudget)
        {
            message.deadlineIn(deadlineBudget);
        }
        deliver(message);
        return message.id();
    }

    /** @param layout where delivery runs: its idle tick comes from the sequencer's, or is its own. */
    public void tick(final Layout layout)
    {
        if (Layout.FUSED == layout)
        {
            idle();
        }
        else
        {
            deliveryIdle();
        }
    }

    /** @param layout where delivery runs: it shuts down with the sequencer, or on its own. */
    public void shutdown(final Layout layout)
    {
        if (Layout.FUSED == layout)
        {
            close();
        }
        else
        {
            closeDelivery();
        }
    }

    /** A message the sequencer released: ids follow the order they are made in. */
    public final class Released
    {
        private final MessageEvent event = new MessageEvent(maxDependencies, payloadCapacity);

        private Released(final int type)
        {
            final long id = ++lastMessageId;
            event.record().clear();
            event.record().id(id).type(type).source(1).hlc(wall.epochNanos(), 0);
            event.payloadForWriting().putLong(id);
            event.record().payloadLength(Long.BYTES);
            event.valid(true);
            event.recovery(Recovery.NONE);
            event.previousId(lastAdmittedId);
            lastAdmittedId = id;
            event.publishedNanos(clock.nanoTime());
            event.journaledNanos(clock.nanoTime());
            event.sequencedNanos(clock.nanoTime());
        }

        /** @return this, with the priority. */
        public Released priority(final int priority)
        {
            event.record().priority(priority);
            return this;
        }

        /** @return this, due this long after now (its publish time). */
        public Released deadlineIn(final long nanos)
        {
            event.deadlineBudgetNanos(nanos);
            event.deadlineNanoTime(event.publishedNanos() + nanos);
            event.record().deadlineEpochNanos(event.record().hlcWall() + nanos);
            return this;
        }

        /** @return this, depending on these ids. */
        public Released dependsOn(final long... ids)
        {
            event.record().dependencyCount(ids.length);
            for (int i = 0; i < ids.length; i++)
            {
                event.record().dependency(i, ids[i]);
            }
            return this;
        }

        /** @return this, as recovery read it back from the journal at start. */
        public Released recovered(final Recovery recovery)
        {
            event.recovery(recovery);
            event.fromJournal(true);
            return this;
        }

        /** @return this, dead-lettered by the sequencer for this reason. */
        public Released deadLettered(final DeadLetterReason reason)
        {
            event.deadLetterReason(reason);
            return this;
        }

        /** @return its id. */
        public long id()
        {
            return event.id();
        }
    }

    /** The stages' settings, as in an engine context. */
    public static final class Builder
    {
        private int holdCapacity = 4096;
        private HoldOverflowPolicy holdOverflow = HoldOverflowPolicy.DEAD_LETTER_OLDEST;
        private long holdTimeoutNanos = 1_000_000_000L;
        private int window = 1024;
        private int dependencyWindow = 1 << 20;
        private int maxDependencies = 8;
        private int payloadCapacity = 16;
        private DeadlinePolicy deadlinePolicy = DeadlinePolicy.DELIVER_LATE;
        private int dependentQueueLimit = 10_000;
        private long jitterSeed = 42;
        private DeadLetterSink deadLetterSink;

        private Builder()
        {
        }

        public Builder holdCapacity(final int value)
        {
            this.holdCapacity = value;
            return this;
        }

        public Builder holdOverflow(final HoldOverflowPolicy value)
        {
            this.holdOverflow = value;
            return this;
        }

        public Builder holdTimeoutNanos(final long value)
        {
            this.holdTimeoutNanos = value;
            return this;
        }

        public Builder window(final int value)
        {
            this.window = value;
            return this;
        }

        public Builder deadlinePolicy(final DeadlinePolicy value)
        {
            this.deadlinePolicy = value;
            return this;
        }

        public Builder dependentQueueLimit(final int value)
        {
            this.dependentQueueLimit = value;
            return this;
        }

        public Builder jitterSeed(final long value)
        {
            this.jitterSeed = value;
            return this;
        }

        /** @return this, journaling dead letters here instead of {@link StagesOnTestThread#deadLetterLog}. */
        public Builder deadLetterSink(final DeadLetterSink value)
        {
            this.deadLetterSink = value;
            return this;
        }

        public StagesOnTestThread build()
        {
            return new StagesOnTestThread(this);
        }
    }
}
