package io.chronofabric.engine.api;

import java.util.Map;

import io.chronofabric.journal.DeadLetterReason;

/**
 * A snapshot of temporal health: causal holding, deadlines, retries, dead letters, clocks.
 *
 * @param held                messages that arrived with a dependency not yet released, and so were held back
 *                            for it (in the hold buffer, or ordered after it in the same release window).
 * @param heldNow             messages held right now.
 * @param oldestHeldAgeNanos  how long the oldest held message has waited, 0 when none.
 * @param deadlineMisses      late (message, subscriber) deliveries.
 * @param lateness            how late they were.
 * @param expired             (message, subscriber) pairs dead-lettered as expired.
 * @param deadLetters         dead letters by reason.
 * @param retries             retry attempts made.
 * @param causalityViolations messages delivered before one of their dependencies; must be 0.
 * @param coherence           fraction of recent deliveries that were on time and in causal order.
 * @param clockOffsetRejections remote HLC timestamps rejected as too far ahead.
 * @param clockJumpsForward   forward steps of the wall clock detected.
 * @param clockJumpsBackward  backward steps of the wall clock detected.
 * @param hlcLogicalCarries   times the HLC's logical counter would have passed {@code hlc.max-logical} and carried
 *                            into the wall component (+1 ns) instead.
 */
public record TemporalStats(long held, int heldNow, long oldestHeldAgeNanos, long deadlineMisses,
    LatencySummary lateness, long expired, Map<DeadLetterReason, Long> deadLetters, long retries,
    long causalityViolations, double coherence, long clockOffsetRejections, long clockJumpsForward,
    long clockJumpsBackward, long hlcLogicalCarries)
{
    /** @return dead letters of every reason. */
    public long deadLettersTotal()
    {
        return deadLetters.values().stream().mapToLong(Long::longValue).sum();
    }
}
