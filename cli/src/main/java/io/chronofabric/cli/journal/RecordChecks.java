package io.chronofabric.cli.journal;

import java.util.HashMap;
import java.util.Map;

import io.chronofabric.engine.internal.clock.HlcTimestamps;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;
import net.openhft.chronicle.queue.RollCycle;

/**
 * The checks {@code verify} makes across records, in journal order: index continuity (consecutive sequence numbers
 * within each roll cycle, each cycle starting at 0), unique ids, strictly increasing HLC timestamps, and origin ids
 * (the id a message's origin node gave it) strictly increasing per origin node, which makes each (origin node, origin
 * id) unique. It also remembers the first gap in message ids, the hint that locates a record Chronicle hid (a damaged
 * header flag).
 *
 * <p>Memory stays bounded whatever the journal's size: besides the id set, per origin node only the highest origin id
 * seen and the index of its record (at most 65,536 nodes).
 */
final class RecordChecks
{
    private final RollCycle rollCycle;
    private final Problems problems;
    private final IdSet ids = new IdSet();
    /** Per origin node: {highest origin id so far, index of its record}. */
    private final Map<Integer, long[]> lastByOrigin = new HashMap<>();
    private long records;
    private long firstIndex = -1;
    private long firstId;
    private long lastIndex = -1;
    /** The problem kind of a scan that stopped short of the queue's last index. */
    static final String MISSING_RECORDS = "missing_records";
    private long lastReached = -1;
    private long previousWall = Long.MIN_VALUE;
    private long previousLogical;
    private long previousId;
    private long highestId;
    private String firstIdGap;

    /**
     * @param rollCycle the journal's roll cycle, null when unknown (then continuity is not checked).
     * @param problems  where findings go.
     */
    RecordChecks(final RollCycle rollCycle, final Problems problems)
    {
        this.rollCycle = rollCycle;
        this.problems = problems;
    }

    /**
     * Checks that an index, valid record or corrupt, follows the previous one, or is the previous one's (the next
     * record of the same document).
     *
     * @param index a queue index reached by the scan.
     */
    void reached(final long index)
    {
        reached(index, true);
    }

    /**
     * @param index      a queue index reached by the scan.
     * @param continuous whether to check that it follows the previous one (not for the end of a skipped range).
     */
    void reached(final long index, final boolean continuous)
    {
        if (index == lastReached)
        {
            return; // another record of the same document: a journal document holds one record or more
        }
        if (continuous && null != rollCycle)
        {
            checkContinuity(index);
        }
        lastReached = index;
    }

    private void checkContinuity(final long index)
    {
        final long sequence = rollCycle.toSequenceNumber(index);
        if (lastReached < 0 || rollCycle.toCycle(index) != rollCycle.toCycle(lastReached))
        {
            if (0 != sequence)
            {
                problems.add("journal", index, "index_gap", "cycle " + rollCycle.toCycle(index) + " starts at " +
                    "sequence " + sequence + " instead of 0: " + sequence + " record(s) missing before it");
            }
            return;
        }
        final long expected = rollCycle.toSequenceNumber(lastReached) + 1;
        if (sequence != expected)
        {
            problems.add("journal", index, "index_gap", "follows " + Indexes.hex(lastReached) + ": " +
                (sequence - expected) + " record(s) missing");
        }
    }

    /**
     * Checks a valid record against the ones before it.
     *
     * @param index  its queue index, already passed to {@link #reached}.
     * @param record the record.
     */
    void record(final long index, final MessageRecord record)
    {
        records++;
        if (firstIndex < 0)
        {
            firstIndex = index;
            firstId = record.id();
        }
        lastIndex = index;
        if (records > 1 && record.id() != previousId + 1 && null == firstIdGap)
        {
            firstIdGap = "at index " + Indexes.hex(index) + ", where id " + record.id() + " follows id " + previousId;
        }
        previousId = record.id();
        highestId = Math.max(highestId, record.id());
        if (!ids.add(record.id()))
        {
            problems.add("journal", index, "duplicate_id", "message id " + record.id() + " was already used by an " +
                "earlier record");
        }
        if (Long.MIN_VALUE != previousWall &&
            HlcTimestamps.compare(record.hlcWall(), record.hlcLogical(), previousWall, previousLogical) <= 0)
        {
            problems.add("journal", index, "hlc_not_monotonic", "HLC " + HlcTimestamps.format(record.hlcWall(),
                record.hlcLogical()) + " is not after the previous record's " +
                HlcTimestamps.format(previousWall, previousLogical));
        }
        previousWall = record.hlcWall();
        previousLogical = record.hlcLogical();
        checkOrigin(index, record);
    }

    /**
     * Origin ids must increase strictly per origin node. Only the highest one so far is kept, so an id at or below it
     * is reported against that record: equal to it a duplicate, below it out of order (or a duplicate of an earlier
     * one, which the bounded memory cannot tell apart). The highest stays, so that every later record at or below it
     * is reported too.
     */
    private void checkOrigin(final long index, final MessageRecord record)
    {
        final int node = record.originNode();
        final long originId = record.originId();
        if (0 == originId && 0 != (record.flags() & RecordFlags.REMOTE))
        {
            return; // stamped by another node's clock only: that node gave it no id
        }
        final long[] last = lastByOrigin.get(node);
        if (null == last)
        {
            lastByOrigin.put(node, new long[] {originId, index});
        }
        else if (originId > last[0])
        {
            last[0] = originId;
            last[1] = index;
        }
        else if (originId == last[0])
        {
            problems.add("journal", index, "duplicate_origin_id", "message id " + record.id() + " has origin (node " +
                node + ", id " + originId + "), already used by the record at index " + Indexes.hex(last[1]));
        }
        else
        {
            problems.add("journal", index, "origin_id_not_increasing", "message id " + record.id() + " has origin " +
                "(node " + node + ", id " + originId + "), not above origin id " + last[0] + " of node " + node +
                " at index " + Indexes.hex(last[1]) + ": origin ids must increase per origin node");
        }
    }

    /**
     * Checks that the scan reached the last index Chronicle's own index records.
     *
     * @param queueLastIndex the queue's last index per its metadata, -1 when unknown.
     */
    void complete(final long queueLastIndex)
    {
        if (queueLastIndex > lastReached)
        {
            problems.add("journal", queueLastIndex, MISSING_RECORDS, missingRecords(queueLastIndex, lastReached) +
                (null == firstIdGap ? "" : " (a record may have been hidden earlier: the first gap in message ids is " +
                firstIdGap + ")"));
        }
    }

    /**
     * @param queueLastIndex the last index Chronicle's own index records.
     * @param lastReached    the last index reading reached, -1 for none.
     * @return what a scan that stopped short of the queue's last index reports.
     */
    static String missingRecords(final long queueLastIndex, final long lastReached)
    {
        return "Chronicle's index ends at " + Indexes.hex(queueLastIndex) + " but reading stopped " +
            (lastReached < 0 ? "before the first record" : "at " + Indexes.hex(lastReached)) +
            ": the records in between could not be read";
    }

    /** @return the ids of the valid records. */
    IdSet ids()
    {
        return ids;
    }

    /** @return valid records checked. */
    long records()
    {
        return records;
    }

    /** @return id of the first valid record, 0 for none. */
    long firstId()
    {
        return firstId;
    }

    /** @return the highest id of a valid record, 0 for none. */
    long highestId()
    {
        return highestId;
    }

    /** @return index of the first valid record, -1 for none. */
    long firstIndex()
    {
        return firstIndex;
    }

    /** @return index of the last valid record, -1 for none. */
    long lastIndex()
    {
        return lastIndex;
    }
}
