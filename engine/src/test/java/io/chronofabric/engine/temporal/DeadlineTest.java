package io.chronofabric.engine.temporal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.api.DeadlinePolicy;
import io.chronofabric.engine.config.EngineContext;
import io.chronofabric.engine.Publisher;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.Subscription;
import io.chronofabric.engine.api.TemporalStats;
import io.chronofabric.engine.config.ThreadLayout;
import io.chronofabric.engine.api.ManualWallClock;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.DeadLetterRecord;
import io.chronofabric.journal.MessageRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.temporal.TemporalTestSupport.Gate;
import static io.chronofabric.engine.temporal.TemporalTestSupport.awaitTrue;
import static io.chronofabric.engine.temporal.TemporalTestSupport.context;
import static io.chronofabric.engine.temporal.TemporalTestSupport.deadLetters;
import static io.chronofabric.engine.temporal.TemporalTestSupport.journal;
import static io.chronofabric.engine.temporal.TemporalTestSupport.publish;
import static io.chronofabric.engine.temporal.TemporalTestSupport.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deadlines and release order. Messages are made late by holding the pipeline thread in a {@link Gate} (a subscriber
 * of a barrier type) past their deadline: a late delivery counts exactly one miss per (message, subscriber), retries
 * included; the expire policy dead-letters them per subscriber instead; a wall clock step fools neither. Among the
 * messages of one release window, higher priority goes first, then the earlier deadline, then the lower id, and no
 * message overtakes an undelivered dependency.
 */
class DeadlineTest
{
    private static final int BARRIER = 1;
    private static final int TYPE = 2;
    private static final long LATE_BUDGET = 1_000_000L;
    private static final long ROOMY_BUDGET = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path dir;

    /**
     * Delivery runs on a thread of its own here: on the fused dev layout retries wait for the next delivery to be
     * run at all (see {@link RetryTest}), which would make this test depend on jitter.
     */
    @Test
    void shouldCountOneDeadlineMissPerLateMessageAndSubscriberEvenAcrossRetries()
    {
        final Gate gate = new Gate();
        final List<Long> first = Collections.synchronizedList(new ArrayList<>());
        final List<Long> second = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger secondAttempts = new AtomicInteger();
        final long[] late = new long[3];
        final long noDeadline;
        final long onTime;
        final TemporalStats stats;
        try (ChronoFabric engine = ChronoFabric.start(context(dir)
            .threadLayout(ThreadLayout.parse("journal+sequencer|router+delivery"))))
        {
            engine.subscribe(BARRIER, gate);
            engine.subscribe(TYPE, message -> first.add(message.id()));
            // the second subscriber fails its first attempt at the first late message: the retry must not count the
            // miss again
            engine.subscribe(TYPE, message ->
            {
                if (message.id() == late[0] && 1 == secondAttempts.incrementAndGet())
                {
                    throw new IllegalStateException("first attempt fails");
                }
                second.add(message.id());
            }, new RetryPolicy(3, 1_000_000L, 2_000_000L, TimeUnit.SECONDS.toNanos(10), 100));
            final Publisher publisher = engine.newPublisher(1);
            noDeadline = publish(publisher, TYPE, 0);
            awaitTrue(() -> first.contains(noDeadline), () -> "delivered " + first);
            try
            {
                publish(publisher, BARRIER, 0);
                gate.awaitClosedOnPipeline();
                for (int i = 0; i < late.length; i++)
                {
                    late[i] = publish(publisher.deadlineIn(LATE_BUDGET), TYPE, i + 1);
                }
                onTime = publish(publisher.deadlineIn(ROOMY_BUDGET), TYPE, 9);
                sleep(5 * LATE_BUDGET / 1_000_000L);
            }
            finally
            {
                gate.open();
            }
            awaitTrue(() -> first.contains(onTime) && second.contains(onTime), () -> first + " / " + second);
            stats = engine.stats().temporal();
        }
        assertEquals(List.of(noDeadline, late[0], late[1], late[2], onTime), new ArrayList<>(first));
        assertEquals(List.of(noDeadline, late[0], late[1], late[2], onTime), new ArrayList<>(second),
            "the retried message keeps its place in the subscriber's order");
        assertEquals(1, stats.retries());
        assertEquals(2 * late.length, stats.deadlineMisses(), "3 late messages x 2 subscribers, the retry not again");
        assertEquals(2 * late.length, stats.lateness().count(), "each miss records its lateness");
        assertTrue(stats.lateness().max() >= 4 * LATE_BUDGET / 2, "late by several ms: " + stats.lateness());
        assertEquals(0, stats.expired());
        assertEquals(0, stats.deadLettersTotal());
    }

