package io.chronofabric.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads and validates journaled records in index order. Every record is CRC-checked; a corrupt one raises
 * {@link JournalCorruptionException} naming its index and is never returned as a message. So does a failure of
 * Chronicle's own reading (damage in its framing or index), with Chronicle's exception as the cause, so that a reader
 * meets one documented error whatever the damage.
 * Not thread-safe: one reader per thread.
 */
public final class JournalReader implements AutoCloseable
{
    private final Path dir;
    private final ChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final RecordCodec codec;
    private final int maxDependencies;
    private final int payloadCapacity;
    private long lastIndex = -1;
    private boolean empty;

    /**
     * @param dir             an existing journal folder.
     * @param maxDependencies the most dependency ids a record may carry.
     * @param payloadCapacity the largest payload in bytes.
     */
    public JournalReader(final Path dir, final int maxDependencies, final int payloadCapacity)
    {
        this.dir = dir;
        this.queue = JournalQueues.openForRead(dir);
        try
        {
            this.tailer = queue.createTailer();
        }
        catch (final RuntimeException | AssertionError ex)
        {
            queue.close();
            throw JournalCorruptionException.unreadable(dir, -1, ex);
        }
        this.codec = new RecordCodec(maxDependencies, payloadCapacity);
        this.maxDependencies = maxDependencies;
        this.payloadCapacity = payloadCapacity;
    }

    /**
     * Reads the next record.
     *
     * @param into the record to fill.
     * @return true when a record was read, false at the end of the journal.
     * @throws JournalCorruptionException when the next record is corrupt, or valid but larger than this reader's
     *     capacity (the message names the setting to raise); the reader has moved past it.
     */
    public boolean next(final MessageRecord into)
    {
        if (empty)
        {
            return false;
        }
        try
        {
            return read(into);
        }
        catch (final JournalCorruptionException ex)
        {
            throw ex;
        }
        catch (final RuntimeException | AssertionError ex)
        {
            throw JournalCorruptionException.unreadable(dir, lastIndex, ex);
        }
    }

    private boolean read(final MessageRecord into)
    {
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
                throw oversized(bytes, length, index);
            }
            bytes.read(scratch, 0, (int)length);
            codec.decode((int)length, index, into);
            return true;
        }
    }

    /**
     * Tells a record written with a larger capacity (its header accounts for its length and its CRC matches) from a
     * damaged one, so that the error names the setting to raise instead of calling a valid journal corrupt. Reads the
     * record through the scratch in chunks: only this error path pays for it.
     */
    private JournalCorruptionException oversized(final Bytes<?> bytes, final long length, final long index)
    {
        final byte[] scratch = codec.scratch();
        final ByteBuffer header = ByteBuffer.wrap(scratch, 0, RecordLayout.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        bytes.read(scratch, 0, RecordLayout.HEADER_LENGTH);
        final int dependencyCount = header.getShort(RecordLayout.DEPENDENCY_COUNT_OFFSET) & 0xFFFF;
        final long payloadLength = header.getInt(RecordLayout.PAYLOAD_LENGTH_OFFSET) & 0xFFFFFFFFL;
        final long declared = RecordLayout.payloadOffset(dependencyCount) + payloadLength + RecordLayout.CRC_LENGTH;
        final String tooLong = "record of " + length + " bytes is longer than the largest record this reader holds (" +
            scratch.length + " bytes)";
        if (RecordLayout.VERSION != (header.get(RecordLayout.VERSION_OFFSET) & 0xFF) || declared != length)
        {
            return new JournalCorruptionException(index, tooLong + " and its header does not account for its length");
        }
        final CRC32C crc = new CRC32C();
        crc.update(scratch, 0, RecordLayout.HEADER_LENGTH);
        for (long left = length - RecordLayout.HEADER_LENGTH - RecordLayout.CRC_LENGTH; left > 0; )
        {
            final int chunk = (int)Math.min(left, scratch.length);
            bytes.read(scratch, 0, chunk);
            crc.update(scratch, 0, chunk);
            left -= chunk;
        }
        bytes.read(scratch, 0, RecordLayout.CRC_LENGTH);
        if ((int)crc.getValue() != header.getInt(0))
        {
            return new JournalCorruptionException(index, tooLong + " and its CRC32C does not match");
        }
        return RecordCodec.tooLarge(index, dependencyCount, payloadLength, maxDependencies, payloadCapacity);
    }

    /**
     * Positions the reader so that {@link #next} returns the record at this index.
     *
     * @param index a Chronicle Queue index.
     * @return false when the journal holds no such index.
     * @throws JournalCorruptionException when Chronicle fails to read the queue (its failure is the cause).
     */
    public boolean moveToIndex(final long index)
    {
        try
        {
            return tailer.moveToIndex(index);
        }
        catch (final RuntimeException | AssertionError ex)
        {
            throw JournalCorruptionException.unreadable(dir, lastIndex, ex);
        }
    }

    /**
     * Positions the reader at the last record and makes {@link #next} read backwards from there.
     * @throws JournalCorruptionException when Chronicle fails to read the queue (its failure is the cause).
     */
    public void toEndBackwards()
    {
        try
        {
            empty = !JournalQueues.toLastBackwards(queue, tailer);
        }
        catch (final RuntimeException | AssertionError ex)
        {
            throw JournalCorruptionException.unreadable(dir, lastIndex, ex);
        }
    }

    /**
     * Positions the reader at the start, the default.
     * @throws JournalCorruptionException when Chronicle fails to read the queue (its failure is the cause).
     */
    public void toStart()
    {
        try
        {
            tailer.toStart();
        }
        catch (final RuntimeException | AssertionError ex)
        {
            throw JournalCorruptionException.unreadable(dir, lastIndex, ex);
        }
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
