package io.chronofabric.cli.crash;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.DeadLetterReason;

/**
 * Every dead letter of a journal, by message id: for which subscriber indexes it was dead-lettered (engine subscriber
 * id {@code i + 1} is index {@code i}), and with which reasons as a whole. A dead letter settles a message for a
 * subscriber as a delivery does; this is what the settlement checks read it from.
 */
final class DeadLetterIndex
{
    private final Map<Long, Integer> subscribers = new HashMap<>();
    private final Map<Long, Set<DeadLetterReason>> whole = new HashMap<>();
    private final Map<DeadLetterReason, Long> byReason = new EnumMap<>(DeadLetterReason.class);

    private DeadLetterIndex()
    {
    }

    /**
     * @param journal     a journal folder.
     * @param subscribers how many subscribers there are.
     * @param messages    the journaled messages, to check that each dead letter names one, with its type.
     * @param violations  where a dead letter of an unknown message or subscriber is reported (check {@code a}).
     * @return the journal's dead letters.
     */
    static DeadLetterIndex read(final Path journal, final int subscribers, final JournaledMessages messages,
        final Violations violations)
    {
        final DeadLetterIndex index = new DeadLetterIndex();
        DeadLetterJournal.readAll(journal, letter ->
        {
            index.byReason.merge(letter.reason(), 1L, Long::sum);
            final long id = letter.messageId();
            if (!messages.has(id))
            {
                violations.add(SettlementChecker.JOURNALED, "dead letter for id " + id + " (subscriber " +
                    letter.subscriberId() + ", " + letter.reason().label() + ") which the journal does not hold");
            }
            else if (messages.type(id) != letter.type())
            {
                violations.add(SettlementChecker.JOURNALED, "dead letter for id " + id + " names type " +
                    letter.type() + ", the journal type " + messages.type(id));
            }
            if (DeadLetterJournal.WHOLE_MESSAGE == letter.subscriberId())
            {
                index.whole.computeIfAbsent(id, i -> EnumSet.noneOf(DeadLetterReason.class)).add(letter.reason());
            }
            else if (letter.subscriberId() < 1 || letter.subscriberId() > subscribers)
            {
                violations.add(SettlementChecker.JOURNALED, "dead letter for id " + id + " names subscriber id " +
                    letter.subscriberId() + ", not one of 1.." + subscribers);
            }
            else
            {
                index.subscribers.merge(id, 1 << (letter.subscriberId() - 1), (a, b) -> a | b);
            }
        });
        return index;
    }

    /**
     * @param id         a message id.
     * @param subscriber a subscriber index.
     * @return true when the message was dead-lettered for that subscriber or as a whole.
     */
    boolean settles(final long id, final int subscriber)
    {
        return isWhole(id) || 0 != (subscribers.getOrDefault(id, 0) & 1 << subscriber);
    }

    /**
     * @param id a message id.
     * @return true when the message was dead-lettered as a whole (subscriber id -1), for whatever reason.
     */
    boolean isWhole(final long id)
    {
        return whole.containsKey(id);
    }

    /**
     * @param id a message id.
     * @return the reasons it was dead-lettered as a whole with, empty when it was not.
     */
    Set<DeadLetterReason> wholeReasons(final long id)
    {
        return whole.getOrDefault(id, Set.of());
    }

    /**
     * @param id a message id.
     * @return a short description of its dead letters, for failure messages.
     */
    String describe(final long id)
    {
        final int mask = subscribers.getOrDefault(id, 0);
        if (0 == mask && !isWhole(id))
        {
            return "no dead letter";
        }
        final StringBuilder out = new StringBuilder("dead-lettered for subscriber indexes [");
        for (int subscriber = 0; subscriber < Integer.SIZE; subscriber++)
        {
            if (0 != (mask & 1 << subscriber))
            {
                out.append(out.charAt(out.length() - 1) == '[' ? "" : ",").append(subscriber);
            }
        }
        return out.append("], as a whole ").append(wholeReasons(id)).toString();
    }

    /** @return dead letters counted by reason (every record, duplicates across crashes included). */
    Map<DeadLetterReason, Long> byReason()
    {
        return byReason;
    }
}
