package io.chronofabric.journal;

import java.util.Arrays;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Facts about journal documents read by their record headers alone, without decoding or CRC-checking a record: how
 * many records a document or a roll cycle holds, and a document's last id. A document holds one record or more back to
 * back ({@link JournalWriter#add}), so Chronicle's document count is not the message count. For the tools and
 * retention; the pipeline reads with {@link JournalReader}. Not thread-safe.
 */
public final class JournalDocuments
{
    private byte[] document = new byte[4096];
    private int length;

    /**
     * Takes a document's bytes, from their read position, leaving that position where it was.
     *
     * @param bytes a document's bytes, as a Chronicle reading context gives them.
     * @return this.
     */
    public JournalDocuments read(final Bytes<?> bytes)
    {
        final long remaining = bytes.readRemaining();
        length = (int)Math.min(Integer.MAX_VALUE - 8, remaining);
        if (length > document.length)
        {
            document = Arrays.copyOf(document, Math.max(length, 2 * document.length));
        }
        final long position = bytes.readPosition();
        bytes.read(document, 0, length);
        bytes.readPosition(position);
        return this;
    }

    /**
     * @return the records the document read last holds by their headers' lengths; a header that cannot tell, or
     *     declares more than is left, counts as one record holding the rest (a corrupt one, for the reader to name).
     */
    public int records()
    {
        int records = 0;
        for (int offset = 0; offset < length; records++)
        {
            offset = nextRecord(offset);
        }
        return records;
    }

    /**
     * @return the id of the last record of the document read last, or -1 when its headers cannot tell.
     */
    public long lastId()
    {
        int last = -1;
        for (int offset = 0; offset < length; )
        {
            final long declared = RecordCodec.declaredLength(document, offset, length - offset);
            if (declared < 0 || declared > length - offset)
            {
                return -1;
            }
            last = offset;
            offset += (int)declared;
        }
        if (last < 0)
        {
            return -1;
        }
        long id = 0;
        for (int i = Long.BYTES - 1; i >= 0; i--)
        {
            id = id << 8 | (document[last + RecordLayout.ID_OFFSET + i] & 0xFF);
        }
        return id;
    }

    private int nextRecord(final int offset)
    {
        final long declared = RecordCodec.declaredLength(document, offset, length - offset);
        return declared < 0 || declared > length - offset ? length : offset + (int)declared;
    }

    /**
     * Counts the records of one roll cycle, reading its documents' headers.
     *
     * @param tailer    a tailer on the journal; it is moved.
     * @param rollCycle the journal's roll cycle.
     * @param cycle     the cycle to count.
     * @param documents the documents the cycle holds (Chronicle's {@code excerptsInCycle}).
     * @return the records in the cycle; -1 when its first document cannot be reached.
     */
    public long recordsInCycle(final ExcerptTailer tailer, final RollCycle rollCycle, final int cycle,
        final long documents)
    {
        if (documents <= 0)
        {
            return 0;
        }
        if (!tailer.moveToIndex(rollCycle.toIndex(cycle, 0)))
        {
            return -1;
        }
        long records = 0;
        for (long read = 0; read < documents; read++)
        {
            try (DocumentContext context = tailer.readingDocument())
            {
                if (!context.isPresent() || rollCycle.toCycle(context.index()) != cycle)
                {
                    break;
                }
                records += read(context.wire().bytes()).records();
            }
        }
        return records;
    }
}
