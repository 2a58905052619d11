package io.chronofabric.engine.properties;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.chronofabric.engine.api.DeadlinePolicy;
import io.chronofabric.engine.api.RetryPolicy;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.arbitraries.IntegerArbitrary;
import net.jqwik.api.arbitraries.LongArbitrary;

/**
 * One random scenario of the delivery-contract properties: the engine settings that matter (deadline policy, thread
 * layout), the subscribers of each message type, and the messages in generation order with who publishes each, its
 * priority, deadline, how its dependencies are picked and how each subscriber's handler fails on it.
 *
 * <p>Message {@code i} of the list (its <em>index</em>) carries {@code i} as its payload, so handlers and dead
 * letters name it whatever id the engine gave it.
 *
 * @param policy      the deadline policy.
 * @param layout      the thread layout; sequencer, router and delivery always share one thread.
 * @param publishers  publishing threads, one {@code Publisher} each.
 * @param subscribers every subscriber, in subscription order (its index is its position here).
 * @param messages    every message, by index.
 */
record Scenario(DeadlinePolicy policy, String layout, int publishers, List<SubscriberSpec> subscribers,
    List<MessageSpec> messages)
{
    /** Types 0..2 have subscribers; this one never has any (its messages count as delivered). */
    static final int UNSUBSCRIBED_TYPE = 3;
    /** A failure count meaning: fails on every attempt. */
    static final int PERMANENT = Integer.MAX_VALUE;
    /** A loose deadline: never reached in a run of a few seconds. */
    static final long LOOSE_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** A loose overall retry timeout: never reached in a run of a few seconds. */
    static final long LOOSE_RETRY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** A queue limit no run reaches. */
    static final int LARGE_QUEUE_LIMIT = 100_000;

    /**
     * @param type  the subscribed type.
     * @param retry its retry policy (guaranteed delivery), or null for a plain subscriber.
     */
    record SubscriberSpec(int type, RetryPolicy retry)
    {
        boolean guaranteed()
        {
            return null != retry;
        }

        @Override
        public String toString()
        {
            if (null == retry)
            {
                return "plain(type " + type + ")";
            }
            return "guaranteed(type " + type + ", maxAttempts " + retry.maxAttempts() + ", backoff " +
                retry.baseBackoffNanos() / 1000 + ".." + retry.maxBackoffNanos() / 1000 + " us, timeout " +
                (LOOSE_RETRY_TIMEOUT_NANOS == retry.overallTimeoutNanos() ? "loose" :
                    retry.overallTimeoutNanos() / 1000 + " us") + ", queueLimit " +
                (LARGE_QUEUE_LIMIT == retry.queueLimit() ? "large" : String.valueOf(retry.queueLimit())) + ")";
        }
    }

    /**
     * How one dependency is picked at publish time among the ids already returned by a publish (of any publisher):
     * the {@code value}-th most recent one, or the one at {@code value} modulo how many there are.
     */
    record DepPick(boolean recent, int value)
    {
    }

    /**
     * @param publisherSlot which publisher publishes it (modulo the publisher count).
     * @param type          its type.
     * @param priority      0..255.
     * @param deadlineNanos 0 for none, else the relative deadline.
     * @param deps          how its dependencies are picked (duplicates collapse).
     * @param failures      per subscriber index: 0 never fails; k fails on its first k attempts; {@link #PERMANENT}
     *                      always fails. A plain subscriber throws on its single invocation when it is not 0.
     */
    record MessageSpec(int publisherSlot, int type, int priority, long deadlineNanos, List<DepPick> deps,
        int[] failures)
    {
        @Override
        public String toString()
        {
            return "type " + type + ", priority " + priority + ", deadline " + deadlineText(deadlineNanos) +
                ", failures " + failuresText(failures);
        }
    }

    static String deadlineText(final long nanos)
    {
        if (0 == nanos)
        {
            return "none";
        }
        return LOOSE_DEADLINE_NANOS == nanos ? "loose" : "tight " + nanos / 1000 + " us";
    }

    static String failuresText(final int[] failures)
    {
        final StringBuilder text = new StringBuilder("{");
        for (int s = 0; s < failures.length; s++)
        {
            if (0 != failures[s])
            {
                text.append(1 == text.length() ? "" : ", ").append("sub#").append(s).append(": ")
                    .append(PERMANENT == failures[s] ? "always" : "first " + failures[s]);
            }
        }
        return text.append('}').toString();
    }

    /** @return the subscriber indexes of a type, in subscription order. */
    int[] subscribersOf(final int type)
    {
        return java.util.stream.IntStream.range(0, subscribers.size())
            .filter(s -> subscribers.get(s).type() == type).toArray();
    }

    /** A summary: the settings and subscribers in full, the messages counted (the list itself is too long). */
    @Override
    public String toString()
    {
        final Map<Integer, Integer> types = new TreeMap<>();
        int tight = 0;
        int loose = 0;
        int withDeps = 0;
        int failing = 0;
        for (final MessageSpec message : messages)
        {
            types.merge(message.type(), 1, Integer::sum);
            tight += 0 != message.deadlineNanos() && LOOSE_DEADLINE_NANOS != message.deadlineNanos() ? 1 : 0;
            loose += LOOSE_DEADLINE_NANOS == message.deadlineNanos() ? 1 : 0;
            withDeps += message.deps().isEmpty() ? 0 : 1;
            failing += Arrays.stream(message.failures()).anyMatch(f -> 0 != f) ? 1 : 0;
        }
        final List<String> subs = new ArrayList<>();
        for (int s = 0; s < subscribers.size(); s++)
        {
            subs.add("sub#" + s + "=" + subscribers.get(s));
        }
        return "Scenario{policy " + policy + ", layout " + layout + ", " + publishers + " publishers, " +
            messages.size() + " messages (by type " + types + ", " + tight + " tight and " + loose +
            " loose deadlines, " + withDeps + " with dependencies, " + failing + " with planned failures), " +
            "subscribers " + subs + "}";
    }

    // ---------------------------------------------------------------------------------------------- generators

    /** @return random scenarios of 200..2000 messages. */
    static Arbitrary<Scenario> scenarios()
    {
        return Combinators.combine(
                Arbitraries.of(DeadlinePolicy.class),
                Arbitraries.of("journal+sequencer+router+delivery", "journal|sequencer+router+delivery"),
                Arbitraries.integers().between(2, 3),
                subscriberLists(),
                uniform(Arbitraries.integers().between(200, 2000)))
            .flatAs((policy, layout, publishers, subscribers, count) -> message(subscribers.size()).list()
                .ofSize(count)
                .map(messages -> new Scenario(policy, layout, publishers, subscribers, messages)))
            // edge cases (every message alike, all of one type, ...) would waste the few tries a real engine affords
            .withoutEdgeCases();
    }

    private enum Kind
    {
        ALL_GUARANTEED, MIXED, ALL_PLAIN
    }

    private static Arbitrary<List<SubscriberSpec>> subscriberLists()
    {
        return Combinators.combine(subscribersOfType(0), subscribersOfType(1), subscribersOfType(2)).as((a, b, c) ->
        {
            final List<SubscriberSpec> all = new ArrayList<>(a);
            all.addAll(b);
            all.addAll(c);
            return all;
        });
    }

    private static Arbitrary<List<SubscriberSpec>> subscribersOfType(final int type)
    {
        return Combinators.combine(
                Arbitraries.frequency(Tuple.of(45, Kind.ALL_GUARANTEED), Tuple.of(40, Kind.MIXED),
                    Tuple.of(15, Kind.ALL_PLAIN)),
                Arbitraries.integers().between(1, 3),
                retryPolicy().list().ofSize(3),
                Arbitraries.of(true, false).list().ofSize(3))
            .as((kind, count, policies, guaranteed) ->
            {
                final List<SubscriberSpec> specs = new ArrayList<>();
                for (int i = 0; i < count; i++)
                {
                    final boolean isGuaranteed = Kind.ALL_GUARANTEED == kind ||
                        Kind.MIXED == kind && guaranteed.get(i);
                    specs.add(new SubscriberSpec(type, isGuaranteed ? policies.get(i) : null));
                }
                return specs;
            });
    }

    private static Arbitrary<RetryPolicy> retryPolicy()
    {
        return Combinators.combine(
                Arbitraries.integers().between(1, 4),
                uniform(Arbitraries.longs().between(0, 200_000)),
                uniform(Arbitraries.longs().between(0, 500_000)),
                Arbitraries.frequencyOf(Tuple.of(70, Arbitraries.just(LOOSE_RETRY_TIMEOUT_NANOS)),
                    Tuple.of(30, uniform(Arbitraries.longs().between(50_000, 3_000_000)))),
                Arbitraries.frequencyOf(Tuple.of(70, Arbitraries.just(LARGE_QUEUE_LIMIT)),
                    Tuple.of(30, Arbitraries.integers().between(1, 8))))
            .as((attempts, base, extra, timeout, queueLimit) ->
                new RetryPolicy(attempts, base, base + extra, timeout, queueLimit));
    }

    private static Arbitrary<MessageSpec> message(final int subscriberCount)
    {
        return Combinators.combine(
                Arbitraries.integers().between(0, 5),
                Arbitraries.frequency(Tuple.of(30, 0), Tuple.of(30, 1), Tuple.of(30, 2),
                    Tuple.of(10, UNSUBSCRIBED_TYPE)),
                Arbitraries.integers().between(0, 255),
                Arbitraries.frequencyOf(Tuple.of(60, Arbitraries.just(0L)),
                    Tuple.of(25, uniform(Arbitraries.longs().between(1_000, 300_000))),
                    Tuple.of(15, Arbitraries.just(LOOSE_DEADLINE_NANOS))),
                dependencyPicks(),
                failures(subscriberCount))
            .as(MessageSpec::new);
    }

    private static Arbitrary<List<DepPick>> dependencyPicks()
    {
        final Arbitrary<DepPick> pick = Combinators.combine(
                Arbitraries.frequency(Tuple.of(75, true), Tuple.of(25, false)),
                uniform(Arbitraries.integers().between(0, 1 << 20)))
            .as((recent, value) -> new DepPick(recent, recent ? value % 8 : value));
        return Arbitraries.frequency(Tuple.of(40, 0), Tuple.of(35, 1), Tuple.of(15, 2), Tuple.of(10, 3))
            .flatMap(size -> pick.list().ofSize(size));
    }

    private static Arbitrary<int[]> failures(final int subscriberCount)
    {
        final Arbitrary<Integer> some = Arbitraries.frequency(Tuple.of(70, 0), Tuple.of(10, 1), Tuple.of(7, 2),
            Tuple.of(5, 3), Tuple.of(8, PERMANENT));
        final Arbitrary<Integer> all = Arbitraries.frequency(Tuple.of(75, PERMANENT), Tuple.of(10, 1),
            Tuple.of(10, 2), Tuple.of(5, 3));
        return Arbitraries.frequencyOf(
                Tuple.of(80, Arbitraries.just(new int[subscriberCount]).map(int[]::clone)),
                Tuple.of(13, some.array(Integer[].class).ofSize(subscriberCount).map(Scenario::unbox)),
                Tuple.of(7, all.array(Integer[].class).ofSize(subscriberCount).map(Scenario::unbox)));
    }

    /** jqwik biases numbers towards small values and edges by default; these ranges should be covered evenly. */
    private static IntegerArbitrary uniform(final IntegerArbitrary numbers)
    {
        return numbers.withDistribution(RandomDistribution.uniform());
    }

    private static LongArbitrary uniform(final LongArbitrary numbers)
    {
        return numbers.withDistribution(RandomDistribution.uniform());
    }

    private static int[] unbox(final Integer[] values)
    {
        return Arrays.stream(values).mapToInt(Integer::intValue).toArray();
    }
}
