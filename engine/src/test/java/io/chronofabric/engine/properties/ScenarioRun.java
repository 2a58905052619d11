package io.chronofabric.engine.properties;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.EngineTestSupport;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.api.EngineStats;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.Subscription;
import io.chronofabric.engine.config.ThreadLayout;
import io.chronofabric.engine.config.WaitStrategyKind;
import io.chronofabric.journal.DeadLetterReason;

/**
 * Runs a {@link Scenario} against a real engine (a Chronicle journal in a fresh temporary folder, deleted after)
 * and records everything observable: each handler invocation and each dead letter with a global sequence number
 * taken on the delivery thread, the ids publishes returned, the dependencies each message declared, and the engine's
 * stats after {@code close()}.
 */
final class ScenarioRun
{
    /** Writes the message's scenario index. */
    private static final PayloadWriter<Integer> INDEX_WRITER = (index, payload) -> payload.putInt(index);
    private static final long HOLD_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long PUBLISH_JOIN_MILLIS = 60_000;

    /** One handler call. {@code start} is taken on entry, {@code end} just before it returns or throws. */
    record Invocation(int attempt, long start, long end, boolean threw, long messageId, int type)
    {
        @Override
        public String toString()
        {
            return (threw ? "threw" : "returned") + "@" + start + "-" + end;
        }
    }

    /** One dead letter as the dead-letter handler saw it. */
    record Dead(long messageId, int subscriberId, DeadLetterReason reason, int attempts, long seq)
    {
        @Override
        public String toString()
        {
            return reason + "(sub " + subscriberId + ", attempts " + attempts + ")@" + seq;
        }
    }

    /**
     * What the run left to check.
     *
     * @param scenario      the scenario.
     * @param ids           the id each publish returned, by message index.
     * @param publishOrder  message indexes in the order their publishes returned (any publisher): a dependency
     *                      always comes before its dependents, whatever ids the engine gave them.
     * @param dependencies  the indexes of the messages each message declared as dependencies, by message index.
     * @param subscriberIds the engine's id of each subscriber, by subscriber index.
     * @param invocations   per message index and subscriber index, the handler calls in order.
     * @param deadLetters   every dead letter, in the order the handler saw them.
     * @param anomalies     anything a handler saw that no scenario message can be (unknown index, wrong type).
     * @param stats         {@code engine.stats()} after {@code close()}.
     * @param millis        how long the run took.
     */
    record Observation(Scenario scenario, long[] ids, int[] publishOrder, int[][] dependencies, int[] subscriberIds,
        List<List<List<Invocation>>> invocations, List<Dead> deadLetters, List<String> anomalies,
        EngineStats stats, long millis)
    {
    }

    private ScenarioRun()
    {
    }

    static Observation run(final Scenario scenario)
    {
        final long began = System.nanoTime();
        final Path dir = createTempDirectory();
        try
        {
            return run(scenario, dir, began);
        }
        finally
        {
            EngineTestSupport.deleteQuietly(dir);
        }
    }

    private static Observation run(final Scenario scenario, final Path dir, final long began)
    {
        final int n = scenario.messages().size();
        final int subs = scenario.subscribers().size();
        final AtomicLong seq = new AtomicLong();
        final List<List<List<Invocation>>> invocations = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            final List<List<Invocation>> perSubscriber = new ArrayList<>(subs);
            for (int s = 0; s < subs; s++)
            {
                perSubscriber.add(new ArrayList<>(1));
            }
            invocations.add(perSubscriber);
        }
        final List<Dead> deadLetters = new ArrayList<>();
        final List<String> anomalies = new ArrayList<>();
        final Object lock = new Object();
        final int[] subscriberIds = new int[subs];

        final EngineConfiguration context = Profiles.builder("dev")
            .journalDir(dir)
            .waitStrategy(WaitStrategyKind.SLEEPING)
            .threadLayout(ThreadLayout.parse(scenario.layout()))
            .ringSize(4096)
            .payloadCapacity(64)
            .holdCapacity(8192)
            .holdTimeoutNanos(HOLD_TIMEOUT_NANOS)
            .maxDependencies(8)
            .monitorIntervalMillis(0)
            .deadlinePolicy(scenario.policy()).build();

