package io.chronofabric.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.chronofabric.journal.DeadLetterReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.DeadlinePolicy;
import io.chronofabric.engine.api.EngineStats;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.api.Publisher;

/**
 * The delivery contract around close and dead dependencies: after {@code close()} every journaled message is settled
 * (delivered or dead-lettered for every subscriber) and the next start delivers nothing again; a message delivered
 * to none of its subscribers takes its dependents with it, whatever the reason (expiry, exhausted retries).
 */
class SettlementContractTest
{
    private static final int TYPE = 1;
    private static final int DEPENDENT = 2;
    private static final PayloadWriter<Long> WRITER = (value, payload) -> payload.putLong(value);
    private static final PayloadWriter<Long> FAILING_WRITER = (value, payload) ->
    {
        throw new IllegalArgumentException("refused by the writer");
    };

    @TempDir
    Path dir;

    @Test
    void shouldNotDeliverAgainAfterACleanCloseDuringWhichARetrySettled()
    {
        final AtomicInteger attempts = new AtomicInteger();
        final List<Long> delivered = new ArrayList<>();
        final List<Integer> attemptsWhenDelivered = new ArrayList<>();
        final long last;
        try (ChronoFabric engine = ChronoFabric.start(context()))
        {
            engine.subscribe(TYPE, message ->
            {
                if (1 == attempts.incrementAndGet())
                {
                    throw new IllegalStateException("first attempt fails");
                }
            }, new RetryPolicy(3, 1_000_000_000L, 1_000_000_000L, 10_000_000_000L, 100)); // long: see below
            engine.subscribe(DEPENDENT, message ->
            {
                delivered.add(message.id());
                attemptsWhenDelivered.add(attempts.get());
            });
            final Publisher publisher = engine.newPublisher(1);
            // the retry must still be waiting when close begins: a backoff of 200 ms was once outlasted by a stall of
            // this thread between its publishes, on a machine busy with other tests
            final long retried = publisher.publish(TYPE, WRITER, 1L);
            // its dependent waits for the retry: handed to its subscriber only after the retry succeeded (close may
            // run the retry before or after the message published after it is delivered: either order keeps causality)
            publisher.dependsOn(retried).publish(DEPENDENT, WRITER, 2L);
            last = publisher.publish(DEPENDENT, WRITER, 3L);
        }
        assertEquals(2, attempts.get(), "the retry ran during close");
        assertEquals(Set.of(last, last - 1), Set.copyOf(delivered), "both delivered once");
        assertEquals(2, delivered.size(), "both delivered once: " + delivered);
        assertEquals(2, attemptsWhenDelivered.get(delivered.indexOf(last - 1)),
            "the dependent was delivered before the retry of its dependency succeeded: " + delivered);
        try (ChronoFabric engine = ChronoFabric.start(context(), e ->
        {
            e.subscribe(TYPE, message -> attempts.incrementAndGet());
            e.subscribe(DEPENDENT, message -> delivered.add(message.id()));
        }))
        {
            assertEquals(0, engine.recoveredMessages());
            assertEquals(last, engine.settledWatermark(), "everything journaled before is settled");
        }
        assertEquals(2, attempts.get(), "nothing delivered again");
        assertEquals(2, delivered.size(), "nothing delivered again: " + delivered);
    }

    @Test
    void shouldDeadLetterAMessageHeldAtCloseAndLeaveNothingInFlightOrToDeliverAgain()
    {
        final List<String> deadLetters = new ArrayList<>();
        final List<Long> delivered = new ArrayList<>();
        final long held;
        final EngineStats stats;
        try (ChronoFabric engine = ChronoFabric.start(context().holdTimeoutNanos(60_000_000_000L)))
        {
            engine.subscribe(TYPE, message -> delivered.add(message.id()));
            engine.subscribeDeadLetters(dead -> deadLetters.add(dead.message().id() + " " + dead.subscriberId() + " " +
                dead.reason().label()));
            final Publisher publisher = engine.newPublisher(1);
            final long first = publisher.publish(TYPE, WRITER, 1L);
            assertThrows(IllegalArgumentException.class, () -> publisher.publish(TYPE, FAILING_WRITER, 2L));
            final long neverJournaled = first + 1;
            held = publisher.dependsOn(neverJournaled).publish(TYPE, WRITER, 3L);
            engine.close();
            stats = engine.stats();
            assertEquals(held, engine.settledWatermark(), "the held message is settled by its dead letter");
        }
        assertEquals(List.of(held - 2), delivered);
        assertEquals(List.of(held + " -1 engine_closed"), deadLetters);
        assertEquals(0, stats.inFlight(), stats.toString());
        assertEquals(1, stats.temporal().deadLetters().get(DeadLetterReason.ENGINE_CLOSED));
        try (ChronoFabric engine = ChronoFabric.start(context(), e -> e.subscribe(TYPE, message -> delivered.add(message.id()))))
        {
            assertEquals(0, engine.recoveredMessages());
        }
        assertEquals(List.of(held - 2), delivered, "the held message is not delivered on the next start");
    }

