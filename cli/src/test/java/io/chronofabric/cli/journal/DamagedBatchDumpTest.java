package io.chronofabric.cli.journal;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import io.chronofabric.journal.JournalQueues;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordCodec;
import io.chronofabric.journal.RecordLayout;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Review of e51a99e: the journal tool never prints a corrupt record as a message. One flipped bit in the payload
 * length of the first record of a batch document makes the reader split the document inside that record's payload;
 * a well-formed record carried in the payload (id 999, never published) is then printed by {@code journal dump}.
 */
class DamagedBatchDumpTest
{
    @TempDir
    Path dir;

    @Test
    void dumpNeverPrintsPayloadBytesOfADamagedRecordAsAMessage()
    {
        final RecordCodec codec = new RecordCodec(4, 256);
        final byte[] inner = Arrays.copyOf(codec.scratch(), codec.encode(record(999, 20)));
        final MessageRecord outer = record(1, 172);
        Arrays.fill(outer.payload(), 0, 172, (byte)0x11);
        System.arraycopy(inner, 0, outer.payload(), 48, inner.length);
        final byte[] document = new byte[2 * codec.scratch().length];
        int length = 0;
        for (final MessageRecord record : List.of(outer, record(2, 30)))
        {
            final int recordLength = codec.encode(record);
            System.arraycopy(codec.scratch(), 0, document, length, recordLength);
            length += recordLength;
        }
        document[RecordLayout.PAYLOAD_LENGTH_OFFSET] ^= (byte)0x80; // payload length 172 -> 44
        try (ChronicleQueue queue = JournalQueues.openForWrite(dir, "FAST_DAILY");
             ExcerptAppender appender = queue.createAppender())
        {
            try (DocumentContext context = appender.writingDocument())
            {
                context.wire().bytes().write(document, 0, length);
            }
        }
        final Cli.Result dump = Cli.run("journal", "dump", dir.toString());
        assertFalse(dump.out().contains("id=999"), () -> "journal dump printed bytes of a damaged record's payload " +
            "as a message:\n" + dump);
    }

    private static MessageRecord record(final long id, final int payloadLength)
    {
        final MessageRecord record = new MessageRecord(4, 256);
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
