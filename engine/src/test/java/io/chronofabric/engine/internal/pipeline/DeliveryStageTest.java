package io.chronofabric.engine.internal.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.chronofabric.engine.api.DeadlinePolicy;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.internal.event.Recovery;
import io.chronofabric.engine.internal.pipeline.StagesOnTestThread.Released;
import io.chronofabric.engine.internal.sequencing.JournalFeed;
import io.chronofabric.engine.internal.sequencing.SequencerOnTestThread;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.JournalWriteException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The delivery stage, driven on the test thread through {@link DeliveryStage#onEvent} and
 * {@link DeliveryStage#onTimeout} as the release ring drives it, with recording sinks for the trace, the dead letters
 * and the settlement log: each message reaches its type's subscribers in subscription order and is traced and settled; a
 * message the sequencer dead-lettered is journaled as a whole dead letter; a message delivered to no subscriber takes
 * its dependents with it, transitively; dependents of a message still being retried wait ("parked") in order, at most
 * {@code dependents.queue-limit} of them; the settled watermark steps over ids never journaled; at the end of a batch
 * the trace is flushed and the dead letters synced before the settlement that counts them is written.
 */
class DeliveryStageTest
{
    private static final int TYPE = 1;
    private static final int DEPENDENT = 2;
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void shouldDeliverToEachSubscriberOfItsTypeInSubscriptionOrderThenTraceAndSettleIt()
    {
        final StagesOnTestThread s = StagesOnTestThread.withDefaults();
        final List<String> log = new ArrayList<>();
        s.subscribe(TYPE, message ->
        {
            log.add("a:" + message.id());
            s.clock.advance(3_000);
        });
        s.subscribe(TYPE, message -> log.add("b:" + message.id()));
        s.subscribe(DEPENDENT, message -> log.add("c:" + message.id()));
        final long published = s.clock.nanoTime();
        final Released first = s.message(TYPE);
        s.clock.advance(10_000);
        s.deliver(first);
        assertEquals(List.of("a:1", "b:1"), log);
        assertEquals(List.of(new RecordingTrace.Entry(1, published, published, published, published + 10_000,
            published + 13_000, 0, 2)), s.trace.entries(), "routed when handed over, delivered once both returned");
        assertEquals(1, s.trace.flushed());
        assertEquals(1, s.counters.delivered().get());
        assertEquals(1, s.settlements.watermark());
        assertEquals(List.of(1L), s.settlements.settledIds());
        assertEquals(List.of("trace flush", "dead-letters sync", "settlement write"), s.persistence,
            "the end of the batch: trace and dead letters durable before the settlement that counts them");

        final Released unrouted = s.message(TYPE + 10);
        s.deliver(unrouted);
        assertEquals(1, s.counters.unrouted().get());
        assertEquals(2, s.counters.delivered().get(), "a message of a type with no subscriber counts as delivered");
        assertEquals(0, s.trace.entries().get(1).subscribers());
        assertEquals(2, s.settlements.watermark());
        assertEquals(List.of(), s.settlements.deadIds());
    }

    @Test
    void shouldJournalAMessageTheSequencerDeadLetteredAsAWholeDeadLetterAndHandItToNoSubscriber()
    {
        final StagesOnTestThread s = StagesOnTestThread.withDefaults();
        final List<String> log = new ArrayList<>();
        s.subscribe(TYPE, message -> log.add("delivered:" + message.id()));
        s.subscribeDeadLetters(dead -> log.add("dead:" + dead.message().id() + "/" + dead.subscriberId() + "/" +
            dead.reason() + "/" + dead.attempts()));
        s.wall.advance(123);
        final Released timedOut = s.message(TYPE).deadLettered(DeadLetterReason.DEPENDENCY_TIMEOUT);
        final Released dependent = s.message(TYPE).dependsOn(timedOut.id());
        s.deliver(timedOut, dependent);
        assertEquals(List.of("dead:1/-1/DEPENDENCY_TIMEOUT/0", "dead:2/-1/DEPENDENCY_DEAD_LETTERED/0"), log);
        assertEquals(new RecordingDeadLetters.Letter(1, TYPE, -1, DeadLetterReason.DEPENDENCY_TIMEOUT, 0,
            SequencerOnTestThread.WALL_START + 123), s.deadLetterLog.letters().get(0));
        assertEquals(2, s.deadLetterLog.synced());
        assertEquals(2, s.counters.dropped().get());
        assertEquals(0, s.counters.delivered().get());
        assertEquals(List.of(), s.trace.entries(), "only deliveries are traced");
        assertEquals(List.of(1L, 2L), s.settlements.deadIds());
        assertEquals(2, s.settlements.watermark());
        assertEquals(1, s.temporal.deadLetters(DeadLetterReason.DEPENDENCY_TIMEOUT));
        assertEquals(1, s.temporal.deadLetters(DeadLetterReason.DEPENDENCY_DEAD_LETTERED));
    }

    @Test
    void shouldDeadLetterTheDependentsOfAMessageDeliveredToNoSubscriberTransitively()
    {
        final StagesOnTestThread s = StagesOnTestThread.builder().deadlinePolicy(DeadlinePolicy.EXPIRE).build();
        final List<Long> dependents = new ArrayList<>();
        s.subscribe(TYPE, message -> dependents.add(-message.id()));
        s.subscribe(DEPENDENT, message -> dependents.add(message.id()));
        final Released expired = s.message(TYPE).deadlineIn(MS);
        final Released dependent = s.message(DEPENDENT).dependsOn(expired.id());
        final Released second = s.message(DEPENDENT).dependsOn(dependent.id());
        final Released unrelated = s.message(DEPENDENT);
        s.clock.advance(2 * MS);
        s.deliver(expired, dependent, second, unrelated);
        assertEquals(List.of("1/1/EXPIRED/0", "2/-1/DEPENDENCY_DEAD_LETTERED/0", "3/-1/DEPENDENCY_DEAD_LETTERED/0"),
            s.deadLetterLog.briefs());
        assertEquals(List.of(unrelated.id()), dependents);
        assertEquals(List.of(1L, 2L, 3L), s.settlements.deadIds());
        assertEquals(4, s.settlements.watermark());
        assertEquals(List.of(unrelated.id()), s.trace.entries().stream().map(RecordingTrace.Entry::id).toList(),
            "only deliveries are traced: the expired message was handed to no subscriber");
        assertEquals(1, s.counters.delivered().get());
        assertEquals(3, s.counters.dropped().get());
    }

    /**
     * An expired message was delivered to no subscriber; a dependent is delivered only after each of its
     * dependencies was delivered (to every subscriber of their types), so a dependent of an expired message can never
     * be delivered and must go to the dead letters ({@code dependency_dead_lettered}), as the dependents of messages
     * the sequencer dead-letters do. Fused layout, both published while the pipeline was busy.
     */
    @Test
    void shouldNotDeliverADependentOfAnExpiredMessage()
    {
        final StagesOnTestThread s = StagesOnTestThread.builder().deadlinePolicy(DeadlinePolicy.EXPIRE).build();
        final JournalFeed feed = s.feed;
        final List<Long> delivered = new ArrayList<>();
        final Map<Long, DeadLetterReason> dead = new HashMap<>();
        s.subscribe(DEPENDENT, message -> delivered.add(message.id()));
        s.subscribeDeadLetters(letter -> dead.put(letter.message().id(), letter.reason()));
        final long expired = feed.publish(feed.message(DEPENDENT).deadlineIn(MS));
        final long dependent = feed.publish(DEPENDENT, expired);
        s.clock.advance(5 * MS);
        feed.endBatch();
        final long marker = feed.alone(DEPENDENT);
        assertTrue(delivered.contains(marker), "delivered " + delivered);

        assertEquals(DeadLetterReason.EXPIRED, dead.get(expired));
        assertTrue(!delivered.contains(dependent), "message " + dependent + " depends on expired message " + expired +
            ", which no subscriber received, yet it was delivered: " + delivered + ", dead letters " + dead);
        assertEquals(DeadLetterReason.DEPENDENCY_DEAD_LETTERED, dead.get(dependent));
    }

    @Test
    void shouldDeliverDependentsOfAMessageDeliveredToAtLeastOneOfItsSubscribers()
    {
        final StagesOnTestThread s = StagesOnTestThread.withDefaults();
        final List<Long> other = new ArrayList<>();
        final List<Long> dependents = new ArrayList<>();
        s.subscribe(TYPE, message ->
        {
            throw new IllegalStateException("venue down");
        }, new RetryPolicy(2, MS, MS, TimeUnit.SECONDS.toNanos(10), 100));
        s.subscribe(TYPE, message -> other.add(message.id()));
        s.subscribe(DEPENDENT, message -> dependents.add(message.id()));
        final Released halfDelivered = s.message(TYPE);
        final Released dependent = s.message(DEPENDENT).dependsOn(halfDelivered.id());
        s.deliver(halfDelivered, dependent);
        assertEquals(List.of(halfDelivered.id()), other);
        assertEquals(List.of(), dependents, "waits until its dependency is settled for both subscribers");
        assertEquals(List.of("1/2/delivered"), s.settlements.partials());
        s.clock.advance(MS);
        s.deliveryIdle();
        assertEquals(List.of("1/1/RETRIES_EXHAUSTED/2"), s.deadLetterLog.briefs());
        assertEquals(List.of(dependent.id()), dependents, "delivered once its dependency settled for both subscribers");
        assertEquals(List.of(), s.settlements.deadIds());
        assertEquals(0, s.temporal.causalityViolations().get());
        assertEquals(2, s.settlements.watermark());
    }

    @Test
    void shouldParkDependentsOfAMessageStillBeingRetriedAndDispatchThemInOrderOnceItSettles()
    {
        final StagesOnTestThread s = StagesOnTestThread.withDefaults();
        final SplittableRandom twin = new SplittableRandom(s.jitterSeed);
        final RetryPolicy policy = new RetryPolicy(3, MS, MS, TimeUnit.SECONDS.toNanos(10), 100);
        final int[] attempts = new int[1];
        final List<Long> log = new ArrayList<>();
        s.subscribe(TYPE, message ->
        {
            if (1 == ++attempts[0])
            {
                throw new IllegalStateException("first attempt fails");
            }
        }, policy);
        s.subscribe(DEPENDENT, message -> log.add(message.id()));
        final Released retried = s.message(TYPE);
        final Released parked = s.message(DEPENDENT).dependsOn(retried.id());
        final Released independent = s.message(DEPENDENT);
        final Released parkedBehindParked = s.message(DEPENDENT).dependsOn(parked.id());
        s.deliver(retried, parked, independent, parkedBehindParked);
        assertEquals(List.of(independent.id()), log, "only what does not wait for the retried message");
        assertEquals(0, s.settlements.watermark(), "message 1 is unsettled");
        assertEquals(List.of(independent.id()), s.settlements.settledIds());
        assertEquals(List.of("1/1/1"), s.settlements.retries());

        s.clock.advance(policy.backoffNanos(1, twin));
        s.deliveryIdle();
        assertEquals(List.of(independent.id(), parked.id(), parkedBehindParked.id()), log);
        assertEquals(4, s.settlements.watermark());
        assertEquals(0, s.temporal.causalityViolations().get());
    }

    @Test
    void shouldDeadLetterParkedDependentsOfAMessageWhoseRetriesRanOut()
    {
        final StagesOnTestThread s = StagesOnTestThread.withDefaults();
        final List<Long> log = new ArrayList<>();
        s.subscribe(TYPE, message ->
        {
            throw new IllegalStateException("venue down");
        }, new RetryPolicy(2, MS, MS, TimeUnit.SECONDS.toNanos(10), 100));
        s.subscribe(DEPENDENT, message -> log.add(message.id()));
        final Released exhausted = s.message(TYPE);
        final Released parked = s.message(DEPENDENT).dependsOn(exhausted.id());
        final Released independent = s.message(DEPENDENT);
        final Released parkedBehindParked = s.message(DEPENDENT).dependsOn(parked.id());
        s.deliver(exhausted, parked, independent, parkedBehindParked);
        s.clock.advance(MS);
        s.deliveryIdle();
        assertEquals(List.of(independent.id()), log);
        assertEquals(List.of("1/1/RETRIES_EXHAUSTED/2", "2/-1/DEPENDENCY_DEAD_LETTERED/0",
            "4/-1/DEPENDENCY_DEAD_LETTERED/0"), s.deadLetterLog.briefs());
        assertEquals(List.of(1L, 2L, 4L), s.settlements.deadIds());
        assertEquals(4, s.settlements.watermark());
    }

    /**
     * The next start counts the dead letters written after the settlement log's last document as settlements, newest
     * first, down to the first one the log records; so no document may record a dead letter while one journaled before
     * it is still unrecorded. Here two retries run out in one pass; the first one's settlement releases parked
     * dependents, whose own dead letter and retries write documents, before the second one's is recorded.
     */
    @Test
    void shouldRecordDeadLettersInTheSettlementLogInTheOrderTheyWereJournaled()
    {
        final StagesOnTestThread s = StagesOnTestThread.withDefaults();
        final int twice = 3;
        final int once = 4;
        final RetryPolicy twoAttempts = new RetryPolicy(2, MS, MS, TimeUnit.SECONDS.toNanos(10), 100);
        final RetryPolicy threeAttempts = new RetryPolicy(3, MS, MS, TimeUnit.SECONDS.toNanos(10), 100);
        final List<String> violations = new ArrayList<>();
        s.settlements.afterEachWrite(() -> s.settlements.recordedOutOfOrder(s.deadLetterLog).ifPresent(violations::add));
        s.subscribe(TYPE, message -> fail(), twoAttempts);
        s.subscribe(TYPE, message -> { });
        s.subscribe(DEPENDENT, message -> fail(), twoAttempts);
        s.subscribe(twice, message -> fail(), new RetryPolicy(1, MS, MS, TimeUnit.SECONDS.toNanos(10), 100));
        s.subscribe(twice, message -> fail(), threeAttempts);
        s.subscribe(once, message -> fail(), threeAttempts);
        final Released first = s.message(TYPE);
        final Released second = s.message(DEPENDENT);
        s.deliver(first, second, s.message(twice).dependsOn(first.id()), s.message(once).dependsOn(first.id()));
        s.clock.advance(2 * MS);
        s.deliveryIdle();
        assertEquals(List.of("1/1/RETRIES_EXHAUSTED/2", "2/3/RETRIES_EXHAUSTED/2", "3/4/RETRIES_EXHAUSTED/1"),
            s.deadLetterLog.briefs());
        assertEquals(List.of(), violations);
        assertEquals(Optional.empty(), s.settlements.recordedOutOfOrder(s.deadLetterLog), "every dead letter recorded at the end of the batch");
    }

    private static void fail()
    {
        throw new IllegalStateException("venue down");
    }

    @Test
    void shouldDeadLetterADependentBeyondTheDependentQueueLimit()
    {
        final StagesOnTestThread s = StagesOnTestThread.builder().dependentQueueLimit(2).build();
        final boolean[] allowed = new boolean[1];
        final List<Long> log = new ArrayList<>();
        s.subscribe(TYPE, message ->
        {
            if (!allowed[0])
            {
                throw new IllegalStateException("not yet");
            }
        }, new RetryPolicy(100, MS, MS, TimeUnit.SECONDS.toNanos(10), 100));
        s.subscribe(DEPENDENT, message -> log.add(message.id()));
        final Released retried = s.message(TYPE);
        s.deliver(retried, s.message(DEPENDENT).dependsOn(retried.id()), s.message(DEPENDENT).dependsOn(retried.id()),
            s.message(DEPENDENT).dependsOn(retried.id()));
        assertEquals(List.of("4/-1/DEPENDENT_QUEUE_FULL/0"), s.deadLetterLog.briefs(), "2 and 3 wait; 4 does not fit");
        allowed[0] = true;
        s.clock.advance(MS);
        s.deliveryIdle();
        assertEquals(List.of(2L, 3L), log);
        assertEquals(1, s.temporal.deadLetters(DeadLetterReason.DEPENDENT_QUEUE_FULL));
        assertEquals(4, s.settlements.watermark());
    }

    @Test
    void shouldCountACausalityViolationWhenADependencyWasNotDeliveredBeforeItsDependent()
    {
        final StagesOnTestThread s = StagesOnTestThread.withDefaults();
        final List<Long> log = new ArrayList<>();
        s.subscribe(TYPE, message -> log.add(message.id()));
        final Released dependency = s.message(TYPE);
        final Released dependent = s.message(TYPE).dependsOn(dependency.id());
        s.deliver(dependent);
        assertEquals(1, s.temporal.causalityViolations().get(), "checked against what was actually delivered");
        assertEquals(0, s.settlements.watermark(), "1 is not settled yet");
        s.deliver(dependency);
        assertEquals(List.of(dependent.id(), dependency.id()), log);
        assertEquals(1, s.temporal.causalityViolations().get());
        assertEquals(2, s.settlements.watermark());
    }

    @Test
    void shouldStepTheSettledWatermarkOverIdsThatWereNeverJournaled()
    {
        final StagesOnTestThread s = StagesOnTestThread.withDefaults();
        s.subscribe(TYPE, message -> { });
        final Released first = s.message(TYPE);
        s.skipId();
        final Released third = s.message(TYPE);
        s.deliver(third);
        assertEquals(0, s.settlements.watermark(), "1 not settled yet");
        s.deliver(first);
        assertEquals(3, s.settlements.watermark(), "2 was never journaled: the sequencer admitted 3 right after 1");
        assertEquals(List.of(3L, 1L), s.settlements.settledIds());
    }

    /**
     * Its handlers ran, so it was delivered: a trace write that then fails (a full disk) stops the engine, but the
     * message is counted, so that published = delivered + dropped in the summary of a run the disk stopped.
     */
    @Test
    void shouldCountAMessageDeliveredWhenItsHandlersRanThoughItsTraceWriteThenFails()
    {
        final StagesOnTestThread s = StagesOnTestThread.withDefaults();
        final List<Long> handled = new ArrayList<>();
        s.subscribe(TYPE, message -> handled.add(message.id()));
        final Released message = s.message(TYPE);
        final JournalWriteException diskFull = new JournalWriteException(Path.of("journal", "trace"),
            new java.io.IOException("No space left on device"));
        s.trace.failNextAdd(diskFull);
        assertSame(diskFull, assertThrows(JournalWriteException.class, () -> s.deliver(message)));
        assertEquals(List.of(message.id()), handled);
        assertEquals(1, s.counters.delivered().get(), "delivered: its handler ran");
        assertEquals(0, s.counters.dropped().get());
    }

    @Test
    void shouldNeverStepTheSettledWatermarkOverAJournaledMessageAFailingStageStranded()
    {
        watermarkStopsBelowAStrandedMessage(new IllegalStateException("a sequencer bug"));
    }

    @Test
    void shouldNeverStepTheSettledWatermarkOverAJournaledMessageAFailedWriteStranded()
    {
        watermarkStopsBelowAStrandedMessage(new JournalWriteException(Path.of("journal", "deadletters"),
            new InternalError("a fault occurred in an unsafe memory access operation")));
    }

    private static void watermarkStopsBelowAStrandedMessage(final Throwable failure)
    {
        final StagesOnTestThread s = StagesOnTestThread.withDefaults();
        s.subscribe(TYPE, message -> { });
        final Released first = s.message(TYPE);
        final long stranded = s.failOnNext(failure);
        final Released third = s.message(TYPE);
        s.counters.acknowledge(third.id());
        s.deliver(first, third);
        assertEquals(first.id(), s.settlements.watermark(), stranded + " stays unsettled, for the next engine on " +
            "the journal to deliver");
        assertEquals(List.of(first.id(), third.id()), s.settlements.settledIds());
    }

    @Test
    void shouldHandWhatRecoveryFoundSettledToNoSubscriberAndDeadLetterDependentsOfWhatWasDeliveredToNone()
    {
        final StagesOnTestThread s = StagesOnTestThread.withDefaults();
        final List<Long> log = new ArrayList<>();
        s.subscribe(TYPE, message -> log.add(message.id()));
        final Released settled = s.message(TYPE).recovered(Recovery.SETTLED);
        final Released settledDead = s.message(TYPE).recovered(Recovery.SETTLED_DEAD);
        final Released onSettled = s.message(TYPE).dependsOn(settled.id());
        final Released onDead = s.message(TYPE).dependsOn(settledDead.id());
        s.deliver(settled, settledDead, onSettled, onDead);
        assertEquals(List.of(onSettled.id()), log);
        assertEquals(List.of(onDead.id() + "/-1/DEPENDENCY_DEAD_LETTERED/0"), s.deadLetterLog.briefs());
        assertEquals(1, s.counters.delivered().get(), "only the new message counts as delivered");
        assertEquals(4, s.settlements.watermark());
        assertEquals(0, s.temporal.causalityViolations().get());
    }

    /** Close runs the pending retries to their end, waiting out their backoffs on the stage's clock. */
    @Test
    void shouldFinishPendingRetriesAtShutdownWaitingOutTheirBackoffsThenCloseTheSinks()
    {
        final StagesOnTestThread s = StagesOnTestThread.withDefaults();
        final SplittableRandom twin = new SplittableRandom(s.jitterSeed);
        final RetryPolicy policy = new RetryPolicy(5, 10 * MS, 10 * MS, TimeUnit.SECONDS.toNanos(5), 100);
        final List<Long> attempts = new ArrayList<>();
        s.subscribe(TYPE, message ->
        {
            attempts.add(s.clock.nanoTime());
            if (attempts.size() < 3)
            {
                throw new IllegalStateException("attempt " + attempts.size());
            }
        }, policy);
        final long start = s.clock.nanoTime();
        final Released message = s.message(TYPE);
        s.deliver(message);
        assertEquals(0, s.settlements.watermark());
        s.closeDelivery();
        final long first = policy.backoffNanos(1, twin);
        final long second = policy.backoffNanos(2, twin);
        assertEquals(List.of(start, start + first, start + first + second), attempts);
        assertEquals(first + second, s.clock.parkedNanos(), "it waited exactly the backoffs");
        assertEquals(1, s.settlements.watermark());
        assertTrue(s.trace.isClosed() && s.deadLetterLog.isClosed() && s.settlements.isClosed());
    }
}
