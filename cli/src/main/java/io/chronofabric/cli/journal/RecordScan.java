package io.chronofabric.cli.journal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

import io.chronofabric.journal.EngineLimits;
import io.chronofabric.journal.JournalCorruptionException;
import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.MessageRecord;
import net.openhft.chronicle.queue.RollCycle;

/**
 * Walks a journal record by record for the tool, never trusting the files.
 * <ul>
 *     <li>A record whose CRC does not match is a {@link Step#CORRUPT} step naming its index, and the scan goes on.</li>
 *     <li>A record whose length, version or size is wrong is {@link Step#CORRUPT} too, but then Chronicle's own length
 *     word may be what is damaged, and every later document would be read at a wrong position (garbage, or a jump
 *     past the end of the mapped file). So the scan does not read on from there: it resynchronises at the next
 *     record Chronicle's index points at directly (every {@code indexSpacing} records, or the next cycle), and
 *     reports the records in between as one {@link Step#SKIPPED} step.</li>
 *     <li>Anything else the reader throws is an {@link Step#UNREADABLE} step, after which the scan ends.</li>
 * </ul>
 * Indices must strictly increase, so a reader that stops advancing ends the scan instead of looping.
 */
final class RecordScan implements AutoCloseable
{
    /** What one {@link #next()} call found. */
    enum Step
    {
        /** A valid record, in {@link #record()}. */
        RECORD,
        /** A corrupt record at {@link #index()}, described by {@link #problem()}; never returned as a record. */
        CORRUPT,
        /** Records from {@link #index()} to {@link #skippedTo()} were not read, since the framing before them is
         *  damaged; {@link #problem()} says why. */
        SKIPPED,
        /** The reader failed; {@link #problem()} says how. The scan has ended. */
        UNREADABLE,
        /** No more records for now (a live journal may grow). */
        END
    }

    /** How {@link io.chronofabric.journal.RecordCodec} starts the reason for a record whose only fault is its CRC. */
    private static final String CRC_MISMATCH = "CRC32C mismatch";

    private final MessageRecord record = new MessageRecord(EngineLimits.MAX_DEPENDENCIES, EngineLimits.MAX_PAYLOAD);
    private final JournalReader reader;
    private final RollCycle rollCycle;
    private final int indexSpacing;
    private final NavigableSet<Long> cycles = new TreeSet<>();
    private final Map<Integer, Long> cycleCounts = new HashMap<>();
    private RuntimeException openFailure;
    private boolean stopped;
    private long index = -1;
    /** Which record of the document at {@link #index} the last step read: a document holds one record or more. */
    private int inDocument = -1;
    private long lastGoodIndex = -1;
    private long skipFrom = -1;
    private long skipTo = -1;
    private String problem;
    /** The last index Chronicle's own index recorded when the scan began, -1 when unknown. */
    private final long queueLastIndex;

    /**
     * @param dir an existing journal folder.
     */
    RecordScan(final Path dir)
    {
        final QueueFacts facts = QueueFacts.of(dir);
        queueLastIndex = facts.lastIndex();
        rollCycle = facts.rollCycle();
        indexSpacing = facts.indexSpacing();
        for (final QueueFacts.RollFile file : facts.rollFiles())
        {
            if (file.cycle() < 0)
            {
                continue;
            }
            cycles.add((long)file.cycle());
            cycleCounts.put(file.cycle(), file.documents());
        }
        JournalReader opened = null;
        try
        {
            opened = new JournalReader(dir, record.dependencyCapacity(), record.payloadCapacity());
        }
        catch (final RuntimeException ex)
        {
            openFailure = ex;
        }
        this.reader = opened;
    }

    /**
     * Positions the scan so that the next step is the record at this position.
     *
     * @param position a document's queue index and a record within it.
     * @return false when the journal holds no such record.
     */
    boolean moveTo(final RecordPosition position)
    {
        if (null == reader)
        {
            return false;
        }
        try
        {
            // the record must be in the document: read up to it, then move back to stop just before it
            if (!skipTo(position, position.record() + 1) || !skipTo(position, position.record()))
            {
                return false;
            }
            index = 0 == position.record() ? position.index() - 1 : position.index();
            inDocument = 0 == position.record() ? Integer.MAX_VALUE : position.record() - 1;
            return true;
        }
        catch (final RuntimeException ex)
        {
            return false;
        }
    }

