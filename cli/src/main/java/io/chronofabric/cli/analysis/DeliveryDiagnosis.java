package io.chronofabric.cli.analysis;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Delivery findings: drops, subscriber failures, the monitor's target breaches.
 */
final class DeliveryDiagnosis
{
    private static final String AREA = "delivery";

    private DeliveryDiagnosis()
    {
    }

    static void analyze(final HealthSnapshot.Engine engine, final List<Finding> findings)
    {
        findings.add(new Finding(engine.dropped() > 0 ? Severity.CRITICAL : Severity.OK, AREA, "dropped",
            engine.dropped() + " of " + engine.published() + " published message(s) dropped", engine.dropped() > 0 ?
            "only a failing journal drops: read the ERROR log, check free space and permissions of journal.dir" :
            "none needed"));
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
