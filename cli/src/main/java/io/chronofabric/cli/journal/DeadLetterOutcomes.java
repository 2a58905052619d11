package io.chronofabric.cli.journal;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.DeadLetterRecord;
import io.chronofabric.journal.JournalCorruptionException;

/**
 * The dead letters a journal holds for a set of messages, as a replay compares them with the original's: how many
 * per reason, and an order-independent digest of which (message, subscriber, reason) they are, so that two sets are
 * compared without holding either in memory. A replay delivers what the original dead-lettered when a decision
 * depended on when delivery happened (a deadline under {@code expire}, a retry's or a hold's timeout): the order of
 * what both delivered can then be identical while the outcomes are not.
 */
final class DeadLetterOutcomes
{
    private final Map<String, Long> byReason = new TreeMap<>();
    private long digest;

    private DeadLetterOutcomes()
    {
    }

    /**
     * @param journalDir a journal folder.
     * @param ids        the messages whose dead letters count.
     * @param problems   where a corrupt dead letter is reported (reading stops there).
     * @return the dead letters of those messages in the folder's dead-letter journal.
     */
    static DeadLetterOutcomes of(final Path journalDir, final IdSet ids, final Problems problems)
    {
        final DeadLetterOutcomes outcomes = new DeadLetterOutcomes();
        try
        {
            DeadLetterJournal.readAll(journalDir, letter ->
            {
                if (ids.contains(letter.messageId()))
                {
                    outcomes.add(letter);
                }
            });
        }
        catch (final JournalCorruptionException ex)
        {
            problems.add(DeadLetterJournal.FOLDER, ex.index(), "corrupt_dead_letter", ex.reason());
        }
        return outcomes;
    }

    private void add(final DeadLetterRecord letter)
    {
        byReason.merge(letter.reason().label(), 1L, Long::sum);
        digest += mix(mix(letter.messageId()) + 31L * letter.subscriberId() + letter.reason().ordinal());
    }

    /** SplitMix64's finalizer: spreads each letter over 64 bits before the sum. */
    private static long mix(final long value)
    {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** @return true when both hold the same dead letters (per message, subscriber and reason). */
    boolean sameAs(final DeadLetterOutcomes other)
    {
        return byReason.equals(other.byReason) && digest == other.digest;
    }

    /** @return dead letters per reason label, sorted. */
    Map<String, Long> byReason()
    {
        return byReason;
    }
}
