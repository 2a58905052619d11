package io.chronofabric.cli.analysis;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.chronofabric.engine.config.Settings;

import static io.chronofabric.cli.analysis.Diagnostics.duration;

/**
 * Temporal health findings: held messages, the oldest held age, deadline misses, causality, dead letters, coherence,
 * clocks.
 */
final class TemporalDiagnosis
{
    private static final String AREA = "temporal";

    private TemporalDiagnosis()
    {
    }

    static void analyze(final HealthSnapshot.Temporal temporal, final long delivered, final List<Finding> findings)
    {
        final double held = temporal.holdCapacity() > 0 ? (double)temporal.heldNow() / temporal.holdCapacity() : 0;
        findings.add(new Finding(held >= 0.8 ? Severity.WARN : temporal.heldNow() > 0 ? Severity.INFO : Severity.OK,
            AREA, "held", temporal.heldNow() + " message(s) held for dependencies (hold.capacity " +
            temporal.holdCapacity() + "), the oldest for " + duration(temporal.oldestHeldAge()),
            held >= 0.8 ? "dependencies arrive late or never: fix their publisher, raise hold.capacity or lower " +
            Settings.HOLD_TIMEOUT.name() : temporal.heldNow() > 0 ? "nothing while they are released in time; " +
            "watch chronofabric_oldest_held_age_seconds against hold.timeout-ms" : "none needed"));
        if (temporal.oldestHeldAge() >= 0.5 * temporal.holdTimeout() && temporal.heldNow() > 0)
        {
            findings.add(new Finding(Severity.WARN, AREA, "oldest_held_age", "the oldest held message has waited " +
                duration(temporal.oldestHeldAge()) + " of hold.timeout-ms " + duration(temporal.holdTimeout()),
                "its dependency has not arrived: check that dependency's publisher; at the timeout it is " +
                "dead-lettered as dependency_timeout"));
        }
        final boolean late = temporal.deadlineMisses() > 0;
        findings.add(new Finding(late ? Severity.WARN : Severity.OK, AREA, "deadline_misses",
            temporal.deadlineMisses() + " late (message, subscriber) deliveries of " + delivered + " messages", late ?
            "give messages longer deadlines (deadlineIn), lower the load or use a lower-latency profile; " +
            "deadline.policy=expire dead-letters stale messages instead of delivering them late" : "none needed"));
        final boolean acausal = temporal.causalityViolations() > 0;
        findings.add(new Finding(acausal ? Severity.CRITICAL : Severity.OK, AREA, "causality_violations",
            temporal.causalityViolations() + " message(s) delivered before a dependency (must be 0)", acausal ?
            "a defect: keep the journal folder and report it with `scripts/chronofabric journal verify`'s output" :
            "none needed"));
        deadLetters(temporal.deadLetters(), findings);
        final boolean incoherent = temporal.coherence() < temporal.targetCoherence();
        findings.add(new Finding(incoherent ? Severity.WARN : Severity.OK, AREA, "temporal_coherence",
            String.format("temporal coherence %.4f (target %.4f)", temporal.coherence(), temporal.targetCoherence()),
            incoherent ? "late or acausal deliveries: see deadline_misses above" : "none needed"));
        final boolean clocks = temporal.clockOffsetRejections() > 0 || temporal.clockJumps() > 0;
        findings.add(new Finding(clocks ? Severity.WARN : Severity.OK, AREA, "clocks",
            temporal.clockOffsetRejections() + " remote timestamp(s) rejected as too far ahead, " +
            temporal.clockJumps() + " wall clock step(s)", clocks ?
            "synchronise the nodes' clocks (chrony or NTP, slewing rather than stepping), or raise " +
            "hlc.max-offset-ms to the real skew" : "none needed"));
    }

    private static void deadLetters(final Map<String, Long> byReason, final List<Finding> findings)
    {
        final long total = byReason.values().stream().mapToLong(Long::longValue).sum();
        final String reasons = byReason.entrySet().stream().filter(e -> e.getValue() > 0)
            .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        findings.add(new Finding(total > 0 ? Severity.WARN : Severity.OK, AREA, "dead_letters", total +
            " dead letter(s)" + (reasons.isEmpty() ? "" : ": " + reasons), total > 0 ? "read them with " +
            "subscribeDeadLetters or the deadletters queue; dependency_* means missing dependencies, expired means " +
            "deadlines too short, retries_* means a failing subscriber" : "none needed"));
    }
}
