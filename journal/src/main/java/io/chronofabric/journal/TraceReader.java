package io.chronofabric.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

import static io.chronofabric.journal.TraceLayout.*;

/**
 * Reads latency trace entries in delivery order, checking each document's version and CRC; a corrupt document
 * raises {@link JournalCorruptionException} naming its index and the trace's folder, and so does a failure of
 * Chronicle's own reading (with its failure as the cause). Single-threaded.
 */
public final class TraceReader implements AutoCloseable
{
    private static final String DOCUMENT = "trace document";

    private final Path dir;
    private final ChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final byte[] scratch = new byte[HEADER_LENGTH + MAX_ENTRIES * ENTRY_LENGTH];
    private final ByteBuffer buffer = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private int count;
    private int next;
    private long lastIndex = -1;

    /**
     * @param journalDir a journal folder holding a {@code trace} folder.
     */
    public TraceReader(final Path journalDir)
    {
        this.dir = TraceLayout.traceDir(journalDir);
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
    }

    /**
     * @param journalDir a journal folder.
     * @return true when it has a trace with at least one roll file.
     */
    public static boolean exists(final Path journalDir)
    {
        return Files.isDirectory(traceDir(journalDir)) && !JournalFiles.rollFiles(traceDir(journalDir)).isEmpty();
    }

    /**
     * Reads the next entry.
     *
     * @param into the entry to fill.
     * @return false at the end of the trace.
     * @throws JournalCorruptionException for a corrupt trace document, or when Chronicle fails to read the trace (its
     *     failure is the cause).
     */
    public boolean next(final TraceEntry into)
    {
        if (next == count && !readDocument())
        {
            return false;
        }
        final int offset = HEADER_LENGTH + next++ * ENTRY_LENGTH;
        into.set(buffer.getLong(offset + ID), buffer.getLong(offset + PUBLISHED), buffer.getLong(offset + JOURNALED),
            buffer.getLong(offset + SEQUENCED), buffer.getLong(offset + ROUTED), buffer.getLong(offset + DELIVERED),
            buffer.getInt(offset + FLAGS), buffer.getInt(offset + SUBSCRIBERS));
        return true;
    }

    private boolean readDocument()
    {
        try
        {
            return readChecked();
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

    private boolean readChecked()
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
            if (length < HEADER_LENGTH || length > scratch.length)
            {
                throw JournalCorruptionException.document(DOCUMENT, dir, index, "trace document of " + length +
                    " bytes is outside [" + HEADER_LENGTH + ", " + scratch.length + "]");
            }
            bytes.read(scratch, 0, (int)length);
            final int version = buffer.get(0) & 0xFF;
            final int entries = buffer.getShort(COUNT_OFFSET) & 0xFFFF;
            if (VERSION != version)
            {
                throw JournalCorruptionException.document(DOCUMENT, dir, index, "unknown trace version " + version);
            }
            if (entries < 1 || HEADER_LENGTH + entries * ENTRY_LENGTH != length)
            {
                throw JournalCorruptionException.document(DOCUMENT, dir, index, "trace document declares " + entries +
                    " entries but has " + length + " bytes");
            }
            crc.reset();
            crc.update(scratch, HEADER_LENGTH, (int)length - HEADER_LENGTH);
            if ((int)crc.getValue() != buffer.getInt(CRC_OFFSET))
            {
                throw JournalCorruptionException.document(DOCUMENT, dir, index, "trace CRC32C mismatch");
            }
            count = entries;
            next = 0;
            return true;
        }
    }

    @Override
    public void close()
    {
        tailer.close();
        queue.close();
    }
}
