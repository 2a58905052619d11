package io.chronofabric.engine.temporal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.api.Subscription;
import io.chronofabric.engine.api.TemporalStats;
import io.chronofabric.engine.config.ThreadLayout;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.DeadLetterRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.chronofabric.engine.temporal.TemporalTestSupport.awaitTrue;
import static io.chronofabric.engine.temporal.TemporalTestSupport.deadLetters;
import static io.chronofabric.engine.temporal.TemporalTestSupport.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guaranteed delivery end to end: a subscriber registered with a {@link RetryPolicy} that throws is retried after a
 * jittered backoff, driven by the idle tick of whichever pipeline thread delivery runs on, until it succeeds or the
 * policy is spent; then the message goes to the dead-letter journal for that subscriber; a message waiting for its
 * retry when the engine closes is neither lost nor forgotten.
 *
 * <p>Each test runs on the dev profile's layout (the whole pipeline on one thread, delivery inline in the sequencer's
 * release) and on a layout where delivery has a thread of its own: retries must not depend on where delivery runs. The
 * retry logic itself (due times to the nanosecond, ordering behind a retry, dependents waiting, queue limits, timeouts)
 * is driven on the test thread in {@code io.chronofabric.engine.internal.pipeline.SubscriberAttemptsTest}.
 */
class RetryTest
{
    private static final int TYPE = 4;
    private static final long BACKOFF = 1_000_000L;
    /** Retries are due within a few milliseconds; waiting seconds for one means it is not going to happen. */
    private static final long RETRY_WAIT_MILLIS = 3_000;
    private static final String FUSED = "journal+sequencer+router+delivery";
    private static final String DELIVERY_APART = "journal+sequencer|router+delivery";

    @TempDir
    Path dir;

    private EngineConfiguration.Builder context(final String layout)
    {
        return TemporalTestSupport.context(dir).threadLayout(ThreadLayout.parse(layout));
    }

    private static RetryPolicy policy(final int attempts)
    {
        return new RetryPolicy(attempts, BACKOFF, 2 * BACKOFF, TimeUnit.SECONDS.toNanos(10), 1_000);
    }

    @ParameterizedTest(name = "thread.layout={0}")
    @ValueSource(strings = {FUSED, DELIVERY_APART})
    void shouldDeliverOnceAfterKFailuresAndCountKRetries(final String layout)
    {
        final int failures = 3;
        final AtomicInteger invocations = new AtomicInteger();
        final List<Long> succeeded = Collections.synchronizedList(new ArrayList<>());
        final List<Long> deadLettered = Collections.synchronizedList(new ArrayList<>());
        final long id;
        final TemporalStats stats;
        try (ChronoFabric engine = ChronoFabric.start(context(layout)))
        {
            engine.subscribe(TYPE, message ->
            {
                if (invocations.incrementAndGet() <= failures)
                {
                    throw new IllegalStateException("failure " + invocations.get());
                }
                succeeded.add(message.id());
            }, policy(failures + 2));
            engine.subscribeDeadLetters(dead -> deadLettered.add(dead.message().id()));
            id = publish(engine.newPublisher(1), TYPE, 1);
            awaitTrue(() -> !succeeded.isEmpty(), RETRY_WAIT_MILLIS, () -> invocations.get() + " invocations");
            stats = engine.stats().temporal();
            assertEquals(failures, engine.stats().handlerFailures());
        }
        assertEquals(List.of(id), new ArrayList<>(succeeded), "delivered once");
        assertEquals(failures + 1, invocations.get());
        assertEquals(failures, stats.retries(), "k failures, k retries");
        assertTrue(deadLettered.isEmpty(), deadLettered.toString());
        assertEquals(0, stats.deadLettersTotal());
    }