    /**
     * An id whose publish was refused never arrives, also for a message published after a restart whose settled
     * watermark passed it: the watermark counts every journaled id below it settled, and the refused one was never
     * journaled. Its dependent is held and dead-lettered when its hold times out, as it would be without the restart.
     */
    @Test
    void shouldHoldAMessagePublishedAfterARestartOnAnIdRefusedBeforeIt()
    {
        final long refused;
        try (ChronoFabric engine = ChronoFabric.start(context()))
        {
            engine.subscribe(TYPE, message -> { });
            final Publisher publisher = engine.newPublisher(1);
            final long first = publisher.publish(TYPE, WRITER, 1L);
            assertThrows(IllegalArgumentException.class, () -> publisher.publish(TYPE, FAILING_WRITER, 2L));
            refused = first + 1;
            for (long i = 0; i < 100; i++)
            {
                publisher.publish(TYPE, WRITER, i);
            }
        }
        for (int restart = 0; restart < 2; restart++)
        {
            final Outcome outcome = new Outcome();
            final long dependent;
            try (ChronoFabric engine = ChronoFabric.start(context().holdTimeoutNanos(200_000_000L), outcome::subscribe))
            {
                assertTrue(engine.settledWatermark() > refused, "the watermark passed the refused id");
                dependent = engine.newPublisher(1).dependsOn(refused).publish(DEPENDENT, WRITER, 3L);
                final long giveUp = System.nanoTime() + 10_000_000_000L;
                while (engine.settledWatermark() < dependent && System.nanoTime() < giveUp)
                {
                    Thread.onSpinWait();
                }
            }
            assertEquals(List.of(), outcome.dependents, "start " + (restart + 1) + " after the refusal");
            assertEquals(List.of(dependent + " sub -1 dependency_timeout"), outcome.deadLetters,
                "start " + (restart + 1) + " after the refusal");
        }
    }

    @Test
    void shouldDeadLetterDependentsOfAMessageThatExpiredForItsOnlySubscriberWhileBeingRetried()
    {
        final AtomicInteger attempts = new AtomicInteger();
        final Outcome outcome = new Outcome();
        try (ChronoFabric engine = ChronoFabric.start(context().deadlinePolicy(DeadlinePolicy.EXPIRE)))
        {
            engine.subscribe(TYPE, message ->
            {
                attempts.incrementAndGet();
                throw new IllegalStateException("venue down");
            }, new RetryPolicy(1_000, 10_000_000L, 10_000_000L, 10_000_000_000L, 100));
            outcome.subscribe(engine);
            final Publisher publisher = engine.newPublisher(1);
            final long expiring = publisher.deadlineIn(200_000_000L).publish(TYPE, WRITER, 1L);
            final long dependent = publisher.dependsOn(expiring).publish(DEPENDENT, WRITER, 2L);
            publisher.dependsOn(dependent).publish(DEPENDENT, WRITER, 3L);
        }
        assertTrue(attempts.get() >= 2, "it was retried before it expired: " + attempts);
        assertEquals(List.of("1 sub 1 expired", "2 sub -1 dependency_dead_lettered", "3 sub -1 dependency_dead_lettered"),
            outcome.deadLetters);
        assertEquals(List.of(), outcome.dependents);
        assertEquals(0, outcome.causalityViolations());
    }

    @Test
    void shouldDeadLetterDependentsOfAMessageWhoseRetriesWereExhaustedForEverySubscriber()
    {
        final Outcome outcome = new Outcome();
        try (ChronoFabric engine = ChronoFabric.start(context()))
        {
            engine.subscribe(TYPE, message ->
            {
                throw new IllegalStateException("venue down");
            }, new RetryPolicy(2, 1_000_000L, 1_000_000L, 10_000_000_000L, 100));
            outcome.subscribe(engine);
            final Publisher publisher = engine.newPublisher(1);
            final long exhausted = publisher.publish(TYPE, WRITER, 1L);
            publisher.dependsOn(exhausted).publish(DEPENDENT, WRITER, 2L);
        }
        assertEquals(List.of("1 sub 1 retries_exhausted", "2 sub -1 dependency_dead_lettered"), outcome.deadLetters);
        assertEquals(List.of(), outcome.dependents);
    }

    @Test
    void shouldDeliverDependentsOfAMessageDeliveredToAtLeastOneOfItsSubscribers()
    {
        final Outcome outcome = new Outcome();
        final List<Long> other = new ArrayList<>();
        try (ChronoFabric engine = ChronoFabric.start(context()))
        {
            engine.subscribe(TYPE, message ->
            {
                throw new IllegalStateException("venue down");
            }, new RetryPolicy(2, 1_000_000L, 1_000_000L, 10_000_000_000L, 100));
            engine.subscribe(TYPE, message -> other.add(message.id()));
            outcome.subscribe(engine);
            final Publisher publisher = engine.newPublisher(1);
            final long halfDelivered = publisher.publish(TYPE, WRITER, 1L);
            publisher.dependsOn(halfDelivered).publish(DEPENDENT, WRITER, 2L);
        }
        assertEquals(List.of(1L), other);
        assertEquals(List.of("1 sub 1 retries_exhausted"), outcome.deadLetters);
        assertEquals(List.of(2L), outcome.dependents, "delivered once its dependency settled for both subscribers");
    }

    private EngineConfiguration.Builder context()
    {
        return Profiles.builder("dev").journalDir(dir.resolve("journal"));
    }

    /** What the dependents' subscriber and the dead-letter subscriber saw. */
    private static final class Outcome
    {
        private final List<String> deadLetters = new ArrayList<>();
        private final List<Long> dependents = new ArrayList<>();
        private ChronoFabric engine;

        void subscribe(final ChronoFabric engine)
        {
            this.engine = engine;
            engine.subscribe(DEPENDENT, message -> dependents.add(message.id()));
            engine.subscribeDeadLetters(dead -> deadLetters.add(dead.message().id() + " sub " + dead.subscriberId() +
                " " + dead.reason().label()));
        }

        long causalityViolations()
        {
            return engine.stats().temporal().causalityViolations();
        }
    }
}
