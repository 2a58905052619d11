package io.chronofabric.engine.properties;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.chronofabric.engine.api.DeadlinePolicy;
import io.chronofabric.engine.properties.ScenarioRun.Dead;
import io.chronofabric.engine.properties.ScenarioRun.Invocation;
import io.chronofabric.engine.properties.ScenarioRun.Observation;
import io.chronofabric.journal.DeadLetterReason;

/**
 * The model of the delivery contract: from a scenario and what its run observed, the violations of each clause.
 *
 * <ol>
 * <li>Every (message, subscriber of its type) pair ends exactly once: delivered (a guaranteed subscriber's handler
 *     returned normally exactly once, as its last invocation; a plain subscriber's handler was invoked exactly once,
 *     thrown or not), or dead-lettered exactly once for that subscriber, or the message as a whole was dead-lettered
 *     exactly once (subscriber -1) and no handler saw it.</li>
 * <li>A guaranteed subscriber's handler is invoked at most {@code maxAttempts} times per message; exactly that many
 *     times, each failing, when it is dead-lettered {@code RETRIES_EXHAUSTED}.</li>
 * <li>A message is handed to a subscriber only after each dependency is settled for every subscriber it was routed
 *     to, and delivered to at least one of them.</li>
 * <li>Every message depending on a message delivered to none of its subscribers is dead-lettered as a whole with
 *     {@code DEPENDENCY_DEAD_LETTERED} and handed to nobody, transitively; no other message is.</li>
 * <li>Under {@code DELIVER_LATE} nothing is dead-lettered {@code EXPIRED}; under {@code EXPIRE} only messages with a
 *     deadline are.</li>
 * <li>After {@code close()} nothing is in flight and every published message is accounted for: {@code dropped} counts
 *     the messages handed to no subscriber (dead-lettered as a whole, or dead-lettered for each of its subscribers
 *     before any handler saw it: expired, a full retry queue), {@code delivered} the rest.</li>
 * <li>The engine counts no causality violation.</li>
 * </ol>
 *
 * <p>A message of a type nobody subscribes to counts as delivered unless it is dead-lettered as a whole.
 */
final class ContractModel
{
    /** How many violations a failure message lists in full. */
    private static final int SHOWN = 6;

    private final Scenario scenario;
    private final Observation run;
    private final int n;
    private final int subs;
    /** Message index by id. */
    private final Map<Long, Integer> indexOfId = new HashMap<>();
    /** Subscriber index by the engine's subscriber id. */
    private final Map<Integer, Integer> subscriberOfId = new HashMap<>();
    /** Per message index and subscriber index, its dead letters for that subscriber. */
    private final List<List<List<Dead>>> deadFor = new ArrayList<>();
    /** Per message index, its dead letters as a whole (subscriber -1). */
    private final List<List<Dead>> deadWhole = new ArrayList<>();
    /** Dead letters naming an unknown message or subscriber. */
    private final List<String> strayDeadLetters = new ArrayList<>();
    /** Message indexes in the order their publishes returned: a dependency always comes before its dependents. */
    private final int[] inPublishOrder;
    /** Ids that more than one publish returned. */
    private final List<String> duplicateIds = new ArrayList<>();
    /** Delivered to none of its subscribers, as observed (dead as a whole, or no subscriber reached). */
    private final boolean[] deliveredToNone;
    /** The model: depends, directly or transitively, on a message delivered to none. */
    private final boolean[] mustDieForDependency;
    /** The model: delivered to none (observed) or must die for a dependency; its dependents must die. */
    private final boolean[] dead;

