package io.chronofabric.journal;

import java.util.Arrays;
import java.util.zip.CRC32C;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Facts about journal documents read from their record tables ({@link BatchLayout}), without decoding or CRC-checking
 * a record: how many records a document or a roll cycle holds, and a document's last id. A document holds one record
 * or more ({@link JournalWriter#add}), so Chronicle's document count is not the message count. For the tools and
 * retention; the pipeline reads with {@link JournalReader}. Not thread-safe.
 */
public final class JournalDocuments
{
    private final int[] starts = new int[BatchLayout.MAX_RECORDS + 1];
    private final CRC32C crc = new CRC32C();
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
     * @return the records the document read last holds ({@link BatchLayout}); 1 for a batch document whose record
     *     table is damaged (one corrupt span, for the reader to name).
     */
    public int records()
    {
        return Math.max(1, BatchLayout.split(document, length, starts, crc));
    }

    /**
     * @return the id of the last record of the document read last, or -1 when it cannot be told (a damaged record
     *     table, a record too short to hold an id).
     */
    public long lastId()
    {
        final int records = BatchLayout.split(document, length, starts, crc);
        if (records < 1 || starts[records] - starts[records - 1] < RecordLayout.ID_OFFSET + Long.BYTES)
        {
            return -1;
        }
        final int at = starts[records - 1] + RecordLayout.ID_OFFSET;
        return (BatchLayout.intAt(document, at) & 0xFFFFFFFFL) | (long)BatchLayout.intAt(document, at + 4) << 32;
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
