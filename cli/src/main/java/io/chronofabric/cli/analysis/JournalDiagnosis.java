package io.chronofabric.cli.analysis;

import java.util.List;

/**
 * Journal findings: free space against {@code journal.min-free-bytes} and how soon it runs out, and retention kept
 * from deleting old cycles by an unsettled message.
 */
final class JournalDiagnosis
{
    private static final String AREA = "journal";
    private static final double SOON_SECONDS = 3_600;

    private JournalDiagnosis()
    {
    }

    static void analyze(final HealthSnapshot.Journal journal, final List<Finding> findings)
    {
        final boolean low = journal.freeBytes() >= 0 && journal.freeBytes() < journal.minFreeBytes();
        final boolean soon = !low && journal.secondsUntilFull() < SOON_SECONDS;
        findings.add(new Finding(low ? Severity.CRITICAL : soon ? Severity.WARN : Severity.OK, AREA, "disk_space",
            journal.freeBytes() < 0 ? "free space on the journal's file system is unknown" :
            Diagnostics.mib(journal.freeBytes()) + " free on the journal's file system (minimum " +
            Diagnostics.mib(journal.minFreeBytes()) + (Double.isFinite(journal.secondsUntilFull()) ?
                ", reached in " + Diagnostics.duration(journal.secondsUntilFull()) : "") + ")",
            low || soon ? "free space, or set journal.retention.max-age-ms / journal.retention.max-bytes (or run " +
                "`chronofabric journal prune`); the journal fails, and the engine refuses publishes, when the disk " +
                "is full" : "none needed"));
        if (journal.retentionBlocked())
        {
            findings.add(new Finding(Severity.WARN, AREA, "retention", "retention cannot delete old cycles: message " +
                journal.oldestUnsettledId() + " is not settled (settled watermark " + journal.settledWatermark() + ")",
                "a subscriber still retrying it, or a message held for a dependency, keeps it: see the dead letters " +
                "and the WARN log for that id; nothing unsettled is ever deleted"));
        }
        else if (journal.retentionHeld())
        {
            findings.add(new Finding(Severity.WARN, AREA, "retention", "retention keeps old cycles whose messages " +
                "are all settled (settled watermark " + journal.settledWatermark() + "): a peer has not journaled " +
                "them yet", "see `chronofabric nodes` for the peer that lags and the WARN log; the cycles go once " +
                "every peer has journaled them, and the journal grows until then"));
        }
        else
        {
            findings.add(new Finding(Severity.OK, AREA, "retention", "retention is not held back by an unsettled " +
                "message or a peer", "none needed"));
        }
    }
}