    ContractModel(final Observation run)
    {
        this.run = run;
        this.scenario = run.scenario();
        this.n = scenario.messages().size();
        this.subs = scenario.subscribers().size();
        for (int i = 0; i < n; i++)
        {
            final Integer before = indexOfId.put(run.ids()[i], i);
            if (null != before)
            {
                duplicateIds.add("the publishes of #" + before + " and #" + i + " both returned id " + run.ids()[i]);
            }
            final List<List<Dead>> perSubscriber = new ArrayList<>();
            for (int s = 0; s < subs; s++)
            {
                perSubscriber.add(new ArrayList<>(0));
            }
            deadFor.add(perSubscriber);
            deadWhole.add(new ArrayList<>(0));
        }
        for (int s = 0; s < subs; s++)
        {
            subscriberOfId.put(run.subscriberIds()[s], s);
        }
        for (final Dead dead : run.deadLetters())
        {
            final Integer index = indexOfId.get(dead.messageId());
            if (null == index)
            {
                strayDeadLetters.add("dead letter " + dead + " names message id " + dead.messageId() +
                    ", which no publish returned");
            }
            else if (-1 == dead.subscriberId())
            {
                deadWhole.get(index).add(dead);
            }
            else
            {
                final Integer subscriber = subscriberOfId.get(dead.subscriberId());
                if (null == subscriber || scenario.subscribers().get(subscriber).type() != type(index))
                {
                    strayDeadLetters.add("dead letter " + dead + " of " + describe(index) + " names subscriber id " +
                        dead.subscriberId() + ", which is not a subscriber of type " + type(index));
                }
                else
                {
                    deadFor.get(index).get(subscriber).add(dead);
                }
            }
        }
        inPublishOrder = run.publishOrder();
        deliveredToNone = new boolean[n];
        mustDieForDependency = new boolean[n];
        dead = new boolean[n];
        for (final int i : inPublishOrder)
        {
            final int[] of = scenario.subscribersOf(type(i));
            deliveredToNone[i] = !deadWhole.get(i).isEmpty() ||
                0 < of.length && Arrays.stream(of).noneMatch(s -> reached(i, s));
            for (final int dependency : run.dependencies()[i])
            {
                mustDieForDependency[i] |= dead[dependency];
            }
            dead[i] = deliveredToNone[i] || mustDieForDependency[i];
        }
    }

    // ------------------------------------------------------------------------------------------- the clauses

    /** Clause 1 (and the reasons that may end a pair at all). */
    List<String> exactlyOnceViolations()
    {
        final List<String> violations = new ArrayList<>(duplicateIds);
        violations.addAll(strayDeadLetters);
        violations.addAll(run.anomalies());
        for (final int i : inPublishOrder)
        {
            final List<Dead> whole = deadWhole.get(i);
            if (1 < whole.size())
            {
                violations.add(describe(i) + ": dead-lettered as a whole " + whole.size() + " times");
            }
            for (final Dead dead : whole)
            {
                if (DeadLetterReason.DEPENDENCY_DEAD_LETTERED != dead.reason() &&
                    DeadLetterReason.EXPIRED != dead.reason())
                {
                    violations.add(describe(i) + ": dead-lettered as a whole for " + dead.reason() + ", which this " +
                        "scenario cannot cause (hold timeout 30 s, hold capacity above the message count)");
                }
            }
            for (final int s : scenario.subscribersOf(type(i)))
            {
                final List<Invocation> calls = calls(i, s);
                final List<Dead> deadLetters = deadFor.get(i).get(s);
                final boolean guaranteed = guaranteed(s);
                final long successes = calls.stream().filter(call -> !call.threw()).count();
                final String pair = describe(i) + ": pair with sub#" + s + ": ";
                for (final Invocation call : calls)
                {
                    if (call.messageId() != run.ids()[i] || call.type() != type(i))
                    {
                        violations.add(pair + "handed over as id " + call.messageId() + " type " + call.type());
                    }
                }
                for (final Dead dead : deadLetters)
                {
                    if (!endsPair(dead.reason(), guaranteed))
                    {
                        violations.add(pair + "dead-lettered for " + dead.reason() + ", which cannot end a pair " +
                            "with a " + (guaranteed ? "guaranteed" : "plain") + " subscriber");
                    }
                }
                if (!whole.isEmpty())
                {
                    if (!calls.isEmpty() || !deadLetters.isEmpty())
                    {
                        violations.add(pair + "dead-lettered as a whole, yet also handed to this subscriber or " +
                            "dead-lettered for it");
                    }
                    continue;
                }
                if (1 < deadLetters.size())
                {
                    violations.add(pair + "dead-lettered " + deadLetters.size() + " times for this subscriber");
                }
                if (!deadLetters.isEmpty())
                {
                    if (guaranteed ? 0 < successes : !calls.isEmpty())
                    {
                        violations.add(pair + "both delivered and dead-lettered");
                    }
                }
                else if (guaranteed)
                {
                    if (0 == successes)
                    {
                        violations.add(pair + "never ended: the handler never returned normally and no dead letter " +
                            "names this subscriber or the message as a whole");
                    }
                    else if (1 < successes)
                    {
                        violations.add(pair + "delivered " + successes + " times");
                    }
                    else if (calls.get(calls.size() - 1).threw())
                    {
                        violations.add(pair + "invoked again after it returned normally");
                    }
                }
                else if (1 != calls.size())
                {
                    violations.add(pair + (calls.isEmpty() ? "never ended: not handed over and no dead letter" :
                        "a plain subscriber's handler was invoked " + calls.size() + " times"));
                }
            }
        }
        return violations;
    }