    @ParameterizedTest(name = "thread.layout={0}")
    @ValueSource(strings = {FUSED, DELIVERY_APART})
    void shouldDeadLetterAnAlwaysFailingMessageAfterExactlyTheConfiguredAttempts(final String layout)
    {
        final int attempts = 4;
        final AtomicInteger invocations = new AtomicInteger();
        final List<String> deadLettered = Collections.synchronizedList(new ArrayList<>());
        final List<Long> healthy = Collections.synchronizedList(new ArrayList<>());
        final int subscriberId;
        final long poison;
        final long next;
        final TemporalStats stats;
        try (ChronoFabric engine = ChronoFabric.start(context(layout)))
        {
            final Subscription failing = engine.subscribe(TYPE, message ->
            {
                if (0 == message.payload().getLong(0))
                {
                    invocations.incrementAndGet();
                    throw new IllegalStateException("always fails");
                }
                healthy.add(message.id());
            }, policy(attempts));
            subscriberId = failing.id();
            engine.subscribeDeadLetters(dead -> deadLettered.add(dead.message().id() + "/" + dead.subscriberId() +
                "/" + dead.reason() + "/" + dead.attempts()));
            final Publisher publisher = engine.newPublisher(1);
            poison = publish(publisher, TYPE, 0);
            next = publish(publisher, TYPE, 1);
            awaitTrue(() -> healthy.contains(next), RETRY_WAIT_MILLIS, () -> invocations.get() + " invocations, dead " + deadLettered);
            stats = engine.stats().temporal();
        }
        assertEquals(attempts, invocations.get(), "exactly the configured attempts");
        assertEquals(List.of(poison + "/" + subscriberId + "/RETRIES_EXHAUSTED/" + attempts),
            new ArrayList<>(deadLettered));
        final List<DeadLetterRecord> journaled = deadLetters(dir);
        assertEquals(1, journaled.size());
        assertEquals(poison, journaled.get(0).messageId());
        assertEquals(subscriberId, journaled.get(0).subscriberId());
        assertEquals(DeadLetterReason.RETRIES_EXHAUSTED, journaled.get(0).reason());
        assertEquals(attempts, journaled.get(0).attempts());
        assertEquals(attempts - 1, stats.retries());
        assertEquals(1, stats.deadLetters().get(DeadLetterReason.RETRIES_EXHAUSTED));
        assertEquals(List.of(next), new ArrayList<>(healthy), "the message behind it is delivered after");
    }

    /**
     * {@code close()} promises to wait until every accepted message is delivered. A message waiting for its retry when
     * the engine closes must end either delivered (the retry run during the drain) or dead-lettered for that
     * subscriber, never silently nowhere.
     */
    @ParameterizedTest(name = "thread.layout={0}")
    @ValueSource(strings = {FUSED, DELIVERY_APART})
    void shouldNeitherLoseNorForgetAMessageWaitingForItsRetryWhenTheEngineCloses(final String layout)
    {
        final AtomicInteger invocations = new AtomicInteger();
        final List<Long> succeeded = Collections.synchronizedList(new ArrayList<>());
        final long id;
        try (ChronoFabric engine = ChronoFabric.start(context(layout)))
        {
            engine.subscribe(TYPE, message ->
            {
                if (1 == invocations.incrementAndGet())
                {
                    throw new IllegalStateException("first attempt fails");
                }
                succeeded.add(message.id());
            }, new RetryPolicy(5, 500 * BACKOFF, 500 * BACKOFF, TimeUnit.SECONDS.toNanos(5), 100));
            id = publish(engine.newPublisher(1), TYPE, 1);
            awaitTrue(() -> 1 == engine.stats().handlerFailures(), () -> "first attempt failed and a retry is due");
        }
        // a restart on the same journal would do too: recovery delivering it again
        final long recovered;
        try (ChronoFabric again = ChronoFabric.start(context(layout),
            engine -> engine.subscribe(TYPE, message -> succeeded.add(message.id()))))
        {
            recovered = again.recoveredMessages();
        }
        final List<DeadLetterRecord> dead = deadLetters(dir);
        assertTrue(succeeded.contains(id) || dead.stream().anyMatch(record -> record.messageId() == id),
            "message " + id + " failed its first attempt, then the engine closed: it was neither delivered (" +
                invocations.get() + " attempt(s)), nor dead-lettered (" + dead + "), nor recovered by the next " +
                "engine (" + recovered + " recovered: the latency trace already counts it as delivered)");
    }
}
