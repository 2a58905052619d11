package io.chronofabric.journal;

import java.nio.file.Path;
import java.util.zip.CRC32C;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.util.MicroTouched;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Appends {@link MessageRecord}s to a journal in the {@link RecordLayout} format. A Chronicle Queue document holds one
 * record ({@link #append}) or a batch of them ({@link #add}, then {@link #commit()}; layout in {@link BatchLayout}): a
 * document costs Chronicle a write lock, a header, its position and index bookkeeping, so a batch pays that once. A
 * batch becomes visible to readers, and survives a crash, only once committed, whole: a crash before the commit leaves
 * none of it.
 * The appender is created by the first append, on the thread that appends: Chronicle appenders belong to one thread.
 * Allocation-free per record in steady state.
 */
public final class JournalWriter implements AutoCloseable
{
    /** The most records one document holds. */
    public static final int MAX_RECORDS_PER_DOCUMENT = BatchLayout.MAX_RECORDS;
    /** A batch document stays within this many bytes, unless one record alone is longer. */
    static final int DOCUMENT_BYTES = 16 * 1024;

    private final DurableQueue queue;
    private final RecordCodec codec;
    private final int longestRecord;
    private final int documentBytes;
    private int recordsPerDocument = MAX_RECORDS_PER_DOCUMENT;
    private final int[] recordLengths = new int[BatchLayout.MAX_RECORDS];
    private final byte[] recordTable = new byte[BatchLayout.MAX_RECORDS * BatchLayout.ENTRY_LENGTH];
    private final CRC32C tableCrc = new CRC32C();
    private DocumentContext open;
    private long documentStart;
    private int recordsInDocument;
    private int bytesInDocument;

    /**
     * @param dir             the journal folder, created if absent.
     * @param rollCycle       the name of a Chronicle roll cycle, e.g. {@code FAST_DAILY}.
     * @param maxDependencies the most dependency ids a record may carry.
     * @param payloadCapacity the largest payload in bytes.
     */
    public JournalWriter(final Path dir, final String rollCycle, final int maxDependencies, final int payloadCapacity)
    {
        this(dir, rollCycle, Durability.NONE, maxDependencies, payloadCapacity);
    }

    /**
     * @param dir             the journal folder, created if absent.
     * @param rollCycle       the name of a Chronicle roll cycle, e.g. {@code FAST_DAILY}.
     * @param durability      what {@link #sync()} does.
     * @param maxDependencies the most dependency ids a record may carry.
     * @param payloadCapacity the largest payload in bytes.
     */
    public JournalWriter(final Path dir, final String rollCycle, final Durability durability, final int maxDependencies,
        final int payloadCapacity)
    {
        this(dir, rollCycle, durability, JournalQueues.DEFAULT_BLOCK_SIZE, maxDependencies, payloadCapacity);
    }

    /**
     * @param dir             the journal folder, created if absent.
     * @param rollCycle       the name of a Chronicle roll cycle, e.g. {@code FAST_DAILY}.
     * @param durability      what {@link #sync()} does.
     * @param blockSize       the memory-mapped block of the queue, raised to hold four of the longest record
     *                        ({@link JournalQueues#blockSize(long, int)}).
     * @param maxDependencies the most dependency ids a record may carry.
     * @param payloadCapacity the largest payload in bytes.
     */
    public JournalWriter(final Path dir, final String rollCycle, final Durability durability, final long blockSize,
        final int maxDependencies, final int payloadCapacity)
    {
        this.codec = new RecordCodec(maxDependencies, payloadCapacity);
        this.longestRecord = codec.scratch().length;
        this.documentBytes = Math.max(DOCUMENT_BYTES, BatchLayout.HEADER_LENGTH + longestRecord +
            BatchLayout.ENTRY_LENGTH);
        this.queue = new DurableQueue(dir, rollCycle, durability, blockSize, documentBytes);
    }

    /**
     * Lowers the most records one document holds.
     *
     * @param most in [1, {@value #MAX_RECORDS_PER_DOCUMENT}].
     * @return this writer.
     */
    public JournalWriter recordsPerDocument(final int most)
    {
        if (most < 1 || most > MAX_RECORDS_PER_DOCUMENT)
        {
            throw new IllegalArgumentException("records per document must be in [1, " + MAX_RECORDS_PER_DOCUMENT +
                "], was " + most);
        }
        recordsPerDocument = most;
        return this;
    }

    /** Full when it holds the most records allowed, or has no room left for the longest record and its table entry. */
    private boolean isFull(final int records, final int bytes)
    {
        return records >= recordsPerDocument || BatchLayout.HEADER_LENGTH + bytes +
            (records + 1) * BatchLayout.ENTRY_LENGTH + longestRecord > documentBytes;
    }

    /** @return records added to the open document, not yet committed. */
    public int recordsInDocument()
    {
        return recordsInDocument;
    }

    /**
     * Encodes a record and adds it to the open document, opening one if none is; the document is committed once it is
     * full (it holds {@link #recordsPerDocument(int)} records, or has no room left in 16 KiB for the longest record),
     * or by {@link #commit()}. Nothing added is visible or durable before its document is committed.
     *
     * @param record the record to journal.
     * @throws RuntimeException or {@link Error} when the write fails (a full disk shows as an {@link InternalError}
     *     from the mapped write): the open document is then discarded whole, every record added to it since the
     *     last commit with it, and the caller must treat them all as not journaled.
     */
    public void add(final MessageRecord record)
    {
        final int length = codec.encode(record);
        try
        {
            if (null == open)
            {
                queue.checkRoom();
                open = queue.appender().writingDocument();
                final Bytes<?> bytes = open.wire().bytes();
                documentStart = bytes.writePosition();
                // the header; its count and table CRC are filled in at the commit
                bytes.writeByte((byte)BatchLayout.MARKER).writeByte((byte)0).writeShort((short)0).writeInt(0);
            }
            open.wire().bytes().write(codec.scratch(), 0, length);
            recordLengths[recordsInDocument] = length;
        }
        catch (final RuntimeException | Error ex)
        {
            discard(ex);
            throw ex;
        }
        bytesInDocument += length;
        if (isFull(++recordsInDocument, bytesInDocument))
        {
            commit();
        }
    }

    /**
     * Commits the open document, if any: its records become visible to readers and, with Chronicle's memory-mapped
     * files, survive this process's death.
     *
     * @throws RuntimeException or {@link Error} when the commit fails; the document is then discarded, as by a
     *     failed {@link #add}.
     */
    public void commit()
    {
        final DocumentContext committing = open;
        if (null == committing)
        {
            return;
        }
        final int records = recordsInDocument;
        open = null;
        recordsInDocument = 0;
        bytesInDocument = 0;
        try
        {
            writeRecordTable(committing.wire().bytes(), records);
            committing.close();
        }
        catch (final RuntimeException | Error ex)
        {
            open = committing;
            discard(ex);
            throw ex;
        }
        queue.afterAppend();
    }

    /** Appends the record table and fills in the header's count and the table's CRC32C. */
    private void writeRecordTable(final Bytes<?> bytes, final int records)
    {
        final int tableLength = records * BatchLayout.ENTRY_LENGTH;
        for (int i = 0; i < records; i++)
        {
            BatchLayout.putInt(recordTable, i * BatchLayout.ENTRY_LENGTH, recordLengths[i]);
        }
        tableCrc.reset();
        tableCrc.update(recordTable, 0, tableLength);
        bytes.write(recordTable, 0, tableLength);
        final int crc = (int)tableCrc.getValue();
        bytes.writeByte(documentStart + BatchLayout.COUNT_OFFSET, (byte)records);
        bytes.writeByte(documentStart + BatchLayout.COUNT_OFFSET + 1, (byte)(records >>> 8));
        for (int i = 0; i < Integer.BYTES; i++)
        {
            bytes.writeByte(documentStart + BatchLayout.TABLE_CRC_OFFSET + i, (byte)(crc >>> (8 * i)));
        }
    }

    private void discard(final Throwable failure)
    {
        final DocumentContext discarding = open;
        open = null;
        recordsInDocument = 0;
        bytesInDocument = 0;
        if (null != discarding)
        {
            try
            {
                discarding.rollbackOnClose();
                discarding.close();
            }
            catch (final RuntimeException | Error more)
            {
                failure.addSuppressed(more);
            }
        }
    }

    /**
     * Encodes and appends one record as a document of its own, committing any open document first.
     *
     * @param record the record to journal.
     * @return the Chronicle Queue index it was written at.
     */
    public long append(final MessageRecord record)
    {
        commit();
        queue.checkRoom();
        final int length = codec.encode(record);
        final ExcerptAppender appender = queue.appender();
        try (DocumentContext context = appender.writingDocument())
        {
            context.wire().bytes().write(codec.scratch(), 0, length);
        }
        final long index = appender.lastIndexAppended();
        queue.afterAppend();
        return index;
    }

    /**
     * Commits the open document and makes what was appended so far as durable as the policy promises
     * ({@link DurableQueue#sync()}). Call it at the end of a batch.
     */
    public void sync()
    {
        commit();
        queue.sync();
    }

    /**
     * Has a mapper map this journal's next block ahead of the appender ({@link BlockMapper}). Call before the first
     * append.
     *
     * @param mapper the mapper.
     * @return this writer.
     */
    public JournalWriter mapAheadWith(final BlockMapper mapper)
    {
        mapper.mapAheadOf(queue);
        return this;
    }

    /** @return true when the block ahead of the appender is mapped (tests of {@link BlockMapper}). */
    boolean blockAheadMapped()
    {
        return queue.blockAheadMapped();
    }

    /**
     * Prepares the first append on the calling thread, the one that will append: see {@link DurableQueue#prepare()}.
     * Writes no record.
     */
    public void prepare()
    {
        queue.prepare();
    }

    /**
     * Touches the next page ahead of the write position, if not yet touched, so that the fault is taken now, between
     * batches, instead of inside a later append. Cheap when there is nothing to touch.
     *
     * @return true when a page was touched.
     */
    public boolean touchAhead()
    {
        return null == open && queue.hasAppended() && queue.hasRoom() && queue.appender() instanceof MicroTouched &&
            ((MicroTouched)queue.appender()).microTouch();
    }

    /** @return the durability policy. */
    public Durability durability()
    {
        return queue.durability();
    }

    /**
     * @return the index of the last record in the journal, or -1 when it is empty.
     */
    public long lastIndex()
    {
        final long last = queue.queue().lastIndex();
        return last < 0 ? -1 : last;
    }

    /**
     * @return the queue's folder.
     */
    public Path dir()
    {
        return queue.queue().file().toPath();
    }

    /**
     * Commits the open document, then closes the appender and the queue; with Chronicle's memory-mapped files every
     * committed record is in the page cache by now and reaches the disk even if this process dies afterwards.
     */
    @Override
    public void close()
    {
        try
        {
            commit();
        }
        finally
        {
            queue.close();
        }
    }
}