    /** Clause 2. */
    List<String> attemptViolations()
    {
        final List<String> violations = new ArrayList<>();
        for (final int i : inPublishOrder)
        {
            for (final int s : scenario.subscribersOf(type(i)))
            {
                if (!guaranteed(s))
                {
                    continue;
                }
                final int maxAttempts = scenario.subscribers().get(s).retry().maxAttempts();
                final List<Invocation> calls = calls(i, s);
                if (maxAttempts < calls.size())
                {
                    violations.add(describe(i) + ": sub#" + s + "'s handler was invoked " + calls.size() +
                        " times, maxAttempts is " + maxAttempts);
                }
                for (final Dead dead : deadFor.get(i).get(s))
                {
                    if (DeadLetterReason.RETRIES_EXHAUSTED == dead.reason() &&
                        (maxAttempts != calls.size() || calls.stream().anyMatch(call -> !call.threw())))
                    {
                        violations.add(describe(i) + ": sub#" + s + " dead-lettered RETRIES_EXHAUSTED after " +
                            calls.size() + " invocation(s) " + calls + ", maxAttempts is " + maxAttempts);
                    }
                }
            }
        }
        return violations;
    }

    /** Clause 3. */
    List<String> causalityViolations()
    {
        final List<String> violations = new ArrayList<>();
        for (final int i : inPublishOrder)
        {
            final long handedOver = IntStream.range(0, subs).boxed().flatMap(s -> calls(i, s).stream())
                .mapToLong(Invocation::start).min().orElse(Long.MAX_VALUE);
            if (Long.MAX_VALUE == handedOver)
            {
                continue;
            }
            for (final int d : run.dependencies()[i])
            {
                if (deliveredToNone[d])
                {
                    violations.add(describe(i) + " was handed over at " + handedOver + " although its dependency " +
                        describe(d) + " was delivered to none of its subscribers");
                    continue;
                }
                for (final int s : scenario.subscribersOf(type(d)))
                {
                    final long settled = settled(d, s);
                    if (Long.MAX_VALUE == settled)
                    {
                        violations.add(describe(i) + " was handed over at " + handedOver + " but its dependency " +
                            describe(d) + " never settled for sub#" + s);
                    }
                    else if (handedOver < settled)
                    {
                        violations.add(describe(i) + " was handed over at " + handedOver + " before its dependency " +
                            describe(d) + " settled for sub#" + s + " at " + settled);
                    }
                }
            }
        }
        return violations;
    }

    /**
     * Clause 4. Violations on direct dependents of a message delivered to none come first, those further down a
     * chain (which follow from them) after.
     */
    List<String> deadDependencyViolations()
    {
        final List<String> violations = new ArrayList<>();
        final List<String> further = new ArrayList<>();
        for (final int i : inPublishOrder)
        {
            final List<Dead> all = allDeadLetters(i);
            if (mustDieForDependency[i])
            {
                final boolean handed = IntStream.range(0, subs).anyMatch(s -> !calls(i, s).isEmpty());
                final boolean rightDeadLetter = 1 == all.size() && -1 == all.get(0).subscriberId() &&
                    DeadLetterReason.DEPENDENCY_DEAD_LETTERED == all.get(0).reason();
                if (handed || !rightDeadLetter)
                {
                    final boolean direct = Arrays.stream(run.dependencies()[i]).anyMatch(d -> deliveredToNone[d]);
                    (direct ? violations : further).add(describe(i) + " depends on " + deadDependencyChain(i) +
                        "; it must be dead-lettered once as a whole for DEPENDENCY_DEAD_LETTERED and handed to " +
                        "nobody");
                }
            }
            else if (all.stream().anyMatch(dead -> DeadLetterReason.DEPENDENCY_DEAD_LETTERED == dead.reason()))
            {
                violations.add(describe(i) + " was dead-lettered DEPENDENCY_DEAD_LETTERED, yet every dependency " +
                    "was delivered to at least one subscriber: " + Arrays.stream(run.dependencies()[i])
                    .mapToObj(this::describe).collect(Collectors.joining("; ")));
            }
        }
        violations.addAll(further);
        return violations;
    }

