package io.chronofabric.journal;

import java.nio.file.Path;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads and validates journaled records in index order. Every record is CRC-checked; a corrupt one raises
 * {@link JournalCorruptionException} naming its index and is never returned as a message.
 * Not thread-safe: one reader per thread.
 */
public final class JournalReader implements AutoCloseable
{
    private final ChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final RecordCodec codec;
    private long lastIndex = -1;
    private boolean empty;

    /**
     * @param dir             an existing journal folder.
     * @param maxDependencies the most dependency ids a record may carry.
     * @param payloadCapacity the largest payload in bytes.
     */
    public JournalReader(final Path dir, final int maxDependencies, final int payloadCapacity)
    {
        this.queue = JournalQueues.openForRead(dir);
        this.tailer = queue.createTailer();
        this.codec = new RecordCodec(maxDependencies, payloadCapacity);
    }

    /**
     * Reads the next record.
     *
     * @param into the record to fill.
     * @return true when a record was read, false at the end of the journal.
     * @throws JournalCorruptionException when the next record is corrupt; the reader has moved past it.
     */
    public boolean next(final MessageRecord into)
    {
        if (empty)
        {
            return false;
        }
        try (DocumentContext context = tailer.readingDocument())
        {
            if (!context.isPresent())
            {
                return false;
            }
            final long index = context.index();
            lastIndex = index;
            final Bytes<?> bytes = context.wire().bytes();
            final long length = bytes.readRemaining();
            final byte[] scratch = codec.scratch();
            if (length > scratch.length)
            {
                throw new JournalCorruptionException(index, "record of " + length +
                    " bytes is longer than the largest valid record (" + scratch.length + " bytes)");
            }
            bytes.read(scratch, 0, (int)length);
            codec.decode((int)length, index, into);
            return true;
        }
    }

    /**
     * Positions the reader so that {@link #next} returns the record at this index.
     *
     * @param index a Chronicle Queue index.
     * @return false when the journal holds no such index.
     */
    public boolean moveToIndex(final long index)
    {
        return tailer.moveToIndex(index);
    }

    /**
     * Positions the reader at the last record and makes {@link #next} read backwards from there.
     */
    public void toEndBackwards()
    {
        empty = !JournalQueues.toLastBackwards(queue, tailer);
    }

    /**
     * Positions the reader at the start, the default.
     */
    public void toStart()
    {
        tailer.toStart();
    }

    /**
     * @return the index of the record the last {@link #next} call read (or failed on), -1 before any.
     */
    public long lastIndex()
    {
        return lastIndex;
    }

    /**
     * Reads the last record of a journal, as a restarting engine does to resume its clock and ids above it.
     *
     * @param dir  an existing journal folder.
     * @param into the record to fill.
     * @return true when the journal held a record, false when it is empty.
     * @throws JournalCorruptionException when the last record is corrupt.
     */
    public static boolean readLast(final Path dir, final MessageRecord into)
    {
        try (JournalReader reader = new JournalReader(dir, into.dependencyCapacity(), into.payloadCapacity()))
        {
            reader.toEndBackwards();
            return reader.next(into);
        }
    }

    @Override
    public void close()
    {
        tailer.close();
        queue.close();
    }
}
