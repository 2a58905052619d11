package io.chronofabric.cli.crash;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

import io.chronofabric.journal.DeadLetterReason;

/**
 * What {@link SettlementChecker} found: the violations by check, and the counts a run's summary line reports.
 *
 * @param journaled            messages the journal holds.
 * @param deliveries           records in all delivery logs.
 * @param crossCrashDuplicates deliveries of a (subscriber, id) an earlier incarnation had already logged.
 * @param deadLetters          dead-letter records by reason.
 * @param violations           what the checks found; further checks may add to it.
 */
public record SettlementReport(long journaled, long deliveries, long crossCrashDuplicates,
    Map<DeadLetterReason, Long> deadLetters, Violations violations)
{
    /** Copies the counts. */
    public SettlementReport
    {
        final Map<DeadLetterReason, Long> copy = new EnumMap<>(DeadLetterReason.class);
        copy.putAll(deadLetters);
        deadLetters = copy;
    }

    /** @return the dead-letter counts by reason label, e.g. {@code {retries_exhausted=12}}. */
    public Map<String, Long> deadLettersByLabel()
    {
        final Map<String, Long> byLabel = new TreeMap<>();
        deadLetters.forEach((reason, count) -> byLabel.put(reason.label(), count));
        return byLabel;
    }
}