    /** Clause 5. */
    List<String> expiryViolations()
    {
        final List<String> violations = new ArrayList<>();
        for (final int i : inPublishOrder)
        {
            for (final Dead dead : allDeadLetters(i))
            {
                if (DeadLetterReason.EXPIRED != dead.reason())
                {
                    continue;
                }
                if (DeadlinePolicy.DELIVER_LATE == scenario.policy())
                {
                    violations.add(describe(i) + ": dead-lettered EXPIRED (sub " + dead.subscriberId() +
                        ") under DELIVER_LATE");
                }
                else if (0 == scenario.messages().get(i).deadlineNanos())
                {
                    violations.add(describe(i) + ": dead-lettered EXPIRED (sub " + dead.subscriberId() +
                        ") without a deadline");
                }
            }
        }
        return violations;
    }

    /** Clause 6. */
    List<String> drainViolations()
    {
        final List<String> violations = new ArrayList<>();
        if (0 != run.stats().inFlight())
        {
            violations.add("after close() stats().inFlight() is " + run.stats().inFlight() + " (published " +
                run.stats().published() + ", delivered " + run.stats().delivered() + ", dropped " +
                run.stats().dropped() + ")");
        }
        if (n != run.stats().published())
        {
            violations.add("stats().published() is " + run.stats().published() + ", the scenario published " + n);
        }
        final long handedToNone = IntStream.range(0, n).filter(this::handedToNone).count();
        if (handedToNone != run.stats().dropped() || n - handedToNone != run.stats().delivered())
        {
            violations.add("stats() count delivered " + run.stats().delivered() + " and dropped " +
                run.stats().dropped() + "; the model: " + (n - handedToNone) + " and " + handedToNone +
                " (dropped = handed to no subscriber)");
        }
        for (final int i : inPublishOrder)
        {
            if (!deadWhole.get(i).isEmpty())
            {
                continue;
            }
            for (final int s : scenario.subscribersOf(type(i)))
            {
                if (!reached(i, s) && deadFor.get(i).get(s).isEmpty())
                {
                    violations.add(describe(i) + ": unaccounted for sub#" + s + " after close(): not delivered, " +
                        "not dead-lettered");
                }
            }
        }
        return violations;
    }

    /** Clause 7. */
    List<String> countedCausalityViolations()
    {
        final long counted = run.stats().temporal().causalityViolations();
        return 0 == counted ? List.of() : List.of("stats().temporal().causalityViolations() is " + counted);
    }

    // -------------------------------------------------------------------------------------------- reporting

    /**
     * @param clause     what was checked.
     * @param violations what broke it.
     * @return a failure message: the clause, the scenario, the run's counters and the first violations.
     */
    String report(final String clause, final List<String> violations)
    {
        final StringBuilder text = new StringBuilder(clause).append(" violated ").append(violations.size())
            .append(" time(s)\n  ").append(scenario).append("\n  run: ").append(summary()).append('\n');
        violations.stream().limit(SHOWN).forEach(violation -> text.append("  - ").append(violation).append('\n'));
        if (SHOWN < violations.size())
        {
            text.append("  ... and ").append(violations.size() - SHOWN).append(" more\n");
        }
        return text.toString();
    }

    /** @return the run's time, dead letters by reason (per subscriber / whole), and the engine's counters. */
    String summary()
    {
        final Map<DeadLetterReason, int[]> reasons = new EnumMap<>(DeadLetterReason.class);
        for (final Dead dead : run.deadLetters())
        {
            reasons.computeIfAbsent(dead.reason(), reason -> new int[2])[-1 == dead.subscriberId() ? 1 : 0]++;
        }
        final String deadLetters = reasons.entrySet().stream()
            .map(entry -> entry.getKey() + "=" + entry.getValue()[0] + "/" + entry.getValue()[1])
            .collect(Collectors.joining(", ", "{", "}"));
        final long dead = IntStream.range(0, n).filter(i -> deliveredToNone[i] && !mustDieForDependency[i]).count();
        final long dependents = IntStream.range(0, n).filter(i -> mustDieForDependency[i]).count();
        return run.millis() + " ms, dead letters per subscriber/whole " + deadLetters + ", " + dead +
            " message(s) delivered to none for their own sake, " + dependents + " dependent(s) of those, stats " +
            "published=" + run.stats().published() + " delivered=" + run.stats().delivered() + " dropped=" +
            run.stats().dropped() + " inFlight=" + run.stats().inFlight() + " handlerFailures=" +
            run.stats().handlerFailures() + " retries=" + run.stats().temporal().retries() +
            " causalityViolations=" + run.stats().temporal().causalityViolations();
    }

