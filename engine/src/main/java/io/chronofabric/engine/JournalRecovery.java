package io.chronofabric.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.TraceReader;

/**
 * What an engine starting on an existing journal must know: the last journaled message (ids and the HLC resume
 * above it) and the delivered watermark from the latency trace. Messages journaled after the watermark were never
 * (known to be) delivered: the process died between the two, and they are delivered again on start.
 */
final class JournalRecovery
{
    private final Path dir;
    private final MessageRecord last;
    private final boolean hasRecords;
    private final long lastDeliveredId;

    private JournalRecovery(final Path dir, final MessageRecord last, final boolean hasRecords,
        final long lastDeliveredId)
    {
        this.dir = dir;
        this.last = last;
        this.hasRecords = hasRecords;
        this.lastDeliveredId = lastDeliveredId;
    }

    /**
     * Reads the journal folder's state, creating the folder if absent.
     *
     * @param context the engine's settings.
     * @return the recovery state.
     * @throws io.chronofabric.journal.JournalCorruptionException when the last record is corrupt.
     */
    static JournalRecovery read(final EngineContext context)
    {
        final Path dir = context.journalDir();
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create journal folder " + dir, ex);
        }
        final MessageRecord last = new MessageRecord(context.maxDependencies(), context.payloadCapacity());
        final boolean hasRecords = !JournalFiles.rollFiles(dir).isEmpty() && JournalReader.readLast(dir, last);
        return new JournalRecovery(dir, last, hasRecords, hasRecords ? TraceReader.lastDeliveredId(dir) : 0);
    }

    /** @return the id of the last journaled message, 0 for an empty journal. */
    long lastJournaledId()
    {
        return hasRecords ? last.id() : 0;
    }

    /** @return the last journaled HLC wall component, 0 for an empty journal. */
    long lastWall()
    {
        return hasRecords ? last.hlcWall() : 0;
    }

    /** @return the last journaled HLC logical component. */
    int lastLogical()
    {
        return hasRecords ? last.hlcLogical() : 0;
    }

    /** @return the id of the last message the trace records as delivered. */
    long lastDeliveredId()
    {
        return lastDeliveredId;
    }

    /**
     * Reads, in journal order, every record after the delivered watermark. The tail is found by reading backwards
     * from the end, so start-up time grows with the undelivered tail, not with the journal.
     *
     * @param context the engine's settings (capacities).
     * @param sink    receives each undelivered record; the record is reused between calls.
     * @return how many records were passed to the sink.
     * @throws io.chronofabric.journal.JournalCorruptionException for a corrupt record in the tail: the engine does not
     *     start on a journal it cannot trust.
     */
    long forEachUndelivered(final EngineContext context, final Consumer<MessageRecord> sink)
    {
        if (!hasRecords || last.id() <= lastDeliveredId)
        {
            return 0;
        }
        final MessageRecord record = new MessageRecord(context.maxDependencies(), context.payloadCapacity());
        long firstIndex = -1;
        try (JournalReader backwards = new JournalReader(dir, context.maxDependencies(), context.payloadCapacity()))
        {
            backwards.toEndBackwards();
            while (backwards.next(record) && record.id() > lastDeliveredId)
            {
                firstIndex = backwards.lastIndex();
            }
        }
        long count = 0;
        try (JournalReader forwards = new JournalReader(dir, context.maxDependencies(), context.payloadCapacity()))
        {
            forwards.moveToIndex(firstIndex);
            while (forwards.next(record))
            {
                sink.accept(record);
                count++;
            }
        }
        return count;
    }
}
