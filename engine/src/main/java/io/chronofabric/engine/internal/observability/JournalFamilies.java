package io.chronofabric.engine.internal.observability;

import io.chronofabric.engine.internal.retention.RetentionWorker;

/**
 * The journal's disk and retention metrics: free space on its file system, the time until it is full at the current
 * rate, and what retention deleted or is kept from deleting by an unsettled message.
 */
final class JournalFamilies
{
    private JournalFamilies()
    {
    }

    static void add(final Families families, final MonitoredEngine engine, final PerformanceMonitor monitor)
    {
        families.gauge("journal_free_bytes", "Bytes free (for this process) on the journal's file system; -1 when " +
            "unknown.", DiskSpaceWatch.freeBytes(engine.context().journalDir()));
        families.gauge("journal_min_free_bytes", "journal.min-free-bytes: the free space the journal's file system " +
            "must keep (0: not checked).", engine.context().journalMinFreeBytes());
        families.gauge("journal_seconds_until_full", "Seconds until the journal's file system is down to " +
            "journal.min-free-bytes at the rate its free space shrank over the last monitor interval; +Inf when not " +
            "shrinking, NaN before two monitor checks.", monitor.diskSpace().secondsUntilFull());
        final RetentionWorker retention = engine.retention();
        families.counter("retention_deleted_cycles", "Journal roll cycles deleted by retention since start.",
            retention.deletedCycles());
        families.counter("retention_deleted_messages", "Journal messages deleted by retention since start (all " +
            "settled).", retention.deletedMessages());
        families.counter("retention_deleted_bytes", "Disk space freed by retention since start (journal, trace " +
            "and dead letters).", retention.deletedBytes());
        families.gauge("retention_blocked", "1 while retention keeps a cycle its limits want gone because it holds " +
            "an unsettled message, else 0.", retention.blocked() ? 1 : 0);
        families.gauge("retention_oldest_unsettled_id", "While retention is blocked, the oldest unsettled message " +
            "id (the one after the settled watermark); 0 otherwise.", retention.oldestUnsettledId());
        families.gauge("retention_held", "1 while retention keeps a cycle its limits want gone though every message " +
            "in it is settled, because a node's peer has not journaled them yet, else 0.", retention.held() ? 1 : 0);
    }
}