    @Test
    void shouldDeadLetterExpiredMessagesPerSubscriberUnderTheExpirePolicy()
    {
        final EngineContext context = context(dir).deadlinePolicy(DeadlinePolicy.EXPIRE);
        final Gate gate = new Gate();
        final List<Long> first = Collections.synchronizedList(new ArrayList<>());
        final List<Long> second = Collections.synchronizedList(new ArrayList<>());
        final List<String> deadLetterHandler = Collections.synchronizedList(new ArrayList<>());
        final int[] subscriberIds = new int[2];
        final long expired;
        final long onTime;
        final TemporalStats stats;
        try (ChronoFabric engine = ChronoFabric.start(context))
        {
            engine.subscribe(BARRIER, gate);
            final Subscription one = engine.subscribe(TYPE, message -> first.add(message.id()));
            final Subscription two = engine.subscribe(TYPE, message -> second.add(message.id()));
            subscriberIds[0] = ChronoFabric.subscriberId(one);
            subscriberIds[1] = ChronoFabric.subscriberId(two);
            engine.subscribeDeadLetters(dead -> deadLetterHandler.add(dead.message().id() + "/" + dead.subscriberId() +
                "/" + dead.reason() + "/" + dead.attempts()));
            final Publisher publisher = engine.newPublisher(1);
            try
            {
                publish(publisher, BARRIER, 0);
                gate.awaitClosedOnPipeline();
                expired = publish(publisher.deadlineIn(LATE_BUDGET), TYPE, 1);
                onTime = publish(publisher.deadlineIn(ROOMY_BUDGET), TYPE, 2);
                sleep(5 * LATE_BUDGET / 1_000_000L);
            }
            finally
            {
                gate.open();
            }
            awaitTrue(() -> second.contains(onTime) && 2 == deadLetterHandler.size(),
                () -> first + " / " + second + " / " + deadLetterHandler);
            stats = engine.stats().temporal();
        }
        assertEquals(List.of(onTime), new ArrayList<>(first), "the expired message reaches no subscriber");
        assertEquals(List.of(onTime), new ArrayList<>(second));
        assertEquals(List.of(expired + "/" + subscriberIds[0] + "/EXPIRED/0", expired + "/" + subscriberIds[1] +
            "/EXPIRED/0"), new ArrayList<>(deadLetterHandler));
        final List<DeadLetterRecord> journaled = deadLetters(dir);
        assertEquals(2, journaled.size());
        for (int i = 0; i < 2; i++)
        {
            assertEquals(expired, journaled.get(i).messageId());
            assertEquals(subscriberIds[i], journaled.get(i).subscriberId());
            assertEquals(DeadLetterReason.EXPIRED, journaled.get(i).reason());
            assertEquals(TYPE, journaled.get(i).type());
        }
        assertEquals(2, stats.expired());
        assertEquals(2, stats.deadLetters().get(DeadLetterReason.EXPIRED));
        assertEquals(0, stats.deadlineMisses(), "expired messages are not delivered late");
    }

