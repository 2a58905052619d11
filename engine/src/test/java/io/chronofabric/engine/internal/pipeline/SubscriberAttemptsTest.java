package io.chronofabric.engine.internal.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.chronofabric.engine.api.DeadlinePolicy;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.internal.event.Subscriber;
import io.chronofabric.engine.internal.pipeline.StagesOnTestThread.Layout;
import io.chronofabric.engine.internal.pipeline.StagesOnTestThread.Released;
import io.chronofabric.engine.internal.sequencing.JournalFeed;
import io.chronofabric.journal.DeadLetterReason;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guaranteed delivery and deadlines, as {@link SubscriberAttempts} keeps them for the delivery stage, driven on the
 * test thread with a manual monotonic clock and a seeded jitter source (a twin {@link SplittableRandom} with the same
 * seed draws the same backoffs, so each retry's due time is known to the nanosecond): a failing handler is retried
 * after an exponential backoff with full jitter, on idle ticks, until it succeeds, {@code maxAttempts} were made
 * ({@code retries_exhausted}) or the overall timeout passed ({@code retry_timeout}); its later messages wait behind it,
 * up to the queue limit ({@code retry_queue_full}); other subscribers are not held up. Past its deadline a message is
 * delivered late (one miss per message and subscriber, retries included) or, under the expire policy, dead-lettered
 * for each subscriber ({@code expired}).
 */
class SubscriberAttemptsTest
{
    private static final int TYPE = 4;
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @ParameterizedTest(name = "{0}")
    @EnumSource(Layout.class)
    void shouldRetryAfterEachJitteredBackoffUntilTheHandlerSucceedsAndCountEachRetry(final Layout layout)
    {
        final StagesOnTestThread s = StagesOnTestThread.builder().jitterSeed(7).build();
        final SplittableRandom twin = new SplittableRandom(s.jitterSeed);
        final RetryPolicy policy = new RetryPolicy(5, MS, 4 * MS, TimeUnit.SECONDS.toNanos(10), 1_000);
        final int failures = 3;
        final List<Long> invokedAt = new ArrayList<>();
        final List<Long> succeeded = new ArrayList<>();
        final Subscriber subscriber = s.subscribe(TYPE, message ->
        {
            invokedAt.add(s.clock.nanoTime());
            if (invokedAt.size() <= failures)
            {
                throw new IllegalStateException("failure " + invokedAt.size());
            }
            succeeded.add(message.id());
        }, policy);
        final List<Long> expectedTimes = new ArrayList<>(List.of(s.clock.nanoTime()));
        final long id = s.publish(layout, TYPE, 0);
        for (int attempt = 1; attempt <= failures; attempt++)
        {
            final long backoff = policy.backoffNanos(attempt, twin);
            assertTrue(backoff <= Math.min(4 * MS, MS << (attempt - 1)), "full jitter below the doubling ceiling");
            final long due = expectedTimes.get(attempt - 1) + backoff;
            if (backoff > 0)
            {
                s.clock.advanceTo(due - 1);
                s.tick(layout);
                assertEquals(attempt, invokedAt.size(), "attempt " + (attempt + 1) + " not before it is due");
            }
            s.clock.advanceTo(due);
            s.tick(layout);
            assertEquals(attempt + 1, invokedAt.size(), "attempt " + (attempt + 1) + " on the first tick it is due");
            expectedTimes.add(due);
        }
        assertEquals(expectedTimes, invokedAt);
        assertEquals(List.of(id), succeeded, "delivered once");
        assertEquals(failures, s.temporal.retries().get(), "k failures, k retries");
        assertEquals(failures, s.counters.handlerFailures().get());
        assertEquals(failures, subscriber.failures().get());
        assertEquals(List.of(), s.deadLetterLog.letters());
        assertEquals(0, s.temporal.deadLettersTotal());
        assertEquals(List.of(id + "/1/1", id + "/1/2", id + "/1/3"), s.settlements.retries(),
            "each retry noted with the attempts made, for a restart to resume from");
        assertEquals(id, s.settlements.watermark());
    }

    @Test
    void shouldDrawEachBackoffWithFullJitterBelowACeilingThatDoublesUpToTheMaximum()
    {
        final RetryPolicy policy = new RetryPolicy(50, 1_000, 5_000, TimeUnit.SECONDS.toNanos(1), 1);
        final SplittableRandom random = new SplittableRandom(11);
        final long[] ceilings = {1_000, 2_000, 4_000, 5_000, 5_000};
        for (int attempt = 1; attempt <= 40; attempt++)
        {
            final long ceiling = ceilings[Math.min(attempt, ceilings.length) - 1];
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (int i = 0; i < 20_000; i++)
            {
                final long backoff = policy.backoffNanos(attempt, random);
                min = Math.min(min, backoff);
                max = Math.max(max, backoff);
            }
            assertTrue(0 <= min && min < ceiling / 100, "attempt " + attempt + ": min " + min);
            assertTrue(max <= ceiling && max > ceiling * 99 / 100, "attempt " + attempt + ": max " + max + " of " +
                ceiling);
        }
        assertEquals(0, new RetryPolicy(3, 0, 0, 1, 1).backoffNanos(3, random), "no backoff: the next idle tick");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Layout.class)
    void shouldDeadLetterAnAlwaysFailingMessageAfterExactlyMaxAttemptsThenDeliverWhatWaitedBehindIt(
        final Layout layout)
    {
        final int attempts = 4;
        final StagesOnTestThread s = StagesOnTestThread.withDefaults();
        final List<String> events = new ArrayList<>();
        final long[] poison = new long[1];
        s.subscribe(TYPE, message ->
        {
            if (message.id() == poison[0])
            {
                events.add("attempt " + message.id());
                throw new IllegalStateException("always fails");
            }
            events.add("delivered " + message.id());
        }, new RetryPolicy(attempts, MS, 2 * MS, TimeUnit.SECONDS.toNanos(10), 1_000));
        s.subscribeDeadLetters(dead -> events.add("dead " + dead.message().id() + "/" + dead.subscriberId() + "/" +
            dead.reason() + "/" + dead.attempts()));
        poison[0] = 1;
        assertEquals(poison[0], s.publish(layout, TYPE, 0));
        final long next = s.publish(layout, TYPE, 0);
        for (int tick = 0; tick < 10; tick++)
        {
            s.clock.advance(2 * MS);
            s.tick(layout);
        }
        assertEquals(List.of("attempt 1", "attempt 1", "attempt 1", "attempt 1", "dead 1/1/RETRIES_EXHAUSTED/4",
            "delivered " + next), events, "exactly the configured attempts, then the message behind it");
        final RecordingDeadLetters.Letter letter = s.deadLetterLog.letters().get(0);
        assertEquals(new RecordingDeadLetters.Letter(poison[0], TYPE, 1, DeadLetterReason.RETRIES_EXHAUSTED, attempts,
            s.wall.epochNanos()), letter);
        assertEquals(attempts - 1, s.temporal.retries().get());
        assertEquals(1, s.temporal.deadLetters(DeadLetterReason.RETRIES_EXHAUSTED));
        assertEquals(List.of(poison[0]), s.settlements.deadIds(), "delivered to none of its subscribers");
        assertEquals(next, s.settlements.watermark());
    }

    /** The last retry is scheduled no later than the overall timeout; due then, it is not made. */
    @Test
    void shouldGiveUpAtTheOverallTimeoutNamingTheAttemptsMade()
    {
        final long overall = 25 * MS;
        final StagesOnTestThread s = StagesOnTestThread.builder().jitterSeed(3).build();
        final RetryPolicy policy = new RetryPolicy(1_000, 10 * MS, 10 * MS, overall, 100);
        final List<Long> invokedAt = new ArrayList<>();
        s.subscribe(TYPE, message ->
        {
            invokedAt.add(s.clock.nanoTime());
            throw new IllegalStateException("down");
        }, policy);
        final long first = s.clock.nanoTime();
        final Released message = s.message(TYPE);
        s.deliver(message);

        // the model: each retry due a backoff after the failure before it, capped at the overall timeout
        final SplittableRandom twin = new SplittableRandom(s.jitterSeed);
        final List<Long> expected = new ArrayList<>(List.of(first));
        long due;
        do
        {
            due = Math.min(expected.get(expected.size() - 1) + policy.backoffNanos(expected.size(), twin),
                first + overall);
            if (due < first + overall)
            {
                expected.add(due);
            }
            s.clock.advanceTo(due);
            s.deliveryIdle();
        }
        while (due < first + overall);

        assertEquals(expected, invokedAt);
        assertEquals(List.of(message.id() + "/1/RETRY_TIMEOUT/" + expected.size()), s.deadLetterLog.briefs());
        // "retry attempts made" (TemporalStats): every attempt after the first, not the one due at the timeout
        assertEquals(expected.size() - 1, s.temporal.retries().get());
    }

    @Test
    void shouldGiveUpWhenAFailedAttemptEndsPastTheOverallTimeout()
    {
        final StagesOnTestThread s = StagesOnTestThread.withDefaults();
        final int[] invocations = new int[1];
        s.subscribe(TYPE, message ->
        {
            if (2 == ++invocations[0])
            {
                s.clock.advance(30 * MS);
            }
            throw new IllegalStateException("down");
        }, new RetryPolicy(1_000, MS, MS, 25 * MS, 100));
        final Released message = s.message(TYPE);
        s.deliver(message);
        s.clock.advance(MS);
        s.deliveryIdle();
        assertEquals(2, invocations[0], "the second attempt took 30 ms of a 25 ms overall timeout");
        assertEquals(List.of(message.id() + "/1/RETRY_TIMEOUT/2"), s.deadLetterLog.briefs());
        s.clock.advance(100 * MS);
        s.deliveryIdle();
        assertEquals(2, invocations[0]);
    }

    /**
     * A subscriber fails on message 1 until the test lets it succeed: meanwhile another subscriber of the same type
     * receives messages 2..10 (not held hostage); the failing subscriber then receives 1..10 in order; message 11,
     * which depends on message 1, reaches neither subscriber before message 1 succeeded for the failing one.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Layout.class)
    void shouldKeepPerSubscriberOrderAcrossRetriesWithoutHoldingUpOtherSubscribers(final Layout layout)
    {
        final StagesOnTestThread s = StagesOnTestThread.withDefaults();
        final boolean[] allowed = new boolean[1];
        final List<String> log = new ArrayList<>();
        final long[] ids = new long[11];
        s.subscribe(TYPE, message ->
        {
            if (message.id() == ids[0] && !allowed[0])
            {
                throw new IllegalStateException("not yet");
            }
            log.add("retrying:" + message.id());
        }, new RetryPolicy(100_000, MS, 2 * MS, TimeUnit.SECONDS.toNanos(20), 1_000));
        s.subscribe(TYPE, message -> log.add("other:" + message.id()));
        ids[0] = 1;
        assertEquals(ids[0], s.publish(layout, TYPE, 0));
        assertEquals(1, s.counters.handlerFailures().get(), "the first attempt failed: a retry is due");
        for (int i = 1; i < 10; i++)
        {
            ids[i] = s.publish(layout, TYPE, 0);
        }
        ids[10] = s.publish(layout, TYPE, 0, ids[0]);
        assertTrue(log.contains("other:" + ids[9]), "log " + log);
        for (int tick = 0; tick < 10; tick++)
        {
            s.clock.advance(2 * MS);
            s.tick(layout);
        }
        assertTrue(log.stream().noneMatch(entry -> entry.startsWith("retrying:")), "log " + log);
        assertTrue(!log.contains("other:" + ids[10]), "message " + ids[10] + " depends on " + ids[0] +
            ", still being retried: " + log);
        assertTrue(s.temporal.retries().get() >= 10, "retried on each of the 10 ticks meanwhile: " +
            s.temporal.retries().get());
        allowed[0] = true;
        s.clock.advance(2 * MS);
        s.tick(layout);
        assertTrue(log.contains("retrying:" + ids[10]) && log.contains("other:" + ids[10]), "log " + log);
        assertEquals(0, s.temporal.causalityViolations().get());

        final List<String> retrying = log.stream().filter(entry -> entry.startsWith("retrying:"))
            .collect(Collectors.toList());
        final List<String> expected = new ArrayList<>();
        for (final long id : ids)
        {
            expected.add("retrying:" + id);
        }
        assertEquals(expected, retrying, "the retrying subscriber's order is publish order");
        final List<String> other = log.stream().filter(entry -> entry.startsWith("other:"))
            .collect(Collectors.toList());
        assertEquals(11, other.size());
        assertTrue(log.indexOf("other:" + ids[9]) < log.indexOf("retrying:" + ids[0]), "the other subscriber got " +
            "later messages before the retried one succeeded: " + log);
        assertTrue(log.indexOf("retrying:" + ids[0]) < log.indexOf("other:" + ids[10]), "a dependent reaches no " +
            "subscriber before its dependency reached every subscriber: " + log);
        assertEquals(ids[10], s.settlements.watermark(), "everything settled");
    }

    @Test
    void shouldDeadLetterWhatWouldWaitBeyondTheRetryQueueLimitForThatSubscriberOnly()
    {
        final StagesOnTestThread s = StagesOnTestThread.withDefaults();
        final boolean[] allowed = new boolean[1];
        final List<String> log = new ArrayList<>();
        s.subscribe(TYPE, message ->
        {
            if (1 == message.id() && !allowed[0])
            {
                throw new IllegalStateException("not yet");
            }
            log.add("retrying:" + message.id());
        }, new RetryPolicy(1_000, MS, MS, TimeUnit.SECONDS.toNanos(10), 2));
        s.subscribe(TYPE, message -> log.add("other:" + message.id()));
        s.deliver(s.message(TYPE), s.message(TYPE), s.message(TYPE), s.message(TYPE));
        assertEquals(List.of("4/1/RETRY_QUEUE_FULL/0"), s.deadLetterLog.briefs(), "2 and 3 wait, 4 is one too many");
        assertEquals(List.of("other:1", "other:2", "other:3", "other:4"), log);
        allowed[0] = true;
        s.clock.advance(MS);
        s.deliveryIdle();
        assertEquals(List.of("other:1", "other:2", "other:3", "other:4", "retrying:1", "retrying:2", "retrying:3"),
            log);
        assertEquals(List.of("1/2/delivered", "2/2/delivered", "3/2/delivered"), s.settlements.partials(),
            "settled for the other subscriber while waiting for the retrying one");
        assertEquals(List.of(), s.settlements.deadIds(), "message 4 reached the other subscriber");
        assertEquals(4, s.settlements.watermark());
        assertEquals(1, s.temporal.deadLetters(DeadLetterReason.RETRY_QUEUE_FULL));
    }

    @Test
    void shouldCountTheFailureOfASubscriberWithoutARetryPolicyWhateverItThrowsAndGoOn()
    {
        final StagesOnTestThread s = StagesOnTestThread.withDefaults();
        final List<String> log = new ArrayList<>();
        final Subscriber failing = s.subscribe(TYPE, message ->
        {
            if (1 == message.id())
            {
                throw new IllegalStateException("fails");
            }
            throw new StackOverflowError("an Error is the subscriber's failure too");
        });
        s.subscribe(TYPE, message -> log.add("other:" + message.id()));
        s.deliver(s.message(TYPE));
        s.deliver(s.message(TYPE));
        s.clock.advance(TimeUnit.SECONDS.toNanos(1));
        s.deliveryIdle();
        assertEquals(List.of("other:1", "other:2"), log);
        assertEquals(2, s.counters.handlerFailures().get());
        assertEquals(2, failing.failures().get());
        assertEquals(0, s.temporal.retries().get(), "no policy, no retry");
        assertEquals(List.of(), s.deadLetterLog.letters());
        assertEquals(2, s.counters.delivered().get());
        assertEquals(2, s.settlements.watermark(), "its one invocation settles it, failed or not");
    }

    /**
     * Delivery runs on a thread of its own here, as in the engine test this replaces: the release ring hands it the
     * late messages as one batch.
     */
    @Test
    void shouldCountOneDeadlineMissPerLateMessageAndSubscriberEvenAcrossRetries()
    {
        final long lateBudget = MS;
        final StagesOnTestThread s = StagesOnTestThread.withDefaults();
        final List<Long> first = new ArrayList<>();
        final List<Long> second = new ArrayList<>();
        final int[] secondAttempts = new int[1];
        final long[] late = new long[3];
        s.subscribe(TYPE, message -> first.add(message.id()));
        // the second subscriber fails its first attempt at the first late message: the retry must not count the miss
        // again
        s.subscribe(TYPE, message ->
        {
            if (message.id() == late[0] && 1 == ++secondAttempts[0])
            {
                throw new IllegalStateException("first attempt fails");
            }
            second.add(message.id());
        }, new RetryPolicy(3, MS, 2 * MS, TimeUnit.SECONDS.toNanos(10), 100));
        final Released noDeadline = s.message(TYPE);
        s.deliver(noDeadline);
        assertTrue(first.contains(noDeadline.id()), "delivered " + first);
        final Released[] lateOnes = new Released[late.length];
        for (int i = 0; i < late.length; i++)
        {
            lateOnes[i] = s.message(TYPE).deadlineIn(lateBudget);
            late[i] = lateOnes[i].id();
        }
        final Released onTime = s.message(TYPE).deadlineIn(TimeUnit.SECONDS.toNanos(60));
        s.clock.advance(5 * lateBudget);
        s.deliver(lateOnes[0], lateOnes[1], lateOnes[2], onTime);
        s.clock.advance(2 * MS);
        s.deliveryIdle();
        assertTrue(first.contains(onTime.id()) && second.contains(onTime.id()), first + " / " + second);

        assertEquals(List.of(noDeadline.id(), late[0], late[1], late[2], onTime.id()), first);
        assertEquals(List.of(noDeadline.id(), late[0], late[1], late[2], onTime.id()), second,
            "the retried message keeps its place in the subscriber's order");
        assertEquals(1, s.temporal.retries().get());
        assertEquals(2 * late.length, s.temporal.deadlineMisses(),
            "3 late messages x 2 subscribers, the retry not again");
        final Histogram lateness = s.temporal.lateness().cumulative();
        assertEquals(2 * late.length, lateness.getTotalCount(), "each miss records its lateness");
        assertTrue(lateness.getMaxValue() >= 4 * lateBudget / 2, "late by several ms: " + lateness.getMaxValue());
        assertEquals(3, lateness.getCountAtValue(4 * MS), "the first subscriber: 5 ms after publish, 1 ms budget");
        assertEquals(3, lateness.getCountAtValue(6 * MS), "the second: 2 ms later still, after the retry");
        assertEquals(0, s.temporal.deadLetters(DeadLetterReason.EXPIRED));
        assertEquals(0, s.temporal.deadLettersTotal());
    }

    @Test
    void shouldDeadLetterExpiredMessagesPerSubscriberUnderTheExpirePolicy()
    {
        final StagesOnTestThread s = StagesOnTestThread.builder().deadlinePolicy(DeadlinePolicy.EXPIRE).build();
        final JournalFeed feed = s.feed;
        final List<Long> first = new ArrayList<>();
        final List<Long> second = new ArrayList<>();
        final List<String> deadLetterHandler = new ArrayList<>();
        final int[] subscriberIds = new int[2];
        subscriberIds[0] = s.subscribe(TYPE, message -> first.add(message.id())).id();
        subscriberIds[1] = s.subscribe(TYPE, message -> second.add(message.id())).id();
        s.subscribeDeadLetters(dead -> deadLetterHandler.add(dead.message().id() + "/" + dead.subscriberId() +
            "/" + dead.reason() + "/" + dead.attempts()));
        final long expired = feed.publish(feed.message(TYPE).deadlineIn(MS));
        final long onTime = feed.publish(feed.message(TYPE).deadlineIn(TimeUnit.SECONDS.toNanos(60)));
        s.clock.advance(5 * MS);
        feed.endBatch();

        assertEquals(List.of(onTime), first, "the expired message reaches no subscriber");
        assertEquals(List.of(onTime), second);
        assertEquals(List.of(expired + "/" + subscriberIds[0] + "/EXPIRED/0", expired + "/" + subscriberIds[1] +
            "/EXPIRED/0"), deadLetterHandler);
        final List<RecordingDeadLetters.Letter> journaled = s.deadLetterLog.letters();
        assertEquals(2, journaled.size());
        for (int i = 0; i < 2; i++)
        {
            assertEquals(expired, journaled.get(i).messageId());
            assertEquals(subscriberIds[i], journaled.get(i).subscriberId());
            assertEquals(DeadLetterReason.EXPIRED, journaled.get(i).reason());
            assertEquals(TYPE, journaled.get(i).type());
        }
        assertEquals(2, s.temporal.deadLetters(DeadLetterReason.EXPIRED));
        assertEquals(2, s.temporal.deadLettersTotal());
        assertEquals(0, s.temporal.deadlineMisses(), "expired messages are not delivered late");
    }

    /**
     * Each subscriber's delivery is judged when it begins: a first handler that takes the message past its deadline
     * makes it late for the next one (a black-box finding: every subscriber was judged at the first one's start).
     */
    @Test
    void shouldJudgeEachSubscriberAgainstTheDeadlineWhenItsOwnDeliveryBegins()
    {
        final StagesOnTestThread expiring = StagesOnTestThread.builder().deadlinePolicy(DeadlinePolicy.EXPIRE).build();
        final List<Long> second = new ArrayList<>();
        expiring.subscribe(TYPE, message -> expiring.clock.advance(2 * MS));
        final int secondId = expiring.subscribe(TYPE, message -> second.add(message.id())).id();
        final Released slow = expiring.message(TYPE).deadlineIn(MS);
        expiring.deliver(slow);
        assertEquals(List.of(), second, "expired by the time the second subscriber's turn came");
        assertEquals(List.of(slow.id() + "/" + secondId + "/EXPIRED/0"), expiring.deadLetterLog.briefs());

        final StagesOnTestThread lateOnes = StagesOnTestThread.withDefaults();
        lateOnes.subscribe(TYPE, message -> lateOnes.clock.advance(2 * MS));
        lateOnes.subscribe(TYPE, message -> second.add(message.id()));
        final Released late = lateOnes.message(TYPE).deadlineIn(MS);
        lateOnes.deliver(late);
        assertEquals(List.of(late.id()), second);
        assertEquals(1, lateOnes.temporal.deadlineMisses(), "one miss: the second subscriber's");
        assertEquals(MS, lateOnes.temporal.lateness().cumulative().getMaxValue(), 1 + MS / 100, "1 ms late");
    }

    @Test
    void shouldDeliverAtExactlyTheDeadlineAndExpireOrCountAMissOneNanosecondLater()
    {
        final StagesOnTestThread expiring = StagesOnTestThread.builder().deadlinePolicy(DeadlinePolicy.EXPIRE).build();
        final List<Long> delivered = new ArrayList<>();
        expiring.subscribe(TYPE, message -> delivered.add(message.id()));
        final Released onTheDot = expiring.message(TYPE).deadlineIn(MS);
        expiring.clock.advance(MS);
        expiring.deliver(onTheDot);
        final Released oneLate = expiring.message(TYPE).deadlineIn(MS);
        expiring.clock.advance(MS + 1);
        expiring.deliver(oneLate);
        assertEquals(List.of(onTheDot.id()), delivered);
        assertEquals(List.of(oneLate.id() + "/1/EXPIRED/0"), expiring.deadLetterLog.briefs());
        assertEquals(0, expiring.temporal.deadlineMisses());

        final StagesOnTestThread lateOnes = StagesOnTestThread.withDefaults();
        lateOnes.subscribe(TYPE, message -> delivered.add(message.id()));
        final Released late = lateOnes.message(TYPE).deadlineIn(MS);
        lateOnes.clock.advance(MS + 1);
        lateOnes.deliver(late);
        assertEquals(1, lateOnes.temporal.deadlineMisses());
        assertEquals(1, lateOnes.temporal.lateness().cumulative().getMaxValue(), "1 ns late");
    }

    /**
     * A message retried until its deadline passes is dead-lettered {@code expired} at the first attempt due after
     * it, naming the attempts made; its dependents, waiting for it, are dead-lettered whole.
     */
    @Test
    void shouldExpireAMessageWhoseDeadlinePassesWhileItIsRetriedAndDeadLetterItsDependents()
    {
        final long deadline = 200 * MS;
        final StagesOnTestThread s = StagesOnTestThread.builder().deadlinePolicy(DeadlinePolicy.EXPIRE).jitterSeed(5)
            .build();
        final RetryPolicy policy = new RetryPolicy(1_000, 10 * MS, 10 * MS, TimeUnit.SECONDS.toNanos(10), 100);
        final List<Long> attempts = new ArrayList<>();
        final List<Long> dependents = new ArrayList<>();
        s.subscribe(TYPE, message ->
        {
            attempts.add(s.clock.nanoTime());
            throw new IllegalStateException("venue down");
        }, policy);
        s.subscribe(TYPE + 1, message -> dependents.add(message.id()));
        final long start = s.clock.nanoTime();
        final Released expiring = s.message(TYPE).deadlineIn(deadline);
        final Released dependent = s.message(TYPE + 1).dependsOn(expiring.id());
        final Released dependentOfDependent = s.message(TYPE + 1).dependsOn(dependent.id());
        s.deliver(expiring, dependent, dependentOfDependent);

        final SplittableRandom twin = new SplittableRandom(s.jitterSeed);
        final List<Long> expected = new ArrayList<>(List.of(start));
        long due = start;
        while (due <= start + deadline)
        {
            due = expected.get(expected.size() - 1) + policy.backoffNanos(expected.size(), twin);
            if (due <= start + deadline)
            {
                expected.add(due);
            }
            s.clock.advanceTo(due);
            s.deliveryIdle();
        }
        assertTrue(expected.size() >= 2, "it was retried before it expired: " + expected);
        assertEquals(expected, attempts);
        assertEquals(List.of(expiring.id() + "/1/EXPIRED/" + expected.size(),
            dependent.id() + "/-1/DEPENDENCY_DEAD_LETTERED/0",
            dependentOfDependent.id() + "/-1/DEPENDENCY_DEAD_LETTERED/0"),
            s.deadLetterLog.briefs());
        assertEquals(List.of(), dependents);
        assertEquals(0, s.temporal.causalityViolations().get());
        assertEquals(dependentOfDependent.id(), s.settlements.watermark());
    }
}