    /** Moves to the document at the position's index and reads past its first {@code records} records. */
    private boolean skipTo(final RecordPosition position, final int records)
    {
        if (!reader.moveToIndex(position.index()))
        {
            return false;
        }
        for (int skipped = 0; skipped < records; skipped++)
        {
            if (!skipOne(position.index()))
            {
                return false;
            }
        }
        return true;
    }

    /** Reads past one record of the document at this index (a corrupt one too); false past the document's end. */
    private boolean skipOne(final long documentIndex)
    {
        try
        {
            return reader.next(record) && reader.lastIndex() == documentIndex;
        }
        catch (final JournalCorruptionException ex)
        {
            return null == ex.getCause() && reader.lastIndex() == documentIndex;
        }
    }

    /**
     * Positions the scan after the last record, so that it finds only records appended from now on.
     *
     * @param lastIndex the queue's last index, -1 when empty.
     * @return false when the reader failed.
     */
    boolean toEnd(final long lastIndex)
    {
        if (null == reader)
        {
            return false;
        }
        try
        {
            reader.toEnd();
            index = lastIndex;
            inDocument = Integer.MAX_VALUE;
            return true;
        }
        catch (final RuntimeException ex)
        {
            return false;
        }
    }

    /**
     * @return what the next read found.
     */
    Step next()
    {
        if (null != openFailure)
        {
            problem = "cannot open the journal: " + openFailure;
            openFailure = null;
            stopped = true;
            return Step.UNREADABLE;
        }
        if (skipFrom >= 0)
        {
            index = skipFrom;
            skipFrom = -1;
            problem = "not read: Chronicle's framing before them may be damaged (see the corrupt record before)";
            return Step.SKIPPED;
        }
        if (stopped)
        {
            return Step.END;
        }
        final long previous = Math.max(index, skipTo);
        final int previousInDocument = skipTo > index ? Integer.MAX_VALUE : inDocument;
        try
        {
            if (!reader.next(record))
            {
                return Step.END;
            }
            index = reader.lastIndex();
            inDocument = reader.lastRecordInDocument();
            if (!isAfter(previous, previousInDocument))
            {
                return stop("the reader went from index " + Indexes.hex(previous) + " back to " + Indexes.hex(index));
            }
            lastGoodIndex = index;
            return Step.RECORD;
        }
        catch (final JournalCorruptionException ex)
        {
            if (null != ex.getCause())
            {
                // Chronicle itself failed, not a record: as below, there is no telling where reading could go on
                return unreadable(previous, ex.getCause());
            }
            index = ex.index();
            inDocument = reader.lastRecordInDocument();
            if (!isAfter(previous, previousInDocument))
            {
                return stop("the reader did not advance past index " + Indexes.hex(previous) + ": " + ex.getMessage());
            }
            // a record its batch's table located is named as dump names it (INDEX+K), not only by its batch's index
            problem = (reader.lastRecordLocatedByTable() ? "record " + RecordPosition.text(index, inDocument) + ": " :
                "") + ex.reason();
            // a record its batch's table located leaves the framing after it intact: only other damage may have
            // moved where reading can go on
            if (!ex.reason().startsWith(CRC_MISMATCH) && null != rollCycle && !reader.lastRecordLocatedByTable())
            {
                resynchronise();
            }
            return Step.CORRUPT;
        }
        catch (final RuntimeException | InternalError ex)
        {
            // InternalError is how the JVM reports a fault reading a memory-mapped file that was truncated under it
            return unreadable(previous, ex);
        }
    }

    /** Whether the record the scan is at comes after this position (a document's index, a record within it). */
    private boolean isAfter(final long previousIndex, final int previousInDocument)
    {
        return RecordPosition.isAfter(index, inDocument, previousIndex, previousInDocument);
    }

    private Step unreadable(final long previous, final Throwable failure)
    {
        index = Math.max(previous, reader.lastIndex());
        return stop("unreadable after index " + (lastGoodIndex < 0 ? "none (no record read)" :
            Indexes.hex(lastGoodIndex)) + ": " + failure);
    }

