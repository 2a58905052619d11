package io.chronofabric.cli.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The health report: latency (wait strategy against cores, ring occupancy, slowest stage), memory (heap, resident
 * memory, growth since start), temporal health (held messages, oldest held age, deadline misses, causality, dead
 * letters, coherence, clocks), delivery (drops, failures, target breaches), the journal and, on a node of a deployment,
 * its peers (state, lag, clock offset; see {@link PeerDiagnosis}). Each finding has a severity and a
 * concrete fix. Pure analysis of a {@link HealthSnapshot}: no I/O.
 */
public final class Diagnostics
{
    private Diagnostics()
    {
    }

    /**
     * @param snapshot the facts.
     * @return the findings, most severe first (stable within a severity: latency, memory, temporal, delivery, journal,
     *         peers).
     */
    public static List<Finding> analyze(final HealthSnapshot snapshot)
    {
        final List<Finding> findings = new ArrayList<>();
        LatencyDiagnosis.analyze(snapshot, findings);
        MemoryDiagnosis.analyze(snapshot.memory(), findings);
        TemporalDiagnosis.analyze(snapshot.temporal(), snapshot.engine().delivered(), findings);
        DeliveryDiagnosis.analyze(snapshot.engine(), snapshot.temporal(), findings);
        JournalDiagnosis.analyze(snapshot.journal(), findings);
        PeerDiagnosis.analyze(snapshot.node(), PeerLimits.defaults(), findings);
        findings.sort(Comparator.comparing(Finding::severity).reversed());
        return findings;
    }

    /**
     * @param findings a report's findings.
     * @return the most severe severity among them ({@link Severity#OK} when there are none).
     */
    public static Severity worst(final List<Finding> findings)
    {
        return findings.stream().map(Finding::severity).max(Comparator.naturalOrder()).orElse(Severity.OK);
    }

    /** @param seconds a duration. @return it in ns, us, ms or s, three significant digits. */
    static String duration(final double seconds)
    {
        if (seconds < 1e-6)
        {
            return String.format("%.0f ns", seconds * 1e9);
        }
        if (seconds < 1e-3)
        {
            return String.format("%.1f us", seconds * 1e6);
        }
        return seconds < 1 ? String.format("%.2f ms", seconds * 1e3) : String.format("%.2f s", seconds);
    }

    /** @param bytes a size. @return it in MiB. */
    static String mib(final double bytes)
    {
        return String.format("%.0f MiB", bytes / (1024.0 * 1024.0));
    }
}