    /** @return how many messages the model says must die for a dead dependency (for statistics). */
    long dependentsOfDeadMessages()
    {
        return IntStream.range(0, n).filter(i -> mustDieForDependency[i]).count();
    }

    /** @return how many messages were delivered to none of their subscribers for their own sake. */
    long deadForTheirOwnSake()
    {
        return IntStream.range(0, n).filter(i -> deliveredToNone[i] && !mustDieForDependency[i]).count();
    }

    /** @return a message: index, id, spec, dependencies, and per subscriber its calls and dead letters. */
    String describe(final int i)
    {
        final StringBuilder text = new StringBuilder("#").append(i).append(" (id ").append(run.ids()[i])
            .append(", ").append(scenario.messages().get(i)).append(", deps ")
            .append(Arrays.stream(run.dependencies()[i]).mapToObj(d -> "#" + d + "/id " + run.ids()[d])
                .collect(Collectors.joining(", ", "[", "]")));
        for (final int s : scenario.subscribersOf(type(i)))
        {
            text.append("; sub#").append(s).append(guaranteed(s) ? " guaranteed" : " plain").append(" calls ")
                .append(calls(i, s)).append(" dead ").append(deadFor.get(i).get(s));
        }
        if (0 == scenario.subscribersOf(type(i)).length)
        {
            text.append("; no subscribers");
        }
        if (!deadWhole.get(i).isEmpty())
        {
            text.append("; whole ").append(deadWhole.get(i));
        }
        return text.append(')').toString();
    }

    private String deadDependencyChain(final int i)
    {
        final StringBuilder chain = new StringBuilder();
        int at = i;
        while (mustDieForDependency[at])
        {
            final int from = at;
            final int next = Arrays.stream(run.dependencies()[from]).filter(d -> deliveredToNone[d]).findFirst()
                .orElseGet(() -> Arrays.stream(run.dependencies()[from]).filter(d -> dead[d]).findFirst()
                    .orElseThrow());
            chain.append(at == i ? "" : ", which depends on ").append("#").append(next);
            at = next;
        }
        return chain.append(", delivered to none of its subscribers: ").append(describe(at)).toString();
    }

    // -------------------------------------------------------------------------------------------- pair facts

    private int type(final int i)
    {
        return scenario.messages().get(i).type();
    }

    private boolean guaranteed(final int s)
    {
        return scenario.subscribers().get(s).guaranteed();
    }

    /** @return true when no subscriber's handler ever saw message {@code i}, though it had subscribers or died whole. */
    private boolean handedToNone(final int i)
    {
        final int[] of = scenario.subscribersOf(type(i));
        return !deadWhole.get(i).isEmpty() || 0 < of.length && Arrays.stream(of).allMatch(s -> calls(i, s).isEmpty());
    }

    private List<Invocation> calls(final int i, final int s)
    {
        return run.invocations().get(i).get(s);
    }

    private List<Dead> allDeadLetters(final int i)
    {
        final List<Dead> all = new ArrayList<>(deadWhole.get(i));
        deadFor.get(i).forEach(all::addAll);
        return all;
    }

    /** @return whether the handler took it: returned normally (guaranteed) or was invoked (plain). */
    private boolean reached(final int i, final int s)
    {
        return guaranteed(s) ? calls(i, s).stream().anyMatch(call -> !call.threw()) : !calls(i, s).isEmpty();
    }

    /** @return the sequence number at which the pair first ended, or {@code Long.MAX_VALUE} if it never did. */
    private long settled(final int i, final int s)
    {
        long settled = Long.MAX_VALUE;
        for (final Invocation call : calls(i, s))
        {
            if (!guaranteed(s) || !call.threw())
            {
                settled = Math.min(settled, call.end());
            }
        }
        for (final Dead dead : deadFor.get(i).get(s))
        {
            settled = Math.min(settled, dead.seq());
        }
        for (final Dead dead : deadWhole.get(i))
        {
            settled = Math.min(settled, dead.seq());
        }
        return settled;
    }

    private static boolean endsPair(final DeadLetterReason reason, final boolean guaranteed)
    {
        return switch (reason)
        {
            case EXPIRED -> true;
            case RETRIES_EXHAUSTED, RETRY_TIMEOUT, RETRY_QUEUE_FULL -> guaranteed;
            default -> false;
        };
    }
}
