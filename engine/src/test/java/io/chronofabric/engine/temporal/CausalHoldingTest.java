package io.chronofabric.engine.temporal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.TemporalStats;
import io.chronofabric.engine.config.ThreadLayout;
import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.DeadLetterRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.chronofabric.engine.temporal.TemporalTestSupport.awaitTrue;
import static io.chronofabric.engine.temporal.TemporalTestSupport.context;
import static io.chronofabric.engine.temporal.TemporalTestSupport.deadLetters;
import static io.chronofabric.engine.temporal.TemporalTestSupport.publish;
import static io.chronofabric.engine.temporal.TemporalTestSupport.publishGap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Causal holding on a real engine: random dependency DAGs published concurrently from several threads, a chain
 * handed between two publishing threads across many windows, and the dependencies refused at publish. (A chain and
 * diamonds ordered against their priorities and deadlines within one window only need the sequencer:
 * {@code io.chronofabric.engine.internal.sequencing.TemporalSequencerReleaseOrderTest}.)
 *
 * <p>A dependency always has a smaller id than its dependent and reaches the sequencer first, so a live engine holds
 * a message in its hold buffer only when a dependency never arrives: the tests make such dependencies by consuming an
 * id with a publish whose payload writer fails ({@link TemporalTestSupport#publishGap}). Everything depending on such
 * a gap, transitively, must be dead-lettered, never delivered; everything else must be delivered exactly once, in a
 * topological order of the DAG, with its dependencies delivered to every subscriber of their types first.
 */
class CausalHoldingTest
{
    private static final int PUBLISHERS = 4;
    private static final int PER_PUBLISHER = 2_000;
    private static final int TYPES = 4;
    private static final int GAPS = 6;
    private static final long HOLD_TIMEOUT_NANOS = 50_000_000L;

    @TempDir
    Path dir;

    /** One delivery, as the subscribers saw it: which subscriber, which message. */
    private record Delivery(int subscriber, long id)
    {
    }

    @ParameterizedTest(name = "sequencer.window={0} thread.layout={1}")
    @CsvSource({"1024, journal+sequencer+router+delivery", "7, journal+sequencer+router+delivery",
        "1024, journal|sequencer|router+delivery"})
    void shouldDeliverRandomDagsPublishedFromFourThreadsInTopologicalOrderAndDeadLetterWhatDependsOnAGap(
        final int window, final String layout) throws Exception
    {
        final long seed = System.nanoTime();
        final String where = "seed=" + seed + " window=" + window + " layout=" + layout;
        final EngineConfiguration context = context(dir).sequencerWindow(window).holdTimeoutNanos(HOLD_TIMEOUT_NANOS)
            .threadLayout(ThreadLayout.parse(layout)).build();
        final List<Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());
        final Map<Long, DeadLetterReason> deadLettered = new ConcurrentHashMap<>();
        final AtomicInteger duplicateDeadLetters = new AtomicInteger();
        final Map<Long, long[]> dependencies = new ConcurrentHashMap<>();
        final Map<Long, Integer> types = new ConcurrentHashMap<>();
        final Set<Long> gaps = new HashSet<>();
        final Set<Long> doomed = ConcurrentHashMap.newKeySet();
        final TemporalStats stats;
        try (ChronoFabric engine = ChronoFabric.start(context))
        {
            // type 0 has two subscribers: a dependency must reach both before any dependent reaches anyone
            engine.subscribe(0, message -> deliveries.add(new Delivery(0, message.id())));
            engine.subscribe(0, message -> deliveries.add(new Delivery(1, message.id())));
            for (int type = 1; type < TYPES; type++)
            {
                final int subscriber = type + 1;
                engine.subscribe(type, message -> deliveries.add(new Delivery(subscriber, message.id())));
            }
            engine.subscribeDeadLetters(dead ->
            {
                if (null != deadLettered.put(dead.message().id(), dead.reason()))
                {
                    duplicateDeadLetters.incrementAndGet();
                }
            });

            // ids that no message will ever carry, made while no other thread publishes
            final Publisher setup = engine.newPublisher(100);
            final AtomicLongArray pool = new AtomicLongArray(PUBLISHERS * PER_PUBLISHER + 2 * GAPS);
            final AtomicInteger poolSize = new AtomicInteger();
            final long[] gapIds = new long[GAPS];
            long last = 0;
            for (int i = 0; i < GAPS; i++)
            {
                last = publish(setup, 0, i);
                types.put(last, 0);
                dependencies.put(last, new long[0]);
                pool.set(poolSize.getAndIncrement(), last);
                gapIds[i] = publishGap(setup, 0, last);
                gaps.add(gapIds[i]);
                last = gapIds[i];
            }

            // held messages (transitively waiting on a gap) are offered as dependencies too, rarely, so that some
            // dependents arrive while their dependency is still held and others after it was dead-lettered
            final AtomicLongArray doomedPool = new AtomicLongArray(PUBLISHERS * PER_PUBLISHER);
            final AtomicInteger doomedSize = new AtomicInteger();
            final CountDownLatch start = new CountDownLatch(1);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < PUBLISHERS; t++)
            {
                final Publisher publisher = engine.newPublisher(t + 1);
                final SplittableRandom random = new SplittableRandom(seed + t);
                final Thread thread = new Thread(() ->
                {
                    try
                    {
                        start.await();
                        for (int i = 0; i < PER_PUBLISHER; i++)
                        {
                            final long[] chosen = new long[random.nextInt(4)];
                            boolean isDoomed = false;
                            for (int d = 0; d < chosen.length; d++)
                            {
                                final int roll = random.nextInt(200);
                                if (0 == roll)
                                {
                                    chosen[d] = gapIds[random.nextInt(GAPS)];
                                    isDoomed = true;
                                }
                                else if (roll < 3 && 0 < doomedSize.get())
                                {
                                    chosen[d] = pick(doomedPool, doomedSize.get(), random);
                                    isDoomed |= 0 != chosen[d];
                                }
                                else
                                {
                                    chosen[d] = pick(pool, poolSize.get(), random);
                                }
                            }
                            final long[] declared = java.util.Arrays.stream(chosen).filter(id -> 0 != id).toArray();
                            for (final long dependency : declared)
                            {
                                publisher.dependsOn(dependency);
                            }
                            publisher.priority(random.nextInt(4) * 60);
                            if (0 == random.nextInt(3))
                            {
                                publisher.deadlineIn(TimeUnit.SECONDS.toNanos(5 + random.nextInt(20)));
                            }
                            final int type = random.nextInt(TYPES);
                            final long id = publisher.publish(type, TemporalTestSupport.LONG_WRITER, (long)i);
                            types.put(id, type);
                            dependencies.put(id, declared);
                            if (isDoomed)
                            {
                                doomed.add(id);
                                doomedPool.set(doomedSize.getAndIncrement(), id);
                            }
                            else
                            {
                                pool.set(poolSize.getAndIncrement(), id);
                            }
                            if (0 == random.nextInt(500))
                            {
                                Thread.sleep(1);
                            }
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                }, "dag-publisher-" + t);
                threads.add(thread);
                thread.start();
            }
            start.countDown();
            for (final Thread thread : threads)
            {
                thread.join(TimeUnit.SECONDS.toMillis(30));
                assertFalse(thread.isAlive(), where + ": " + thread.getName() + " still publishing");
            }
            if (null != failure.get())
            {
                throw new AssertionError(where + ": a publisher failed", failure.get());
            }

            final int expectedDeliveries = expectedDeliveries(types, doomed);
            awaitTrue(() -> deadLettered.size() >= doomed.size() && deliveries.size() >= expectedDeliveries,
                () -> where + ": dead-lettered " + deadLettered.size() + " of " + doomed.size() + " doomed, " +
                    deliveries.size() + " of " + expectedDeliveries + " deliveries");
            stats = engine.stats().temporal();
        }

        final List<Delivery> order = new ArrayList<>(deliveries);
        final Map<Long, Integer> first = new HashMap<>();
        final Map<Long, Integer> lastSeen = new HashMap<>();
        final Set<Delivery> unique = new HashSet<>();
        for (int position = 0; position < order.size(); position++)
        {
            final Delivery delivery = order.get(position);
            assertTrue(unique.add(delivery), where + ": duplicate delivery " + delivery);
            first.putIfAbsent(delivery.id(), position);
            lastSeen.put(delivery.id(), position);
        }
        assertEquals(expectedDeliveries(types, doomed), order.size(), where + ": deliveries (none lost, none extra)");
        for (final Map.Entry<Long, long[]> message : dependencies.entrySet())
        {
            final long id = message.getKey();
            if (doomed.contains(id))
            {
                assertFalse(first.containsKey(id), where + ": message " + id + " depends on a gap, transitively, " +
                    "yet was delivered");
                continue;
            }
            assertNotNull(first.get(id), where + ": message " + id + " was never delivered");
            for (final long dependency : message.getValue())
            {
                final Integer dependencyLast = lastSeen.get(dependency);
                assertNotNull(dependencyLast, where + ": dependency " + dependency + " of delivered " + id +
                    " was never delivered");
                assertTrue(dependencyLast < first.get(id), where + ": message " + id + " delivered at position " +
                    first.get(id) + " before its dependency " + dependency + " finished at position " +
                    dependencyLast + ": not a topological order");
            }
        }

        assertEquals(0, duplicateDeadLetters.get(), where + ": a message was dead-lettered twice");
        assertEquals(doomed, deadLettered.keySet(), where + ": exactly the messages depending on a gap are dead-lettered");
        for (final Map.Entry<Long, DeadLetterReason> dead : deadLettered.entrySet())
        {
            final boolean directlyOnGap = java.util.Arrays.stream(dependencies.get(dead.getKey())).anyMatch(gaps::contains);
            if (directlyOnGap)
            {
                assertTrue(DeadLetterReason.DEPENDENCY_TIMEOUT == dead.getValue() ||
                    DeadLetterReason.DEPENDENCY_DEAD_LETTERED == dead.getValue(), where + ": " + dead);
            }
            else
            {
                assertEquals(DeadLetterReason.DEPENDENCY_DEAD_LETTERED, dead.getValue(), where + ": message " +
                    dead.getKey() + " depends only on held messages, so it goes with them");
            }
        }
        final List<DeadLetterRecord> journaled = deadLetters(dir);
        assertEquals(doomed.size(), journaled.size(), where + ": dead letters journaled");
        for (final DeadLetterRecord record : journaled)
        {
            assertEquals(deadLettered.get(record.messageId()), record.reason(), where + ": journaled " + record);
            assertEquals(DeadLetterJournal.WHOLE_MESSAGE, record.subscriberId(), where + ": " + record);
            assertEquals((int)types.get(record.messageId()), record.type(), where + ": " + record);
        }
        assertEquals(0, stats.causalityViolations(), where + ": causality_violations");
        assertEquals(0, stats.heldNow(), where + ": nothing left held");
        assertEquals(0, stats.deadLetters().get(DeadLetterReason.HOLD_OVERFLOW), where + ": no overflow expected");
        assertTrue(stats.held() >= gaps.size(), where + ": held counts at least the messages held for a gap: " +
            stats.held());
    }

    /**
     * A chain of 3000 links whose links alternate between two publishing threads, each link depending on the one the
     * other thread published just before: it spans several journal batches and release windows.
     */
    @Test
    void shouldDeliverAChainHandedBetweenTwoThreadsAcrossManyWindowsInOrder() throws Exception
    {
        final int links = 3_000;
        final List<Long> order = Collections.synchronizedList(new ArrayList<>());
        final EngineConfiguration context = context(dir).sequencerWindow(64).build();
        final long[] chain = new long[links];
        final TemporalStats stats;
        try (ChronoFabric engine = ChronoFabric.start(context))
        {
            engine.subscribe(3, message -> order.add(message.id()));
            final List<SynchronousQueue<Long>> handOff = List.of(new SynchronousQueue<>(), new SynchronousQueue<>());
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 2; t++)
            {
                final int self = t;
                final Publisher publisher = engine.newPublisher(t + 1);
                final Thread thread = new Thread(() ->
                {
                    try
                    {
                        for (int i = self; i < links; i += 2)
                        {
                            final long previous = 0 == i ? 0 : handOff.get(self).poll(10, TimeUnit.SECONDS);
                            publisher.priority(i % 2 * 200);
                            chain[i] = 0 == i ? publish(publisher, 3, i) : publish(publisher, 3, i, previous);
                            if (i + 1 < links && !handOff.get(1 - self).offer(chain[i], 10, TimeUnit.SECONDS))
                            {
                                throw new AssertionError("hand-off of link " + i + " timed out");
                            }
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                }, "chain-publisher-" + t);
                threads.add(thread);
                thread.start();
            }
            for (final Thread thread : threads)
            {
                thread.join(TimeUnit.SECONDS.toMillis(30));
                assertFalse(thread.isAlive(), thread.getName() + " still publishing");
            }
            if (null != failure.get())
            {
                throw new AssertionError("a publisher failed", failure.get());
            }
            awaitTrue(() -> order.size() >= links, () -> order.size() + " of " + links + " delivered");
            stats = engine.stats().temporal();
        }
        final List<Long> expected = new ArrayList<>();
        for (final long id : chain)
        {
            expected.add(id);
        }
        assertEquals(expected, new ArrayList<>(order), "the chain is delivered link by link");
        assertEquals(0, stats.causalityViolations());
    }

    @Test
    void shouldRejectImpossibleDependenciesAtPublishNamingThem()
    {
        final EngineConfiguration context = context(dir).dependencyWindow(1024).maxDependencies(3).build();
        final List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
        try (ChronoFabric engine = ChronoFabric.start(context))
        {
            engine.subscribe(1, message -> delivered.add(message.id()));
            final Publisher publisher = engine.newPublisher(1);
            long last = 0;
            for (int i = 0; i < 1100; i++)
            {
                last = publish(publisher, 1, i);
            }
            final long lastValid = last;
            assertRejected(() -> publish(publisher, 1, 0, lastValid + 1), "cannot depend on itself");
            // each refused publish had claimed an id: the next one is two further on
            final long next = lastValid + 2;
            assertRejected(() -> publish(publisher, 1, 0, next + 5), "from the future");
            assertRejected(() -> publish(publisher, 1, 0, 0), "ids start at 1");
            assertRejected(() -> publish(publisher, 1, 0, -7), "ids start at 1");
            assertRejected(() -> publish(publisher, 1, 0, 1), "too old to be tracked");
            // the boundary: a dependency dependencies.window ids back is refused, naming the allowed distance
            final long atWindow = lastValid + 6 - 1024; // the sixth id after lastValid, like each refused one before
            assertRejected(() -> publish(publisher, 1, 0, atWindow), "1024 ids back; allowed: fewer than " +
                "dependencies.window=1024 ids back");
            assertRejected(() -> publish(publisher, 1, 0, 1, 2, 3, 4), "at most 3");
            final long accepted = publish(publisher, 1, 0, lastValid, lastValid - 1000);
            // one id nearer is tracked
            final long nearest = publish(publisher, 1, 0, accepted + 1 - 1023);
            assertEquals(accepted + 1, nearest, "nothing refused in between");
            awaitTrue(() -> delivered.contains(nearest), () -> "message " + nearest + " delivered");
            assertEquals(0, engine.stats().temporal().causalityViolations());
        }
        assertEquals(1102, delivered.size(), "refused publishes deliver nothing");
    }

    private static void assertRejected(final Runnable publish, final String reason)
    {
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, publish::run);
        assertTrue(refused.getMessage().contains(reason), "'" + refused.getMessage() + "' should say: " + reason);
    }

    private static long pick(final AtomicLongArray ids, final int size, final SplittableRandom random)
    {
        if (0 == size)
        {
            return 0;
        }
        // half the picks among the most recent ids (dependencies waiting in the same release window), half anywhere
        final int from = random.nextBoolean() ? Math.max(0, size - 64) : 0;
        return ids.get(from + random.nextInt(size - from));
    }

    private static int expectedDeliveries(final Map<Long, Integer> types, final Set<Long> doomed)
    {
        int expected = 0;
        for (final Map.Entry<Long, Integer> message : types.entrySet())
        {
            if (!doomed.contains(message.getKey()))
            {
                expected += 0 == message.getValue() ? 2 : 1;
            }
        }
        return expected;
    }
}