    /** Moves past the damaged record to the next one Chronicle's index locates without reading what lies between. */
    private void resynchronise()
    {
        final int cycle = rollCycle.toCycle(index);
        final long lastInCycle = lastIndexOf(cycle);
        long target = -1;
        // only a target Chronicle's index holds is reached without a linear scan through the damage
        if (indexSpacing > 0 && lastInCycle >= 0)
        {
            final long candidate = rollCycle.toIndex(cycle,
                (rollCycle.toSequenceNumber(index) / indexSpacing + 1) * indexSpacing);
            if (candidate <= lastInCycle && tryMove(candidate))
            {
                target = candidate;
            }
        }
        if (target < 0)
        {
            for (final long later : cycles.tailSet((long)cycle, false))
            {
                if (tryMove(rollCycle.toIndex((int)later, 0)))
                {
                    target = rollCycle.toIndex((int)later, 0);
                    break;
                }
            }
        }
        final long skipEnd = target >= 0 && rollCycle.toCycle(target) == cycle ? target - 1 : lastInCycle;
        if (skipEnd > index)
        {
            skipFrom = index + 1;
            skipTo = skipEnd;
        }
        if (target < 0)
        {
            stopped = true;
            problem += "; Chronicle's framing after it may be damaged and no later record can be located, so " +
                "reading stops here";
            return;
        }
        problem += "; Chronicle's framing after it may be damaged, so reading resumes at " + Indexes.hex(target) +
            ", the next record its index locates";
    }

    private boolean tryMove(final long target)
    {
        try
        {
            return reader.moveToIndex(target);
        }
        catch (final RuntimeException ex)
        {
            return false;
        }
    }

    private long lastIndexOf(final int cycle)
    {
        final Long count = cycleCounts.get(cycle);
        return null == count || count < 1 ? -1 : rollCycle.toIndex(cycle, count - 1);
    }

    /**
     * Adds what a CORRUPT, SKIPPED or UNREADABLE step found to the findings; nothing for the other steps.
     *
     * @param step     the step just taken.
     * @param problems where findings go.
     */
    void report(final Step step, final Problems problems)
    {
        if (Step.CORRUPT == step)
        {
            problems.add("journal", index, "corrupt_record", problem);
        }
        else if (Step.SKIPPED == step)
        {
            problems.add("journal", index, "skipped_records", (skipTo - index + 1) + " document(s) from " +
                Indexes.hex(index) + " to " + Indexes.hex(skipTo) + " " + problem);
        }
        else if (Step.UNREADABLE == step)
        {
            problems.add("journal", index, "unreadable", problem);
        }
    }

    /**
     * After the scan's {@link Step#END}: reports reading that stopped short of the last index Chronicle's own index
     * recorded when the scan began (a document Chronicle's reader does not see, such as one whose header was
     * damaged, hides every one after it), as {@code verify} does; so no command succeeds on part of a journal.
     *
     * @param problems where the finding goes.
     */
    void reportIfStoppedShort(final Problems problems)
    {
        final long reached = Math.max(index, skipTo);
        if (queueLastIndex > reached)
        {
            problems.add("journal", queueLastIndex, RecordChecks.MISSING_RECORDS,
                RecordChecks.missingRecords(queueLastIndex, reached < 0 ? -1 : reached));
        }
    }

    private Step stop(final String reason)
    {
        stopped = true;
        problem = reason;
        return Step.UNREADABLE;
    }

    /** @return the record of the last {@link Step#RECORD} step; reused. */
    MessageRecord record()
    {
        return record;
    }

    /** @return which record of its document the last step read: 0 for the first. */
    int inDocument()
    {
        return Integer.MAX_VALUE == inDocument ? 0 : inDocument;
    }

    /** @return the queue index of the last step (for UNREADABLE: the last index reached, -1 for none). */
    long index()
    {
        return index;
    }

    /** @return the last index a {@link Step#SKIPPED} step covers. */
    long skippedTo()
    {
        return skipTo;
    }

    /** @return the index of the last valid record, -1 before any. */
    long lastGoodIndex()
    {
        return lastGoodIndex;
    }

    /** @return what was wrong in the last CORRUPT, SKIPPED or UNREADABLE step. */
    String problem()
    {
        return problem;
    }

    @Override
    public void close()
    {
        if (null == reader)
        {
            return;
        }
        try
        {
            reader.close();
        }
        catch (final RuntimeException | InternalError ex)
        {
            // releasing a mapping of a damaged or truncated file can fault again; what was read is already reported
            problem = null == problem ? "closing the reader failed: " + ex : problem;
        }
    }
}
