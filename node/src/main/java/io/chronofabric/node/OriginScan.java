package io.chronofabric.node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;
import io.chronofabric.journal.RecordLayout;
import io.chronofabric.journal.retention.PrunedOrigins;

/**
 * What a node's journal already holds, per origin, read once at start, with what retention deleted from it
 * ({@link PrunedOrigins}): the high-water mark (the highest origin id)
 * and the count of each peer's messages, and the count of this node's own. The journal is the persistent record of
 * what was received: a restarted node asks each peer to resend from these marks, and drops what it already has.
 */
final class OriginScan
{
    final Map<Integer, long[]> byOrigin = new HashMap<>();
    /** Per origin, the highest origin id among its messages at or below the settled watermark. */
    final Map<Integer, Long> settledFloors = new HashMap<>();
    /** Shipped messages at or below the settled watermark that were dead, by their cross-node name. */
    final List<Long> settledDead = new ArrayList<>();
    /** Per origin, the {@link MessageFingerprint} of its message at the high-water mark, when the journal holds it. */
    final Map<Integer, Long> fingerprints = new HashMap<>();
    long ownCount;
    long ownLast;
    /** The last of this node's own messages deleted from the journal (retention, prune), 0 when none. */
    long prunedOwnLast;

    /**
     * @param journalDir      the journal.
     * @param maxDependencies {@code dependencies.max}.
     * @param payloadCapacity {@code payload.capacity}.
     * @return what it holds.
     */
    static OriginScan of(final Path journalDir, final int maxDependencies, final int payloadCapacity)
    {
        return of(journalDir, maxDependencies, payloadCapacity, 0, Set.of());
    }

    /**
     * @param journalDir       the journal.
     * @param maxDependencies  {@code dependencies.max}.
     * @param payloadCapacity  {@code payload.capacity}.
     * @param settledWatermark every message with a local id at or below it is settled.
     * @param deadIds          the local ids at or below it of messages delivered to none of their subscribers.
     * @return what it holds, with the settled floor of each origin and the shipped messages among the dead.
     */
    static OriginScan of(final Path journalDir, final int maxDependencies, final int payloadCapacity,
        final long settledWatermark, final Set<Long> deadIds)
    {
        final OriginScan scan = new OriginScan();
        // what retention deleted counts as held (and settled: retention deletes only settled cycles)
        final PrunedOrigins pruned = PrunedOrigins.read(journalDir);
        scan.ownCount = pruned.ownCount();
        scan.ownLast = pruned.ownLast();
        scan.prunedOwnLast = pruned.ownLast();
        for (final int node : pruned.origins())
        {
            scan.byOrigin.put(node, new long[] {pruned.mark(node), pruned.count(node)});
            scan.settledFloors.put(node, pruned.mark(node));
        }
        final MessageRecord record = new MessageRecord(maxDependencies, payloadCapacity);
        final MessageFingerprint fingerprint = new MessageFingerprint();
        try (JournalReader reader = new JournalReader(journalDir, maxDependencies, payloadCapacity))
        {
            while (reader.next(record))
            {
                if (reader.lastCycle() <= pruned.throughCycle())
                {
                    continue; // counted in the pruned summary: retention died before deleting its cycle
                }
                if (0 != (record.flags() & RecordFlags.REMOTE))
                {
                    if (0 == record.originId())
                    {
                        continue; // stamped by a peer's clock only: none of the messages that peer shipped
                    }
                    final long[] markAndCount = scan.byOrigin.computeIfAbsent(record.originNode(), n -> new long[2]);
                    if (record.originId() > markAndCount[0])
                    {
                        markAndCount[0] = record.originId();
                        scan.fingerprints.put(record.originNode(), fingerprint.of(record));
                    }
                    markAndCount[1]++;
                    if (record.id() <= settledWatermark)
                    {
                        scan.settledFloors.merge(record.originNode(), record.originId(), Math::max);
                        final long name = RecordLayout.crossNodeName(record);
                        if (0 != name && deadIds.contains(record.id()))
                        {
                            scan.settledDead.add(name);
                        }
                    }
                }
                else
                {
                    scan.ownCount++;
                    scan.ownLast = Math.max(scan.ownLast, record.id());
                }
            }
        }
        return scan;
    }

    /** @param origin a node id. @return its high-water mark here, 0 when none. */
    long highWaterMark(final int origin)
    {
        final long[] markAndCount = byOrigin.get(origin);
        return null == markAndCount ? 0 : markAndCount[0];
    }

    /**
     * @param origin a node id.
     * @return the fingerprint of its message at {@link #highWaterMark}, {@link MessageFingerprint#UNKNOWN} when the
     *     journal does not hold it (deleted by retention, or none).
     */
    long fingerprint(final int origin)
    {
        return fingerprints.getOrDefault(origin, MessageFingerprint.UNKNOWN);
    }

    /** @param origin a node id. @return how many of its messages the journal holds. */
    long count(final int origin)
    {
        final long[] markAndCount = byOrigin.get(origin);
        return null == markAndCount ? 0 : markAndCount[1];
    }
}
