package io.chronofabric.engine.internal.observability;

import java.util.LinkedHashMap;
import java.util.Map;

import io.chronofabric.engine.internal.sequencing.TemporalCounters;
import io.chronofabric.journal.DeadLetterReason;

/**
 * Temporal health: causal holding, deadlines, retries, dead letters, causality and the clocks, read at scrape time.
 */
final class TemporalFamilies
{
    private static final double NANOS_PER_SECOND = 1e9;

    private TemporalFamilies()
    {
    }

    /**
     * @param families where they go.
     * @param engine   the engine.
     */
    static void add(final Families families, final MonitoredEngine engine)
    {
        final TemporalCounters temporal = engine.temporal();
        families.counter("messages_held", "Messages held for their dependencies since start.",
            temporal.heldTotalCount());
        families.gauge("held_messages", "Messages held for their dependencies right now.", temporal.held());
        families.gauge("hold_capacity", "Most messages the hold buffer keeps at once (hold.capacity).",
            engine.context().holdCapacity());
        families.gauge("oldest_held_age_seconds", "How long the oldest held message has waited, 0 when none.",
            temporal.oldestHeldAgeNanos(engine.wallNowForReports()) / NANOS_PER_SECOND);
        families.gauge("hold_timeout_seconds", "How long a message may wait for a dependency (hold.timeout-ms).",
            engine.context().holdTimeoutNanos() / NANOS_PER_SECOND);
        families.counter("deadline_misses", "Late (message, subscriber) deliveries.", temporal.deadlineMisses());
        final Map<String, Long> deadLetters = new LinkedHashMap<>();
        for (final DeadLetterReason reason : DeadLetterReason.values())
        {
            deadLetters.put(reason.label(), temporal.deadLetters(reason));
        }
        families.counter("dead_letters", "Dead letters journaled, by reason.", "reason", deadLetters);
        families.counter("delivery_retries", "Delivery attempts retried after a subscriber failed.",
            temporal.retries().get());
        families.counter("causality_violations", "Messages delivered before one of their dependencies; must stay 0.",
            temporal.causalityViolations().get());
        families.gauge("temporal_coherence_ratio", "Fraction of the last 10000 deliveries that were on time and in " +
            "causal order.", temporal.coherence());
        families.counter("hlc_offset_rejections", "Remote HLC timestamps rejected as too far ahead of the local " +
            "clock (hlc.max-offset-ms).", engine.clockOffsetRejections());
        final Map<String, Long> jumps = new LinkedHashMap<>();
        jumps.put("forward", engine.clockJumpsForward());
        jumps.put("backward", engine.clockJumpsBackward());
        families.counter("clock_jumps", "Steps of the wall clock the HLC detected, by direction.", "direction", jumps);
        families.counter("hlc_logical_carries", "Times the HLC's logical counter reached hlc.max-logical and carried " +
            "into the wall component (+1 ns).", engine.hlcLogicalCarries());
        families.gauge("hlc_drift_seconds", "How far the HLC's last stamp leads the wall clock now, 0 when it does " +
            "not (it leads after a remote timestamp ahead of this clock, or many stamps within one tick).",
            hlcLeadNanos(engine.hlcStampedWall(), engine.wallNowForReports()) / NANOS_PER_SECOND);
    }

    /**
     * @param stampedWall the wall component of the HLC's last stamp, epoch nanoseconds.
     * @param wallNow     the wall clock now, epoch nanoseconds.
     * @return how far the stamp is ahead of now, floored at 0; in long arithmetic, since epoch nanoseconds do not
     *     fit a double's mantissa.
     */
    static long hlcLeadNanos(final long stampedWall, final long wallNow)
    {
        return Math.max(0, stampedWall - wallNow);
    }
}
