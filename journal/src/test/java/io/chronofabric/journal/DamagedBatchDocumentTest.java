package io.chronofabric.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review of e51a99e: a batch document is split into records by the lengths their headers declare. With one record
 * per document, the document's own length bounded a record, and a damaged length field made that record corrupt and
 * nothing else. Inside a batch document a damaged length field makes the reader look for the next record inside the
 * damaged record's payload: whatever bytes lie there are taken for a record, and if they are a well-formed record
 * (its own CRC matches: a payload may carry any bytes) the reader returns it as a message, while the real records
 * after it in the document are lost in one "corrupt record".
 */
class DamagedBatchDocumentTest
{
    private static final int MAX_DEPENDENCIES = 4;
    private static final int PAYLOAD_CAPACITY = 256;

    @TempDir
    Path dir;

    @Test
    void aDamagedLengthFieldNeverMakesPayloadBytesAMessage() throws Exception
    {
        final RecordCodec codec = new RecordCodec(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
        // the bytes a publisher put in its payload: a well-formed record (id 999) at payload offset 48
        final MessageRecord inner = record(999, 20);
        final byte[] innerBytes = Arrays.copyOf(codec.scratch(), codec.encode(inner));
        final MessageRecord outer = record(1, 172); // 172 = 0xAC; one flipped bit (0x80) makes it 44
        Arrays.fill(outer.payload(), 0, 172, (byte)0x11);
        System.arraycopy(innerBytes, 0, outer.payload(), 48, innerBytes.length);
        final MessageRecord after = record(2, 30);

        final byte[] document = new byte[2 * codec.scratch().length];
        int length = 0;
        for (final MessageRecord record : List.of(outer, after))
        {
            final int recordLength = codec.encode(record);
            System.arraycopy(codec.scratch(), 0, document, length, recordLength);
            length += recordLength;
        }
        // the disk damage: one bit of the first record's payload length
        document[RecordLayout.PAYLOAD_LENGTH_OFFSET] ^= (byte)0x80;
        assertEquals(44, ByteBuffer.wrap(document).order(ByteOrder.LITTLE_ENDIAN)
            .getInt(RecordLayout.PAYLOAD_LENGTH_OFFSET));
        try (ChronicleQueue queue = JournalQueues.openForWrite(dir, "FAST_DAILY");
             ExcerptAppender appender = queue.createAppender())
        {
            try (DocumentContext context = appender.writingDocument())
            {
                context.wire().bytes().write(document, 0, length);
            }
        }

        final List<String> steps = new ArrayList<>();
        final List<Long> returned = new ArrayList<>();
        final MessageRecord read = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
        try (JournalReader reader = new JournalReader(dir, MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
        {
            for (int i = 0; i < 10; i++)
            {
                try
                {
                    if (!reader.next(read))
                    {
                        steps.add("end");
                        break;
                    }
                    returned.add(read.id());
                    steps.add("record id " + read.id());
                }
                catch (final JournalCorruptionException ex)
                {
                    steps.add("corrupt: " + ex.reason());
                }
            }
        }
        assertTrue(List.of(1L, 2L).containsAll(returned), "the document held message 1 (its length field damaged) " +
            "and message 2; the reader returned " + returned + ": bytes of message 1's payload read as a message " +
            "(and message 2 lost in the rest). It read: " + steps);
    }

    private static MessageRecord record(final long id, final int payloadLength)
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