    /**
     * An expired message was delivered to no subscriber; by the issue, a dependent is delivered "only after all of
     * its dependencies have been delivered (to every subscriber of their types)", so a dependent of an expired
     * message can never be delivered and must go to the dead letters (reason {@code dependency_dead_lettered}), as
     * the dependents of messages the sequencer dead-letters do.
     */
    @Test
    void shouldNotDeliverADependentOfAnExpiredMessage()
    {
        final EngineContext context = context(dir).deadlinePolicy(DeadlinePolicy.EXPIRE);
        final Gate gate = new Gate();
        final List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
        final Map<Long, DeadLetterReason> dead = Collections.synchronizedMap(new HashMap<>());
        final long expired;
        final long dependent;
        final long marker;
        try (ChronoFabric engine = ChronoFabric.start(context))
        {
            engine.subscribe(BARRIER, gate);
            engine.subscribe(TYPE, message -> delivered.add(message.id()));
            engine.subscribeDeadLetters(letter -> dead.put(letter.message().id(), letter.reason()));
            final Publisher publisher = engine.newPublisher(1);
            try
            {
                publish(publisher, BARRIER, 0);
                gate.awaitClosedOnPipeline();
                expired = publish(publisher.deadlineIn(LATE_BUDGET), TYPE, 1);
                dependent = publish(publisher, TYPE, 2, expired);
                sleep(5 * LATE_BUDGET / 1_000_000L);
            }
            finally
            {
                gate.open();
            }
            marker = publish(publisher, TYPE, 3);
            awaitTrue(() -> delivered.contains(marker), () -> "delivered " + delivered);
        }
        assertEquals(DeadLetterReason.EXPIRED, dead.get(expired));
        assertTrue(!delivered.contains(dependent), "message " + dependent + " depends on expired message " + expired +
            ", which no subscriber received, yet it was delivered: " + delivered + ", dead letters " + dead);
        assertEquals(DeadLetterReason.DEPENDENCY_DEAD_LETTERED, dead.get(dependent));
    }

    /** Deadlines are kept on the monotonic clock: wall clock steps, forwards or back, neither expire nor excuse. */
    @Test
    void shouldNotBeFooledByAWallClockStep()
    {
        final ManualWallClock clock = new ManualWallClock(System.currentTimeMillis() * 1_000_000L);
        final EngineContext context = context(dir).wallClock(clock).deadlinePolicy(DeadlinePolicy.EXPIRE);
        final Gate gate = new Gate();
        final List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
        final List<Long> expired = Collections.synchronizedList(new ArrayList<>());
        final long roomy;
        final long tight;
        try (ChronoFabric engine = ChronoFabric.start(context))
        {
            engine.subscribe(BARRIER, gate);
            engine.subscribe(TYPE, message -> delivered.add(message.id()));
            engine.subscribeDeadLetters(letter -> expired.add(letter.message().id()));
            final Publisher publisher = engine.newPublisher(1);
            try
            {
                publish(publisher, BARRIER, 0);
                gate.awaitClosedOnPipeline();
                roomy = publish(publisher.deadlineIn(ROOMY_BUDGET), TYPE, 1);
                clock.advance(TimeUnit.HOURS.toNanos(1));
                tight = publish(publisher.deadlineIn(LATE_BUDGET), TYPE, 2);
                clock.advance(-TimeUnit.HOURS.toNanos(2));
                sleep(5 * LATE_BUDGET / 1_000_000L);
            }
            finally
            {
                gate.open();
            }
            awaitTrue(() -> delivered.contains(roomy) && expired.contains(tight), () -> delivered + " / " + expired);
            assertEquals(0, engine.stats().temporal().deadlineMisses());
        }
        assertEquals(List.of(roomy), new ArrayList<>(delivered), "a 60 s deadline survives a 1 hour forward step");
        assertEquals(List.of(tight), new ArrayList<>(expired), "a 1 ms deadline is missed despite a 2 hour step back");
    }
}
