package io.chronofabric.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

/** Journals damaged in ways a reader must survive, written as raw Chronicle documents, for the journal and tool tests. */
public final class DamagedDocuments
{
    /** The dependency capacity the records are written with. */
    public static final int MAX_DEPENDENCIES = 4;
    /** The payload capacity the records are written with. */
    public static final int PAYLOAD_CAPACITY = 256;
    /** The id of the well-formed record carried in the first record's payload, never published. */
    public static final long CARRIED_ID = 999;

    private DamagedDocuments()
    {
    }

    /**
     * Writes one batch document holding message 1, whose payload carries a well-formed record (id
     * {@value #CARRIED_ID}, its own CRC matching: a payload may hold any bytes), then message 2; then flips one bit of
     * message 1's payload length (172 to 44), as disk damage would: a reader trusting that length looks for the next
     * record inside message 1's payload and finds the carried one.
     *
     * @param dir the journal folder to write.
     */
    public static void batchWithDamagedLength(final Path dir)
    {
        final RecordCodec codec = new RecordCodec(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
        final byte[] carried = encoded(codec, record(CARRIED_ID, 20));
        final MessageRecord first = record(1, 172);
        Arrays.fill(first.payload(), 0, 172, (byte)0x11);
        System.arraycopy(carried, 0, first.payload(), 48, carried.length);
        final byte[] document = batchOf(List.of(encoded(codec, first), encoded(codec, record(2, 30))));
        final int lengthAt = BatchLayout.HEADER_LENGTH + RecordLayout.PAYLOAD_LENGTH_OFFSET;
        document[lengthAt] ^= (byte)0x80;
        if (44 != ByteBuffer.wrap(document).order(ByteOrder.LITTLE_ENDIAN).getInt(lengthAt))
        {
            throw new IllegalStateException("the damage did not make the payload length 44");
        }
        write(dir, document);
    }

    /**
     * @param codec  the codec to encode with.
     * @param record a record.
     * @return its bytes, as the journal holds them.
     */
    public static byte[] encoded(final RecordCodec codec, final MessageRecord record)
    {
        return Arrays.copyOf(codec.scratch(), codec.encode(record));
    }

    /**
     * @param records encoded records.
     * @return a batch document holding them, as {@link JournalWriter#add} writes one ({@link BatchLayout}).
     */
    public static byte[] batchOf(final List<byte[]> records)
    {
        int length = BatchLayout.HEADER_LENGTH + records.size() * BatchLayout.ENTRY_LENGTH;
        for (final byte[] record : records)
        {
            length += record.length;
        }
        final byte[] document = new byte[length];
        document[0] = (byte)BatchLayout.MARKER;
        document[BatchLayout.COUNT_OFFSET] = (byte)records.size();
        int offset = BatchLayout.HEADER_LENGTH;
        final int table = length - records.size() * BatchLayout.ENTRY_LENGTH;
        for (int i = 0; i < records.size(); i++)
        {
            System.arraycopy(records.get(i), 0, document, offset, records.get(i).length);
            offset += records.get(i).length;
            BatchLayout.putInt(document, table + i * BatchLayout.ENTRY_LENGTH, records.get(i).length);
        }
        final CRC32C crc = new CRC32C();
        crc.update(document, table, length - table);
        BatchLayout.putInt(document, BatchLayout.TABLE_CRC_OFFSET, (int)crc.getValue());
        return document;
    }

    /**
     * Appends documents to a journal as they are, through a bare Chronicle appender.
     *
     * @param dir       the journal folder.
     * @param documents the documents' bytes.
     */
    public static void write(final Path dir, final byte[]... documents)
    {
        try (ChronicleQueue queue = JournalQueues.openForWrite(dir, "FAST_DAILY");
             ExcerptAppender appender = queue.createAppender())
        {
            for (final byte[] document : documents)
            {
                try (DocumentContext context = appender.writingDocument())
                {
                    context.wire().bytes().write(document, 0, document.length);
                }
            }
        }
    }

    static MessageRecord record(final long id, final int payloadLength)
    {
        final MessageRecord record = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
        record.clear();
        record.id(id).hlc(1_700_000_000_000_000_000L + id, 0).type(7).source(1).originNode(1).originId(id);
        for (int i = 0; i < payloadLength; i++)
        {
            record.payload()[i] = (byte)(id + i);
        }
        record.payloadLength(payloadLength);
        return record;
    }
}
