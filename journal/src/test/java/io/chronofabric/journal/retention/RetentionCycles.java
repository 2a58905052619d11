package io.chronofabric.journal.retention;

import java.util.List;

import io.chronofabric.journal.DamagedDocuments;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordCodec;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

/** Journals of a few TEST_SECONDLY cycles, written a batch document at a time, for retention's tests. */
final class RetentionCycles
{
    static final RecordCodec CODEC = new RecordCodec(DamagedDocuments.MAX_DEPENDENCIES,
        DamagedDocuments.PAYLOAD_CAPACITY);

    private RetentionCycles()
    {
    }

    static MessageRecord record(final long id)
    {
        final MessageRecord record = new MessageRecord(DamagedDocuments.MAX_DEPENDENCIES,
            DamagedDocuments.PAYLOAD_CAPACITY);
        record.clear();
        record.id(id).hlc(1_700_000_000_000_000_000L + id, 0).type(7).source(1).originNode(1).originId(id);
        for (int i = 0; i < 20; i++)
        {
            record.payload()[i] = (byte)(id + i);
        }
        record.payloadLength(20);
        return record;
    }

    /** @return a batch document holding the one record of {@code id}. */
    static byte[] batchOf(final long id)
    {
        return DamagedDocuments.batchOf(List.of(DamagedDocuments.encoded(CODEC, record(id))));
    }

    static void write(final ChronicleQueue queue, final byte[] document)
    {
        try (ExcerptAppender appender = queue.createAppender();
             DocumentContext context = appender.writingDocument())
        {
            context.wire().bytes().write(document, 0, document.length);
        }
    }

    static void nextSecond() throws InterruptedException
    {
        Thread.sleep(1_100 - System.currentTimeMillis() % 1_000);
    }
}
