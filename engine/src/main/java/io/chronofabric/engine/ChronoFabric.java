package io.chronofabric.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.chronofabric.engine.api.DeadLetterHandler;
import io.chronofabric.engine.api.EngineStats;
import io.chronofabric.engine.api.Message;
import io.chronofabric.engine.api.MessageHandler;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.api.Subscription;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.internal.Engine;

/**
 * The engine an application embeds: publish typed messages, subscribe handlers by type; every message is stamped
 * with a hybrid logical clock, journaled to Chronicle Queue, sequenced, routed and delivered by one Disruptor
 * pipeline. A thin front: every call is handed on to the running engine.
 *
 * <pre>{@code
 * try (ChronoFabric engine = ChronoFabric.start(settings))
 * {
 *     engine.subscribe(TICK, message -> book.apply(message.payload()));
 *     Publisher publisher = engine.newPublisher(FEED_SOURCE);     // one per publishing thread
 *     publisher.publish(TICK, TickWriter.INSTANCE, tick);         // zero-allocation path
 * }                                                               // close() drains, flushes and stops
 * }</pre>
 */
public final class ChronoFabric implements AutoCloseable
{
    private final Engine engine;

    private ChronoFabric(final Engine engine)
    {
        this.engine = engine;
    }

    /**
     * Starts an engine: creates the journal folder if needed, resumes ids and the clock above the last journaled
     * message, starts the pipeline threads, and delivers again every journaled message the settlement log does not
     * show as settled. Such recovered messages reach only subscribers that exist then: use
     * {@link #start(EngineConfiguration, Consumer)} to subscribe first.
     *
     * @param settings the settings.
     * @return the running engine; close it to drain and stop.
     * @throws io.chronofabric.journal.JournalInUseException      when another engine holds the journal folder.
     * @throws io.chronofabric.journal.JournalCorruptionException when recovery finds the journal damaged, naming where.
     * @throws IllegalStateException                              when the wall clock fails at start (its failure is
     *                                                            the cause): an engine that cannot stamp messages
     *                                                            does not start.
     */
    public static ChronoFabric start(final EngineConfiguration settings)
    {
        return start(settings, engine -> { });
    }

    /**
     * Starts an engine as {@link #start(EngineConfiguration)} does, with the settings the builder concludes.
     *
     * @param settings the settings, {@link EngineConfiguration.Builder#build() built} first.
     * @return the running engine; close it to drain and stop.
     */
    public static ChronoFabric start(final EngineConfiguration.Builder settings)
    {
        return start(settings.build());
    }

    /**
     * Starts an engine as {@link #start(EngineConfiguration)} does, calling {@code subscribeFirst} once the pipeline runs
     * and before recovered messages are delivered again, so that its subscribers receive them, ahead of anything
     * published later. Each recovered message goes to the subscribers it was not yet settled for, told apart by
     * {@link Subscription#id()} (subscription order: subscribe in the same order as before the crash); a retry under
     * way resumes with its attempt count. Only messages of the delivery batch in progress at the crash can reach a
     * subscriber twice, and they carry {@link Message#isRedelivery()}; after a clean close nothing is delivered again.
     *
     * @param settings       the settings.
     * @param subscribeFirst registers the subscribers that must see recovered messages.
     * @return the running engine; close it to drain and stop.
     */
    public static ChronoFabric start(final EngineConfiguration settings, final Consumer<ChronoFabric> subscribeFirst)
    {
        final ChronoFabric[] front = new ChronoFabric[1];
        Engine.start(settings, started ->
        {
            front[0] = new ChronoFabric(started);
            subscribeFirst.accept(front[0]);
        });
        return front[0];
    }

    /**
     * Starts an engine as {@link #start(EngineConfiguration, Consumer)} does, with the settings the builder concludes.
     *
     * @param settings       the settings, {@link EngineConfiguration.Builder#build() built} first.
     * @param subscribeFirst registers the subscribers that must see recovered messages.
     * @return the running engine; close it to drain and stop.
     */
    public static ChronoFabric start(final EngineConfiguration.Builder settings,
        final Consumer<ChronoFabric> subscribeFirst)
    {
        return start(settings.build(), subscribeFirst);
    }

    /**
     * @param sourceId the id of the component publishing through it.
     * @return a new publisher, for use by one thread.
     * @throws IllegalStateException when the engine is closed or replays a journal.
     */
    public Publisher newPublisher(final int sourceId)
    {
        return engine.newPublisher(sourceId);
    }

    /**
     * Subscribes a handler to a message type; it sees every message of that type published after this returns.
     * A handler that throws is counted and logged; use {@link #subscribe(int, MessageHandler, RetryPolicy)} for
     * guaranteed delivery.
     *
     * @param type    the message type.
     * @param handler the handler, invoked on the delivery thread with a read-only view valid during the call.
     * @return the subscription, with its id; close it to unsubscribe.
     * @throws NullPointerException     for a null handler.
     * @throws IllegalArgumentException for a type outside {@code types.max}.
     * @throws IllegalStateException    when the engine is closed.
     */
    public Subscription subscribe(final int type, final MessageHandler handler)
    {
        return engine.subscribe(type, handler);
    }

