package io.chronofabric.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32C;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads and validates journaled records in journal order. A journal document holds one record or more, back to back
 * (the journal stage writes a batch's records into one document, {@link JournalWriter#add}); the reader returns them
 * one at a time, in order, or in reverse order after {@link #toEndBackwards()}. Every record is CRC-checked; a corrupt
 * one raises {@link JournalCorruptionException} naming its document's index and is never returned as a message. So does
 * a failure of Chronicle's own reading (damage in its framing or index), with Chronicle's exception as the cause, so
 * that a reader meets one documented error whatever the damage.
 * Not thread-safe: one reader per thread.
 */
public final class JournalReader implements AutoCloseable
{
    private final Path dir;
    private final ChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final RecordCodec codec;
    private final RawRecord raw;
    private final int maxDependencies;
    private final int payloadCapacity;
    private byte[] document;
    private final int[] recordStarts = new int[BatchLayout.MAX_RECORDS + 1];
    private final CRC32C crc = new CRC32C();
    private int recordCount;
    private boolean batchDocument;
    private boolean damagedTable;
    private int nextRecord;
    private boolean backwards;
    private long documentIndex = -1;
    private long lastIndex = -1;
    private int lastRecord = -1;
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
        this.document = new byte[codec.scratch().length];
        this.raw = new RawRecord(codec.scratch());
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
        if (!nextRaw())
        {
            return false;
        }
        decodeRaw(into);
        return true;
    }

    /**
     * Reads the next record and validates it as {@link #next} does, without decoding it: its bytes and the fields a
     * scan needs are then read in place from {@link #raw()}, and {@link #decodeRaw} decodes it when wanted.
     *
     * @return true when a record was read, false at the end of the journal.
     * @throws JournalCorruptionException when the next record is corrupt, or longer than this reader's capacity; the
     *     reader has moved past it.
     */
    public boolean nextRaw()
    {
        if (empty)
        {
            return false;
        }
        try
        {
            if (nextRecord >= recordCount && !readDocument())
            {
                return false;
            }
            lastIndex = documentIndex;
            final int record = backwards ? recordCount - 1 - nextRecord : nextRecord;
            lastRecord = record;
            nextRecord++;
            validate(record);
            return true;
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

    /**
     * @return the record the last {@link #nextRaw} (or {@link #next}) call read, valid until the next read.
     */
    public RawRecord raw()
    {
        return raw;
    }

    /**
     * Decodes the record the last {@link #nextRaw} call read.
     *
     * @param into the record to fill.
     * @throws JournalCorruptionException when the record is larger than {@code into}'s capacity.
     */
    public void decodeRaw(final MessageRecord into)
    {
        codec.fill(raw.headerLength(), lastIndex, into);
    }

    /** Reads the next document whole and finds where its records start; false at the end of the journal. */
    private boolean readDocument()
    {
        try (DocumentContext context = tailer.readingDocument())
        {
            if (!context.isPresent())
            {
                return false;
            }
            documentIndex = context.index();
            lastIndex = documentIndex;
            lastRecord = 0;
            final Bytes<?> bytes = context.wire().bytes();
            final long length = bytes.readRemaining();
            if (length > Math.max(JournalWriter.DOCUMENT_BYTES, BatchLayout.HEADER_LENGTH + codec.scratch().length +
                BatchLayout.ENTRY_LENGTH))
            {
                // no batch of several is this long: one record, too long for this reader (or a damaged length)
                recordCount = 0;
                nextRecord = 0;
                if (BatchLayout.MARKER == (bytes.readUnsignedByte(bytes.readPosition())))
                {
                    bytes.readSkip(BatchLayout.HEADER_LENGTH);
                    throw oversizedDocument(bytes, length - BatchLayout.HEADER_LENGTH - BatchLayout.ENTRY_LENGTH);
                }
                throw oversizedDocument(bytes, length);
            }
            if (length > document.length)
            {
                document = new byte[(int)length];
            }
            bytes.read(document, 0, (int)length);
            splitRecords((int)length);
            return true;
        }
    }

    /** Finds where the document's records start ({@link BatchLayout}); a damaged record table makes it one span. */
    private void splitRecords(final int length)
    {
        nextRecord = 0;
        recordCount = BatchLayout.split(document, length, recordStarts, crc);
        batchDocument = length > 0 && BatchLayout.MARKER == (document[0] & 0xFF);
        damagedTable = recordCount < 0;
        if (damagedTable)
        {
            recordCount = 1;
            recordStarts[0] = 0;
            recordStarts[1] = length;
        }
    }

    /** Copies the record into the codec's scratch and validates it there, for {@link #raw()}. */
    private void validate(final int record)
    {
        final int start = recordStarts[record];
        final int length = recordStarts[record + 1] - start;
        if (damagedTable)
        {
            throw new JournalCorruptionException(documentIndex, "batch document of " + length + " bytes whose record " +
                "table is damaged (its CRC32C, record count or lengths do not agree): none of its records can be " +
                "located, so none is read");
        }
        final byte[] scratch = codec.scratch();
        if (length > scratch.length)
        {
            throw oversized(start, length);
        }
        System.arraycopy(document, start, scratch, 0, length);
        raw.wrap(length, codec.validate(length, documentIndex));
    }

    /** As {@link #oversized(ByteBuffer, long, BooleanSupplier)} for a record in the document's bytes. */
    private JournalCorruptionException oversized(final int start, final int length)
    {
        final ByteBuffer header = ByteBuffer.wrap(document, start, length).slice().order(ByteOrder.LITTLE_ENDIAN);
        return oversized(header, length, () ->
        {
            final CRC32C crc = new CRC32C();
            crc.update(document, start, length - RecordLayout.CRC_LENGTH);
            return (int)crc.getValue() == header.getInt(length - RecordLayout.CRC_LENGTH);
        });
    }

    /**
     * As {@link #oversized(ByteBuffer, long, BooleanSupplier)} for a document too long to be a batch, one record read
     * on from the bytes' read position through the scratch in chunks.
     */
    private JournalCorruptionException oversizedDocument(final Bytes<?> bytes, final long length)
    {
        final byte[] scratch = codec.scratch();
        bytes.read(scratch, 0, RecordLayout.HEADER_LENGTH);
        final byte[] headerBytes = Arrays.copyOf(scratch, RecordLayout.HEADER_LENGTH);
        final ByteBuffer header = ByteBuffer.wrap(headerBytes).order(ByteOrder.LITTLE_ENDIAN);
        return oversized(header, length, () ->
        {
            final CRC32C crc = new CRC32C();
            crc.update(headerBytes, 0, RecordLayout.HEADER_LENGTH);
            for (long left = length - RecordLayout.HEADER_LENGTH - RecordLayout.CRC_LENGTH; left > 0; )
            {
                final int chunk = (int)Math.min(left, scratch.length);
                bytes.read(scratch, 0, chunk);
                crc.update(scratch, 0, chunk);
                left -= chunk;
            }
            bytes.read(scratch, 0, RecordLayout.CRC_LENGTH);
            return (int)crc.getValue() == ByteBuffer.wrap(scratch, 0, RecordLayout.CRC_LENGTH)
                .order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        });
    }

    /**
     * Tells a record written with a larger capacity (its header accounts for its length and its CRC matches) from a
     * damaged one, so that the error names the setting to raise instead of calling a valid journal corrupt. Only this
     * error path pays for it.
     *
     * @param header     the record's header, little-endian, from its first byte.
     * @param length     the record's length.
     * @param crcMatches checks its CRC; asked only when the header accounts for the length.
     */
    private JournalCorruptionException oversized(final ByteBuffer header, final long length,
        final BooleanSupplier crcMatches)
    {
        final int dependencyCount = header.getShort(RecordLayout.DEPENDENCY_COUNT_OFFSET) & 0xFFFF;
        final long payloadLength = header.getInt(RecordLayout.PAYLOAD_LENGTH_OFFSET) & 0xFFFFFFFFL;
        final long declared = RecordLayout.payloadOffset(dependencyCount) + payloadLength + RecordLayout.CRC_LENGTH;
        final String tooLong = "record of " + length + " bytes is longer than the largest record this reader holds (" +
            codec.scratch().length + " bytes)";
        if (RecordLayout.VERSION != (header.get(RecordLayout.VERSION_OFFSET) & 0xFF) || declared != length)
        {
            return new JournalCorruptionException(documentIndex, tooLong +
                " and its header does not account for its length");
        }
        if (!crcMatches.getAsBoolean())
        {
            return new JournalCorruptionException(documentIndex, tooLong + " and its CRC32C does not match");
        }
        return RecordCodec.tooLarge(documentIndex, dependencyCount, payloadLength, maxDependencies, payloadCapacity);
    }

    /**
     * Positions the reader so that {@link #next} returns the first record of the document at this index.
     *
     * @param index a Chronicle Queue index.
     * @return false when the journal holds no such index.
     * @throws JournalCorruptionException when Chronicle fails to read the queue (its failure is the cause).
     */
    public boolean moveToIndex(final long index)
    {
        try
        {
            forgetDocument(false);
            return tailer.moveToIndex(index);
        }
        catch (final RuntimeException | AssertionError ex)
        {
            throw JournalCorruptionException.unreadable(dir, lastIndex, ex);
        }
    }

    /**
     * Positions the reader at the last record and makes {@link #next} read backwards from there, record by record.
     * @throws JournalCorruptionException when Chronicle fails to read the queue (its failure is the cause).
     */
    public void toEndBackwards()
    {
        try
        {
            forgetDocument(true);
            empty = !JournalQueues.toLastBackwards(queue, tailer);
        }
        catch (final RuntimeException | AssertionError ex)
        {
            throw JournalCorruptionException.unreadable(dir, lastIndex, ex);
        }
    }

    /**
     * Positions the reader so that {@link #next} returns the first record of a roll cycle.
     *
     * @param cycle a roll cycle of this journal.
     * @return false when the journal holds no document in it.
     * @throws JournalCorruptionException when Chronicle fails to read the queue (its failure is the cause).
     */
    public boolean moveToCycle(final int cycle)
    {
        return moveToIndex(queue.rollCycle().toIndex(cycle, 0));
    }

    /**
     * @return the roll cycle of the record the last {@link #next} call read (or failed on), -1 before any.
     */
    public int lastCycle()
    {
        return lastIndex < 0 ? -1 : queue.rollCycle().toCycle(lastIndex);
    }

    /**
     * Positions the reader after the last record, so that {@link #next} returns only records appended from now on.
     * @throws JournalCorruptionException when Chronicle fails to read the queue (its failure is the cause).
     */
    public void toEnd()
    {
        try
        {
            forgetDocument(false);
            tailer.toEnd();
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
            forgetDocument(false);
            tailer.toStart();
        }
        catch (final RuntimeException | AssertionError ex)
        {
            throw JournalCorruptionException.unreadable(dir, lastIndex, ex);
        }
    }

    /**
     * @return the position within its document of the record the last {@link #next} call read (or failed on): 0 for
     *     its first record; -1 before any.
     */
    public int lastRecordInDocument()
    {
        return lastRecord;
    }

    /**
     * @return true when the last record read (or failed on) was located by its document's record table, which its CRC
     *     vouches for ({@link BatchLayout}): damage in that record then cannot have moved where the records after it
     *     start. False for a document that is one record, where damage may also be in Chronicle's framing.
     */
    public boolean lastRecordLocatedByTable()
    {
        return batchDocument && !damagedTable;
    }

    private void forgetDocument(final boolean readBackwards)
    {
        recordCount = 0;
        nextRecord = 0;
        backwards = readBackwards;
        empty = false;
    }

    /**
     * @return the index of the document holding the record the last {@link #next} call read (or failed on), -1 before
     *     any: records written in one batch share their document's index.
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