        final long[] ids = new long[n];
        final int[] publishOrder = new int[n];
        final int[][] dependencies = new int[n][];
        final EngineStats stats;
        final ChronoFabric engine = ChronoFabric.start(context, started ->
        {
            for (int s = 0; s < subs; s++)
            {
                final int subscriber = s;
                final Scenario.SubscriberSpec spec = scenario.subscribers().get(s);
                final Subscription subscription = started.subscribe(spec.type(), message ->
                {
                    final long start = seq.incrementAndGet();
                    final int index = message.payload().getInt(message.payload().position());
                    final long id = message.id();
                    final int type = message.type();
                    final boolean known = 0 <= index && index < n;
                    final int attempt;
                    final boolean fail;
                    synchronized (lock)
                    {
                        attempt = known ? invocations.get(index).get(subscriber).size() + 1 : 0;
                        final int failures = known ? scenario.messages().get(index).failures()[subscriber] : 0;
                        fail = spec.guaranteed() ? attempt <= failures : 0 != failures;
                    }
                    final long end = seq.incrementAndGet();
                    synchronized (lock)
                    {
                        if (known)
                        {
                            invocations.get(index).get(subscriber).add(new Invocation(attempt, start, end, fail, id,
                                type));
                        }
                        else
                        {
                            anomalies.add("sub#" + subscriber + " was handed message id " + id + " with payload " +
                                index + ", which is no scenario message");
                        }
                    }
                    if (fail)
                    {
                        throw new IllegalStateException("planned failure of sub#" + subscriber + " on message #" +
                            index + ", attempt " + attempt);
                    }
                }, spec.retry());
                subscriberIds[s] = subscription.id();
            }
            started.subscribeDeadLetters(dead ->
            {
                final long at = seq.incrementAndGet();
                synchronized (lock)
                {
                    deadLetters.add(new Dead(dead.message().id(), dead.subscriberId(), dead.reason(),
                        dead.attempts(), at));
                }
            });
        });
        try
        {
            publishAll(scenario, engine, ids, publishOrder, dependencies);
        }
        finally
        {
            engine.close();
        }
        stats = engine.stats();
        synchronized (lock)
        {
            return new Observation(scenario, ids, publishOrder, dependencies, subscriberIds, invocations,
                new ArrayList<>(deadLetters), new ArrayList<>(anomalies), stats,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        }
    }

    /**
     * The ids returned so far, by any publisher, in the order their publishes returned; dependencies are picked
     * from it.
     */
    private static final class Published
    {
        private final int[] indexes;
        private int size;

        Published(final int capacity)
        {
            indexes = new int[capacity];
        }

        synchronized void add(final int index)
        {
            indexes[size++] = index;
        }

        synchronized int[] order()
        {
            return Arrays.copyOf(indexes, size);
        }

        synchronized int[] pick(final List<Scenario.DepPick> picks)
        {
            final Set<Integer> chosen = new LinkedHashSet<>();
            if (0 < size)
            {
                for (final Scenario.DepPick pick : picks)
                {
                    chosen.add(pick.recent() ? indexes[size - 1 - Math.min(pick.value(), size - 1)] :
                        indexes[Math.floorMod(pick.value(), size)]);
                }
            }
            return chosen.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    private static void publishAll(final Scenario scenario, final ChronoFabric engine, final long[] ids,
        final int[] publishOrder, final int[][] dependencies)
    {
        final int n = scenario.messages().size();
        final Published published = new Published(n);
        final AtomicLongArray idOf = new AtomicLongArray(n);
        final CountDownLatch go = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();
        final List<Throwable> failures = new ArrayList<>();
        for (int p = 0; p < scenario.publishers(); p++)
        {
            final int me = p;
            final Publisher publisher = engine.newPublisher(100 + p);
            final Thread thread = new Thread(() ->
            {
                try
                {
                    go.await();
                    for (int index = 0; index < n; index++)
                    {
                        final Scenario.MessageSpec spec = scenario.messages().get(index);
                        if (spec.publisherSlot() % scenario.publishers() != me)
                        {
                            continue;
                        }
                        final int[] deps = published.pick(spec.deps());
                        publisher.priority(spec.priority());
                        if (0 != spec.deadlineNanos())
                        {
                            publisher.deadlineIn(spec.deadlineNanos());
                        }
                        for (final int dep : deps)
                        {
                            publisher.dependsOn(idOf.get(dep));
                        }
                        final long id = publisher.publish(spec.type(), INDEX_WRITER, index);
                        idOf.set(index, id);
                        dependencies[index] = deps;
                        published.add(index);
                    }
                }
                catch (final Throwable ex)
                {
                    synchronized (failures)
                    {
                        failures.add(ex);
                    }
                }
            }, "props-publisher-" + p);
            threads.add(thread);
            thread.start();
        }
        go.countDown();
        for (final Thread thread : threads)
        {
            try
            {
                thread.join(PUBLISH_JOIN_MILLIS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", ex);
            }
            if (thread.isAlive())
            {
                throw new AssertionError(thread.getName() + " still publishing after " + PUBLISH_JOIN_MILLIS +
                    " ms");
            }
        }
        synchronized (failures)
        {
            if (!failures.isEmpty())
            {
                final AssertionError error = new AssertionError("a publish failed: " + failures.get(0));
                failures.forEach(error::addSuppressed);
                throw error;
            }
        }
        for (int i = 0; i < n; i++)
        {
            ids[i] = idOf.get(i);
        }
        System.arraycopy(published.order(), 0, publishOrder, 0, n);
    }

    private static Path createTempDirectory()
    {
        try
        {
            return Files.createTempDirectory("cf-delivery-props");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