    /**
     * Subscribes a handler with guaranteed delivery: a failure is retried as the policy says, then dead-lettered
     * naming {@link Subscription#id()}.
     *
     * @param type        the message type.
     * @param handler     the handler, invoked on the delivery thread.
     * @param retryPolicy how failures are retried, or null for none (failures are then counted and logged).
     * @return the subscription; close it to unsubscribe.
     * @throws NullPointerException     for a null handler.
     * @throws IllegalArgumentException for a type outside {@code types.max}.
     * @throws IllegalStateException    when the engine is closed.
     */
    public Subscription subscribe(final int type, final MessageHandler handler, final RetryPolicy retryPolicy)
    {
        return engine.subscribe(type, handler, retryPolicy);
    }

    /**
     * Subscribes to decoded objects of a type through its registered codec (the convenient path; decoding
     * allocates as the codec does).
     *
     * @param type    the message type.
     * @param handler receives each decoded message.
     * @param <T>     the message class.
     * @return the subscription; close it to unsubscribe.
     * @throws IllegalArgumentException when no codec is registered for the type.
     */
    public <T> Subscription subscribeObjects(final int type, final Consumer<T> handler)
    {
        return engine.subscribeObjects(type, handler);
    }

    /**
     * Subscribes to dead letters: messages that could not be delivered (dependency timeout, expired, retries
     * exhausted, ...), after they are journaled in the dead-letter queue.
     *
     * @param handler invoked on the thread that dead-letters the message.
     * @throws NullPointerException  for a null handler.
     * @throws IllegalStateException when the engine is closed.
     */
    public void subscribeDeadLetters(final DeadLetterHandler handler)
    {
        engine.subscribeDeadLetters(handler);
    }

    /**
     * Replays a journal another engine wrote: feeds its records, in journal order and unchanged (id, HLC, priority,
     * deadline), through this engine's sequencer, router and delivery, and returns once every one is settled. An
     * engine that replays has no publishers, and replays once.
     *
     * @param journal the journal folder to replay.
     * @param timeout how long the whole replay may take at most: feeding the records and their settling.
     * @return the number of messages replayed.
     * @throws IllegalArgumentException when a record does not fit this engine's {@code payload.capacity} or
     *                                  {@code dependencies.max} (the message names the value needed), or the journal
     *                                  is this engine's own.
     * @throws IllegalStateException    when this engine has publishers, has replayed already, is closed, the timeout
     *                                  passed, or it is called from inside a handler.
     */
    public long replay(final Path journal, final Duration timeout)
    {
        return engine.replayJournal(journal, timeout);
    }

    /** @return a snapshot of the counters and latencies. */
    public EngineStats stats()
    {
        return engine.stats();
    }

    /** @return the highest message id acknowledged: journaled, and as durable as the journal's policy promises. */
    public long acknowledgedId()
    {
        return engine.acknowledgedId();
    }

    /**
     * Waits until a published message is acknowledged, as {@link #awaitAcknowledged(long, long, TimeUnit)} does.
     * Never waits without end: it returns, or throws because the message can never be acknowledged (the journal
     * failed, or the engine closed first).
     *
     * @param id a message id returned by a publish.
     */
    public void awaitAcknowledged(final long id)
    {
        engine.awaitAcknowledged(id);
    }

    /**
     * Waits at most {@code timeout} until a published message is acknowledged: appended to the journal and, with the
     * {@code sync} policy, msync'ed. {@code publish} returns earlier, when the message is accepted into the ring.
     *
     * @param id      a message id returned by a publish.
     * @param timeout how long to wait at most.
     * @param unit    its unit.
     * @return true once acknowledged, false when the timeout passed first.
     * @throws io.chronofabric.engine.api.JournalFailedException when the journal failed before acknowledging it.
     * @throws IllegalArgumentException when no publish has returned this id yet, or its publish was refused (threw)
     *                                  in this engine (the newest 4,096 refusals are remembered, none from before a
     *                                  restart: such an id below the watermark reads as acknowledged).
     * @throws IllegalStateException    when the engine closed without acknowledging it, or when called from inside a
     *                                  handler on the thread that would journal it.
     */
    public boolean awaitAcknowledged(final long id, final long timeout, final TimeUnit unit)
    {
        return engine.awaitAcknowledged(id, timeout, unit);
    }

    /**
     * @return the settled watermark: every journaled message with an id at or below it was delivered or
     *     dead-lettered for every subscriber it was routed to.
     */
    public long settledWatermark()
    {
        return engine.settledWatermark();
    }

    /** @return journaled messages not settled before this engine started: delivered again first; 0 after a clean close. */
    public long recoveredMessages()
    {
        return engine.recoveredMessages();
    }

    /** @return recovered messages that have since been settled (delivered again, or dead-lettered). */
    public long recoveredSettled()
    {
        return engine.recoveredSettled();
    }

    /** @return the fault that made this engine refuse publishes, or null while it is healthy. */
    public Throwable failure()
    {
        return engine.failure();
    }

    /** @return true once {@link #close()} has begun: publishes and new subscriptions are refused from then on. */
    public boolean isClosed()
    {
        return engine.isClosed();
    }

    /**
     * Stops accepting publishes, waits until every accepted message is journaled and delivered, closes the journal
     * and stops every pipeline thread. Publishers still running get {@link IllegalStateException}. A close while
     * another is under way returns once that one has finished.
     *
     * @throws IllegalStateException from inside a handler, whose thread the drain would wait for; or while the engine
     *                               is still starting (from {@code subscribeFirst}, or from another thread before
     *                               {@code start} returned).
     */
    @Override
    public void close()
    {
        engine.close();
    }
}
