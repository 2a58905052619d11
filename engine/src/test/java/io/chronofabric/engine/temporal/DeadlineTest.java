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
import io.chronofabric.engine.config.EngineConfiguration;
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

    /** A message as the release-order model sees it. */
    private record Spec(long id, int priority, long deadline, long[] dependencies)
    {
    }

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
        final EngineConfiguration context = context(dir).deadlinePolicy(DeadlinePolicy.EXPIRE).build();
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
        final EngineConfiguration context = context(dir).deadlinePolicy(DeadlinePolicy.EXPIRE).build();
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
        final EngineConfiguration context = context(dir).wallClock(clock).deadlinePolicy(DeadlinePolicy.EXPIRE).build();
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

    /** Independent messages of one window: priority, then earliest deadline (none last), then id. */
    @Test
    void shouldReleaseAWindowByPriorityThenEarliestDeadlineThenId()
    {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final List<Spec> specs = new ArrayList<>();
        final List<Long> order = releaseOneWindow(200, specs, (i, publisher) ->
        {
            publisher.priority(random.nextInt(3) * 100);
            if (random.nextBoolean())
            {
                publisher.deadlineIn(TimeUnit.SECONDS.toNanos(10 + random.nextInt(5)));
            }
            return new long[0];
        });
        final List<Long> expected = specs.stream().sorted(DeadlineTest::releaseOrder).map(Spec::id)
            .collect(java.util.stream.Collectors.toList());
        assertEquals(expected, order, "seed=" + seed);
    }

    /**
     * Random dependencies inside one window: every message after its dependencies, and messages that were ready from
     * the start of the window (no dependency in it) in priority, deadline, id order among themselves.
     */
    @Test
    void shouldNeverLetPriorityOrDeadlineOvertakeAnUndeliveredDependency()
    {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final List<Spec> specs = new ArrayList<>();
        final List<Long> published = new ArrayList<>();
        final List<Long> order = releaseOneWindow(300, specs, (i, publisher) ->
        {
            publisher.priority(random.nextInt(4) * 80);
            if (random.nextBoolean())
            {
                publisher.deadlineIn(TimeUnit.SECONDS.toNanos(10 + random.nextInt(30)));
            }
            final int count = published.isEmpty() || random.nextInt(3) > 0 ? 0 : 1 + random.nextInt(2);
            final long[] dependencies = new long[count];
            for (int d = 0; d < count; d++)
            {
                dependencies[d] = published.get(random.nextInt(published.size()));
                publisher.dependsOn(dependencies[d]);
            }
            return dependencies;
        }, published);
        final Map<Long, Integer> position = new HashMap<>();
        for (int i = 0; i < order.size(); i++)
        {
            position.put(order.get(i), i);
        }
        final List<Spec> roots = new ArrayList<>();
        for (final Spec spec : specs)
        {
            for (final long dependency : spec.dependencies())
            {
                assertTrue(position.get(dependency) < position.get(spec.id()), "seed=" + seed + ": " + spec.id() +
                    " (priority " + spec.priority() + ") delivered before its dependency " + dependency);
            }
            if (0 == spec.dependencies().length)
            {
                roots.add(spec);
            }
        }
        final List<Long> rootsDelivered = order.stream().filter(id -> roots.stream().anyMatch(s -> s.id() == id))
            .collect(java.util.stream.Collectors.toList());
        final List<Long> rootsExpected = roots.stream().sorted(DeadlineTest::releaseOrder).map(Spec::id)
            .collect(java.util.stream.Collectors.toList());
        assertEquals(rootsExpected, rootsDelivered, "seed=" + seed);
    }

    /**
     * "Among ready messages, earlier deadlines and higher priorities go first, but nothing ever overtakes an
     * undelivered causal dependency": once a low-priority message is delivered, its high-priority dependent is ready
     * and outranks every other ready message, so it goes next. Expected order by that rule, for one window holding
     * L (priority 0), N1..N3 (priority 0, independent), H (priority 255, depends on L), M (priority 100):
     * M, L, H, N1, N2, N3.
     */
    @Test
    void shouldDeliverAHighPriorityDependentRightAfterItsDependencyWhenItOutranksTheOtherReadyMessages()
    {
        final List<Spec> specs = new ArrayList<>();
        final long[] ids = new long[6];
        final List<Long> order = releaseOneWindow(6, specs, (i, publisher) ->
        {
            switch (i)
            {
                case 4:
                    publisher.priority(255).dependsOn(ids[0]);
                    return new long[] {ids[0]};
                case 5:
                    publisher.priority(100);
                    return new long[0];
                default:
                    return new long[0];
            }
        }, null, ids);
        final List<Long> expected = List.of(ids[5], ids[0], ids[4], ids[1], ids[2], ids[3]);
        assertEquals(expected, greedyOrder(specs), "the reference model agrees with the rule");
        assertEquals(expected, order, "L=" + ids[0] + " N=" + ids[1] + "," + ids[2] + "," + ids[3] + " H=" + ids[4] +
            " M=" + ids[5] + ": H (priority 255) is ready as soon as L is delivered and must not wait behind N1..N3 " +
            "(priority 0)");
    }

    /** Builds one window: publishes while the gate holds the pipeline thread, then lets it go. */
    private List<Long> releaseOneWindow(final int count, final List<Spec> specs, final WindowMessage message)
    {
        return releaseOneWindow(count, specs, message, null, null);
    }

    private List<Long> releaseOneWindow(final int count, final List<Spec> specs, final WindowMessage message,
        final List<Long> published)
    {
        return releaseOneWindow(count, specs, message, published, null);
    }

    private List<Long> releaseOneWindow(final int count, final List<Spec> specs, final WindowMessage message,
        final List<Long> published, final long[] ids)
    {
        final EngineConfiguration context = context(dir).build();
        final Gate gate = new Gate();
        final List<Long> order = Collections.synchronizedList(new ArrayList<>());
        try (ChronoFabric engine = ChronoFabric.start(context))
        {
            engine.subscribe(BARRIER, gate);
            engine.subscribe(TYPE, delivered -> order.add(delivered.id()));
            final Publisher publisher = engine.newPublisher(1);
            final Map<Long, long[]> dependencies = new HashMap<>();
            try
            {
                publish(publisher, BARRIER, 0);
                gate.awaitClosedOnPipeline();
                for (int i = 0; i < count; i++)
                {
                    final long[] declared = message.prepare(i, publisher);
                    final long id = publish(publisher, TYPE, i);
                    dependencies.put(id, declared);
                    if (null != published)
                    {
                        published.add(id);
                    }
                    if (null != ids)
                    {
                        ids[i] = id;
                    }
                }
            }
            finally
            {
                gate.open();
            }
            awaitTrue(() -> order.size() >= count, () -> order.size() + " of " + count + " delivered");
            assertEquals(0, engine.stats().temporal().causalityViolations());
            engine.close();
            for (final MessageRecord record : journal(context))
            {
                if (TYPE == record.type())
                {
                    specs.add(new Spec(record.id(), record.priority(), record.deadlineEpochNanos(),
                        dependencies.get(record.id())));
                }
            }
        }
        specs.sort(Comparator.comparingLong(Spec::id));
        return new ArrayList<>(order);
    }

    /** The reference: repeatedly deliver the best message whose dependencies were all delivered. */
    private static List<Long> greedyOrder(final List<Spec> specs)
    {
        final List<Spec> left = new ArrayList<>(specs);
        final List<Long> order = new ArrayList<>();
        while (!left.isEmpty())
        {
            Spec best = null;
            for (final Spec spec : left)
            {
                final boolean ready = java.util.Arrays.stream(spec.dependencies()).allMatch(order::contains);
                if (ready && (null == best || releaseOrder(spec, best) < 0))
                {
                    best = spec;
                }
            }
            order.add(best.id());
            left.remove(best);
        }
        return order;
    }

    private static int releaseOrder(final Spec a, final Spec b)
    {
        if (a.priority() != b.priority())
        {
            return Integer.compare(b.priority(), a.priority());
        }
        if (a.deadline() != b.deadline())
        {
            if (0 == a.deadline() || 0 == b.deadline())
            {
                return 0 == a.deadline() ? 1 : -1;
            }
            return Long.compare(a.deadline(), b.deadline());
        }
        return Long.compare(a.id(), b.id());
    }

    /** Sets the options of the {@code i}th message of a window on the publisher. */
    @FunctionalInterface
    private interface WindowMessage
    {
        /** @return the dependencies it declared. */
        long[] prepare(int i, Publisher publisher);
    }
}
