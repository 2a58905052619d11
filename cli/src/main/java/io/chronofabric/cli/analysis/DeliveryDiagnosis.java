package io.chronofabric.cli.analysis;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.chronofabric.journal.DeadLetterReason;

/**
 * Delivery findings: drops, subscriber failures, the monitor's target breaches.
 */
final class DeliveryDiagnosis
{
    private static final String AREA = "delivery";
    /** Reasons given only after a handler saw the message: they drop nothing. */
    private static final Set<String> AFTER_A_HANDLER = Set.of(DeadLetterReason.RETRIES_EXHAUSTED.label(),
        DeadLetterReason.RETRY_TIMEOUT.label());

    private DeliveryDiagnosis()
    {
    }

    static void analyze(final HealthSnapshot.Engine engine, final HealthSnapshot.Temporal temporal,
        final List<Finding> findings)
    {
        // a message dead-lettered whole, or for each subscriber before any handler saw it (expired, a full retry
        // queue), counts as dropped and is accounted for; a retry's dead letter comes after a handler saw the
        // message, which was then delivered, so it accounts for no drop
        final long deadLetters = temporal.deadLetters().entrySet().stream()
            .filter(reason -> !AFTER_A_HANDLER.contains(reason.getKey())).mapToLong(Map.Entry::getValue).sum();
        final boolean unaccounted = engine.dropped() > deadLetters;
        findings.add(new Finding(unaccounted ? Severity.CRITICAL : engine.dropped() > 0 ? Severity.INFO : Severity.OK,
            AREA, "dropped", engine.dropped() + " of " + engine.published() + " published message(s) dropped, " +
            deadLetters + " dead letter(s)", unaccounted ? "more dropped than dead-lettered: the journal or a " +
            "stage failed and messages were never journaled; read the ERROR log, check free space and permissions " +
            "of journal.dir" : engine.dropped() > 0 ? "dead-lettered whole by a policy (expired, a dependency dead " +
            "or timed out, hold overflow): see the dead letters by reason" : "none needed"));
        findings.add(new Finding(engine.handlerFailures() > 0 ? Severity.WARN : Severity.OK, AREA, "handler_failures",
            engine.handlerFailures() + " subscriber handler failure(s)", engine.handlerFailures() > 0 ? "the WARN " +
            "log names the subscriber and message; fix the handler or subscribe it with a RetryPolicy" :
            "none needed"));
        final String breached = engine.breaches().entrySet().stream().filter(e -> e.getValue() > 0)
            .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        findings.add(new Finding(breached.isEmpty() ? Severity.OK : Severity.WARN, AREA, "target_breaches",
            breached.isEmpty() ? "no monitor interval missed a target" : "monitor intervals that missed a target: " +
            breached, breached.isEmpty() ? "none needed" : "the monitor's WARN lines give value, target and a hint " +
            "for each; chronofabric_target_breaches_total{metric} tracks them"));
    }
}
