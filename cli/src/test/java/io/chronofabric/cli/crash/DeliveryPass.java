package io.chronofabric.cli.crash;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.LongFunction;

import static io.chronofabric.cli.crash.SettlementChecker.CAUSAL;
import static io.chronofabric.cli.crash.SettlementChecker.DEAD_DEPENDENCY;
import static io.chronofabric.cli.crash.SettlementChecker.DUPLICATES;
import static io.chronofabric.cli.crash.SettlementChecker.JOURNALED;

/**
 * One pass over every incarnation's delivery log in delivery order (incarnation, then position), for the checks that
 * depend on that order: a (each delivery is of a journaled message of the subscriber's type), c1 and c2 (at the first
 * delivery of a message its dependencies had reached their live subscribers, and at least one), and d (no
 * (subscriber, id) twice within an incarnation; those repeated across a crash are counted). It also remembers who got
 * what, for the checks that run afterwards.
 */
final class DeliveryPass
{
    private final JournaledMessages messages;
    private final DeadLetterIndex deadLetters;
    private final SubscriberTypes subscribers;
    private final LongFunction<String> describe;
    private final Violations violations;
    private final BitSet[] delivered;
    private final BitSet[] deliveredHere;
    private final BitSet deliveredToAny = new BitSet();
    private int incarnation;
    private long position;
    private long deliveries;
    private long crossCrashDuplicates;

    /**
     * @param messages    the journaled messages.
     * @param deadLetters the dead letters.
     * @param subscribers who subscribed to what.
     * @param describe    describes a journaled id for failure messages.
     * @param violations  where violations go.
     */
    DeliveryPass(final JournaledMessages messages, final DeadLetterIndex deadLetters, final SubscriberTypes subscribers,
        final LongFunction<String> describe, final Violations violations)
    {
        this.messages = messages;
        this.deadLetters = deadLetters;
        this.subscribers = subscribers;
        this.describe = describe;
        this.violations = violations;
        this.delivered = new BitSet[subscribers.count()];
        this.deliveredHere = new BitSet[subscribers.count()];
        for (int i = 0; i < subscribers.count(); i++)
        {
            delivered[i] = new BitSet();
            deliveredHere[i] = new BitSet();
        }
    }

    /** @param next the incarnation whose log comes next. */
    void incarnation(final int next)
    {
        incarnation = next;
        position = 0;
        for (final BitSet here : deliveredHere)
        {
            here.clear();
        }
    }

    /**
     * One delivery log record, in delivery order.
     *
     * @param loggedIncarnation the incarnation the record names.
     * @param subscriber        the subscriber index.
     * @param id                the message id.
     */
    void delivered(final int loggedIncarnation, final int subscriber, final long id)
    {
        final long at = position++;
        deliveries++;
        if (loggedIncarnation != incarnation || subscriber >= subscribers.count())
        {
            violations.add(JOURNALED, "corrupt delivery log record at " + where(at) + ": incarnation " +
                loggedIncarnation + ", subscriber " + subscriber);
            return;
        }
        if (!messages.has(id))
        {
            violations.add(JOURNALED, "subscriber " + subscriber + " got id " + id + " at " + where(at) +
                ", which the journal does not hold");
            return;
        }
        if (messages.type(id) != subscribers.typeOf(subscriber))
        {
            violations.add(JOURNALED, "subscriber " + subscriber + " (type " + subscribers.typeOf(subscriber) +
                ") got " + describe.apply(id) + " at " + where(at));
            return;
        }
        final int index = (int)id;
        if (deliveredHere[subscriber].get(index))
        {
            violations.add(DUPLICATES, "subscriber " + subscriber + " got " + describe.apply(id) + " twice in " +
                "incarnation " + incarnation + " (again at position " + at + ")");
        }
        else if (delivered[subscriber].get(index))
        {
            crossCrashDuplicates++;
        }
        deliveredHere[subscriber].set(index);
        if (!deliveredToAny.get(index))
        {
            checkDependenciesDelivered(id, subscriber, at);
            deliveredToAny.set(index);
        }
        delivered[subscriber].set(index);
    }

    private void checkDependenciesDelivered(final long id, final int subscriber, final long at)
    {
        for (final long dependency : messages.dependencies(id))
        {
            if (!messages.has(dependency))
            {
                violations.add(CAUSAL, describe.apply(id) + " depends on id " + dependency + ", not journaled");
                continue;
            }
            final List<Integer> missing = new ArrayList<>();
            int reached = 0;
            for (final int other : subscribers.of(messages.type(dependency)))
            {
                if (delivered[other].get((int)dependency))
                {
                    reached++;
                }
                else if (!deadLetters.settles(dependency, other))
                {
                    missing.add(other);
                }
            }
            if (!missing.isEmpty())
            {
                violations.add(CAUSAL, describe.apply(id) + " first delivered (to subscriber " + subscriber + ", " +
                    where(at) + ") before its dependency " + describe.apply(dependency) + " reached subscribers " +
                    missing + " (" + deadLetters.describe(dependency) + ")");
            }
            else if (0 == reached)
            {
                violations.add(DEAD_DEPENDENCY, describe.apply(id) + " delivered (to subscriber " + subscriber + ", " +
                    where(at) + ") although its dependency " + describe.apply(dependency) + " reached no subscriber (" +
                    deadLetters.describe(dependency) + ")");
            }
        }
    }

    private String where(final long at)
    {
        return "incarnation " + incarnation + " position " + at;
    }

    /**
     * @param subscriber a subscriber index.
     * @param id         a journaled id.
     * @return true when some incarnation logged delivering it to that subscriber.
     */
    boolean delivered(final int subscriber, final long id)
    {
        return delivered[subscriber].get((int)id);
    }

    /**
     * @param id a journaled id.
     * @return true when some incarnation logged delivering it to any subscriber.
     */
    boolean deliveredToAny(final long id)
    {
        return deliveredToAny.get((int)id);
    }

    /** @return delivery log records read. */
    long deliveries()
    {
        return deliveries;
    }

    /** @return deliveries of a (subscriber, id) that an earlier incarnation had already logged. */
    long crossCrashDuplicates()
    {
        return crossCrashDuplicates;
    }
}
