package io.chronofabric.cli.crash;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.chronofabric.journal.DeadLetterReason;

/**
 * Checks a journal that many incarnations wrote, and were killed while writing, against what their subscribers
 * logged ({@link DeliveryLog}, read in incarnation order, then position: the delivery order). It proves:
 * <ol type="a">
 *     <li>{@value #JOURNALED}: nothing was delivered (or dead-lettered) that was not journaled, and each subscriber
 *     only got messages of its type;</li>
 *     <li>{@value #SETTLED}: every journaled message is settled for each subscriber of its type: delivered at least
 *     once, or dead-lettered for that subscriber, or as a whole;</li>
 *     <li>causal order, in three parts: {@value #CAUSAL}: at the first delivery of a message, each of its
 *     dependencies was already delivered to every subscriber of the dependency's type that did not dead-letter it;
 *     {@value #DEAD_DEPENDENCY}: and to at least one (a dependency dead-lettered for every subscriber, or as a whole,
 *     and never delivered, must never be followed by its dependents); {@value #CASCADE}: such a dependent is
 *     dead-lettered as a whole with reason {@code dependency_dead_lettered};</li>
 *     <li>{@value #DUPLICATES}: no (subscriber, id) is delivered twice within one incarnation; duplicates across a
 *     crash are counted, not refused (the contract is at least once).</li>
 * </ol>
 * Subscriber index {@code i} of the logs is engine subscriber id {@code i + 1} in the dead letters. Checks a, c1, c2
 * and d run in one {@link DeliveryPass} over the logs; b and c3 afterwards, over the journal.
 */
public final class SettlementChecker
{
    /** Check a. */
    public static final String JOURNALED = "a journaled";
    /** Check b. */
    public static final String SETTLED = "b settled";
    /** Check c, first part: dependencies reach their live subscribers first. */
    public static final String CAUSAL = "c1 causal order";
    /** Check c, second part: nothing follows a dependency that reached no subscriber. */
    public static final String DEAD_DEPENDENCY = "c2 delivered after a dead dependency";
    /** Check c, third part: the dependents of a dead message are dead-lettered as a whole. */
    public static final String CASCADE = "c3 dependency_dead_lettered";
    /** Check d. */
    public static final String DUPLICATES = "d duplicates";

    private final SubscriberTypes subscribers;
    private final int maxDependencies;
    private final int payloadCapacity;
    private final long[] lastIdByIncarnation;

    /**
     * @param subscriberTypes     the message type of each subscriber, by index.
     * @param maxDependencies     the engine's dependency capacity, to read the journal.
     * @param payloadCapacity     the engine's payload capacity, to read the journal.
     * @param lastIdByIncarnation the last journaled id after each incarnation, to say in failure messages which
     *                            incarnation journaled an id; may be empty.
     */
    public SettlementChecker(final int[] subscriberTypes, final int maxDependencies, final int payloadCapacity,
        final long[] lastIdByIncarnation)
    {
        this.subscribers = new SubscriberTypes(subscriberTypes);
        this.maxDependencies = maxDependencies;
        this.payloadCapacity = payloadCapacity;
        this.lastIdByIncarnation = lastIdByIncarnation.clone();
    }

    /**
     * @param journal the journal folder.
     * @param logs    the delivery log of each incarnation, by incarnation number (a missing file is an empty log).
     * @return what the checks found, and the counts for the summary.
     */
    public SettlementReport check(final Path journal, final List<Path> logs)
    {
        final Violations violations = new Violations();
        final JournaledMessages messages = JournaledMessages.read(journal, maxDependencies, payloadCapacity,
            violations);
        final DeadLetterIndex deadLetters = DeadLetterIndex.read(journal, subscribers.count(), messages, violations);
        final DeliveryPass pass = new DeliveryPass(messages, deadLetters, subscribers, id -> describe(messages, id),
            violations);
        for (int incarnation = 0; incarnation < logs.size(); incarnation++)
        {
            pass.incarnation(incarnation);
            DeliveryLog.read(logs.get(incarnation), pass::delivered);
        }
        checkSettled(messages, deadLetters, pass, violations);
        checkDependentsOfDeadMessages(messages, deadLetters, pass, violations);
        return new SettlementReport(messages.count(), pass.deliveries(), pass.crossCrashDuplicates(),
            deadLetters.byReason(), violations);
    }

    /** Check b: every journaled message is delivered or dead-lettered for each subscriber of its type. */
    private void checkSettled(final JournaledMessages messages, final DeadLetterIndex deadLetters,
        final DeliveryPass pass, final Violations violations)
    {
        for (long id = 1; id <= messages.maxId(); id++)
        {
            if (!messages.has(id))
            {
                continue;
            }
            final List<Integer> unsettled = new ArrayList<>();
            final List<Integer> reached = new ArrayList<>();
            for (final int subscriber : subscribers.of(messages.type(id)))
            {
                if (pass.delivered(subscriber, id))
                {
                    reached.add(subscriber);
                }
                else if (!deadLetters.settles(id, subscriber))
                {
                    unsettled.add(subscriber);
                }
            }
            if (!unsettled.isEmpty())
            {
                violations.add(SETTLED, describe(messages, id) + " never settled for subscribers " + unsettled +
                    " (delivered to " + reached + "; " + deadLetters.describe(id) + ")");
            }
        }
    }

    /** Check c3: a dependent of a message dead-lettered for all and never delivered is dead-lettered as a whole. */
    private void checkDependentsOfDeadMessages(final JournaledMessages messages, final DeadLetterIndex deadLetters,
        final DeliveryPass pass, final Violations violations)
    {
        for (long id = 1; id <= messages.maxId(); id++)
        {
            if (!messages.has(id))
            {
                continue;
            }
            for (final long dependency : messages.dependencies(id))
            {
                if (!messages.has(dependency) || pass.deliveredToAny(dependency) ||
                    !deadForAll(messages, deadLetters, dependency))
                {
                    continue;
                }
                if (!deadLetters.wholeReasons(id).contains(DeadLetterReason.DEPENDENCY_DEAD_LETTERED))
                {
                    violations.add(CASCADE, describe(messages, id) + " is not dead-lettered as a whole with reason " +
                        DeadLetterReason.DEPENDENCY_DEAD_LETTERED.label() + " although its dependency " +
                        describe(messages, dependency) + " is " + deadLetters.describe(dependency) + " (it is " +
                        deadLetters.describe(id) + ")");
                }
            }
        }
    }

    private boolean deadForAll(final JournaledMessages messages, final DeadLetterIndex deadLetters, final long id)
    {
        if (deadLetters.isWhole(id))
        {
            return true;
        }
        final int[] routed = subscribers.of(messages.type(id));
        for (final int subscriber : routed)
        {
            if (!deadLetters.settles(id, subscriber))
            {
                return false;
            }
        }
        return 0 < routed.length;
    }

    private String describe(final JournaledMessages messages, final long id)
    {
        final StringBuilder out = new StringBuilder("id ").append(id).append(" (type ").append(messages.type(id));
        for (int incarnation = 0; incarnation < lastIdByIncarnation.length; incarnation++)
        {
            if (id <= lastIdByIncarnation[incarnation])
            {
                out.append(", journaled by incarnation ").append(incarnation);
                break;
            }
        }
        return out.append(')').toString();
    }
}
