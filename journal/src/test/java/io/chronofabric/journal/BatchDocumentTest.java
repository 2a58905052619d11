package io.chronofabric.journal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal document holds a batch of records ({@link JournalWriter#add}, {@link JournalWriter#commit()}): readers
 * still see one record at a time, in order or in reverse, nothing before its document is committed, and a corrupt
 * record inside a document costs only that record.
 */
class BatchDocumentTest
{
    private static final int MAX_DEPENDENCIES = 4;
    private static final int PAYLOAD_CAPACITY = 256;

    @TempDir
    Path dir;

    @Test
    void recordsAddedInOneBatchAreReadBackOneByOneInOrderFromOneDocument()
    {
        final List<MessageRecord> written = randomRecords(11, 0xB47C_0001L);
        final long ownIndex;
        try (JournalWriter writer = writer())
        {
            for (int i = 0; i < 10; i++)
            {
                writer.add(written.get(i));
            }
            ownIndex = writer.append(written.get(10));
        }

        final MessageRecord read = record();
        try (JournalReader reader = new JournalReader(dir, MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
        {
            long batchIndex = -1;
            for (int i = 0; i < 10; i++)
            {
                assertTrue(reader.next(read), "record " + i);
                assertTrue(written.get(i).contentEquals(read), "record " + i + " byte for byte");
                assertEquals(i, reader.lastRecordInDocument());
                if (0 == i)
                {
                    batchIndex = reader.lastIndex();
                }
                assertEquals(batchIndex, reader.lastIndex(), "the batch shares one document");
            }
            assertTrue(reader.next(read));
            assertTrue(written.get(10).contentEquals(read));
            assertEquals(ownIndex, reader.lastIndex());
            assertNotEquals(batchIndex, ownIndex);
            assertEquals(0, reader.lastRecordInDocument());
            assertFalse(reader.next(read));
        }
    }

    @Test
    void nothingAddedIsVisibleBeforeItsDocumentIsCommitted()
    {
        final List<MessageRecord> written = randomRecords(3, 0xB47C_0002L);
        try (JournalWriter writer = writer())
        {
            writer.append(written.get(0));
            writer.add(written.get(1));
            writer.add(written.get(2));
            assertEquals(2, writer.recordsInDocument());
            assertEquals(1, JournalFiles.countRecords(dir), "only the committed record is in the journal");

            writer.commit();
            assertEquals(0, writer.recordsInDocument());
            assertEquals(3, JournalFiles.countRecords(dir));
        }
    }

    @Test
    void closingTheWriterCommitsTheOpenDocument()
    {
        try (JournalWriter writer = writer())
        {
            randomRecords(5, 0xB47C_0003L).forEach(writer::add);
        }
        assertEquals(5, JournalFiles.countRecords(dir));
    }

    @Test
    void aDocumentIsCommittedOnceItHoldsTheMostRecordsAllowed()
    {
        final List<MessageRecord> written = randomRecords(9, 0xB47C_0004L);
        try (JournalWriter writer = writer().recordsPerDocument(4))
        {
            for (int i = 0; i < written.size(); i++)
            {
                writer.add(written.get(i));
                assertEquals((i + 1) % 4, writer.recordsInDocument(), "a full document is committed at once");
            }
            assertEquals(8, JournalFiles.countRecords(dir), "two full documents are committed, the third is open");
            assertEquals(1, writer.recordsInDocument());
        }
        assertEquals(9, JournalFiles.countRecords(dir));
        assertEquals(3, documents(), "4 + 4 + 1");
    }

    @Test
    void aDocumentStaysWithinItsByteBoundWhateverTheRecordCount()
    {
        final int payloadCapacity = 8 * 1024;
        final MessageRecord big = new MessageRecord(MAX_DEPENDENCIES, payloadCapacity);
        Records.randomise(new Random(5), big);
        big.payloadLength(5000);
        try (JournalWriter writer = new JournalWriter(dir, "FAST_DAILY", MAX_DEPENDENCIES, payloadCapacity))
        {
            for (int i = 0; i < 10; i++)
            {
                big.id(i + 1);
                writer.add(big);
            }
        }
        assertEquals(10, JournalFiles.countRecords(dir));
        final int recordLength = RecordLayout.recordLength(big.dependencyCount(), 5000);
        final int longest = RecordLayout.recordLength(MAX_DEPENDENCIES, payloadCapacity);
        final int perDocument = (JournalWriter.DOCUMENT_BYTES - BatchLayout.HEADER_LENGTH - BatchLayout.ENTRY_LENGTH -
            longest) / (recordLength + BatchLayout.ENTRY_LENGTH) + 1;
        assertEquals((10 + perDocument - 1) / perDocument, documents(),
            "a document takes records while the longest record and its table entry still fit in " +
                JournalWriter.DOCUMENT_BYTES + " bytes: " + perDocument + " of " + recordLength + " bytes");
    }

    @Test
    void readsBackwardsRecordByRecordAcrossDocuments()
    {
        final List<MessageRecord> written = randomRecords(12, 0xB47C_0005L);
        try (JournalWriter writer = writer().recordsPerDocument(5))
        {
            written.forEach(writer::add);
        }
        final MessageRecord read = record();
        try (JournalReader reader = new JournalReader(dir, MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
        {
            reader.toEndBackwards();
            for (int i = written.size() - 1; i >= 0; i--)
            {
                assertTrue(reader.next(read), "record " + i);
                assertTrue(written.get(i).contentEquals(read), "record " + i + " in reverse order");
            }
            assertFalse(reader.next(read));
        }
        assertTrue(JournalReader.readLast(dir, read));
        assertTrue(written.get(written.size() - 1).contentEquals(read), "the last record of the last document");
    }

    @Test
    void movingToADocumentReadsFromItsFirstRecord()
    {
        final List<MessageRecord> written = randomRecords(10, 0xB47C_0006L);
        final List<Long> indexes = new ArrayList<>();
        try (JournalWriter writer = writer().recordsPerDocument(4))
        {
            written.forEach(writer::add);
        }
        final MessageRecord read = record();
        try (JournalReader reader = new JournalReader(dir, MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
        {
            while (reader.next(read))
            {
                indexes.add(reader.lastIndex());
            }
            assertTrue(reader.moveToIndex(indexes.get(5)));
            for (int i = 4; i < written.size(); i++)
            {
                assertTrue(reader.next(read));
                assertTrue(written.get(i).contentEquals(read), "record " + i);
            }
        }
    }

    @Test
    void aCorruptRecordInsideADocumentIsNamedAndTheRestOfTheDocumentIsStillRead()
    {
        final List<MessageRecord> written = randomRecords(3, 0xB47C_0007L);
        final RecordCodec codec = new RecordCodec(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
        final List<byte[]> records = new ArrayList<>();
        written.forEach(record -> records.add(DamagedDocuments.encoded(codec, record)));
        records.get(1)[RecordLayout.HEADER_LENGTH / 2] ^= 0x40; // a flipped bit: the CRC no longer matches
        DamagedDocuments.write(dir, DamagedDocuments.batchOf(records));
        final long index;
        try (JournalReader reader = new JournalReader(dir, MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
        {
            assertTrue(reader.next(record()));
            index = reader.lastIndex();
        }

        final MessageRecord read = record();
        try (JournalReader reader = new JournalReader(dir, MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
        {
            assertTrue(reader.next(read));
            assertTrue(written.get(0).contentEquals(read));
            final JournalCorruptionException ex = assertThrows(JournalCorruptionException.class, () -> reader.next(read));
            assertEquals(index, ex.index());
            assertEquals(1, reader.lastRecordInDocument());
            assertTrue(ex.reason().contains("CRC32C mismatch"), ex.reason());
            assertTrue(reader.next(read), "the record after the corrupt one, in the same document");
            assertTrue(written.get(2).contentEquals(read));
            assertFalse(reader.next(read));
        }
    }

    @Test
    void documentFactsCountRecordsAndNameTheLastIdFromTheHeadersAlone()
    {
        final List<MessageRecord> written = randomRecords(10, 0xB47C_0008L);
        try (JournalWriter writer = writer().recordsPerDocument(4))
        {
            written.forEach(writer::add);
        }
        final JournalDocuments facts = new JournalDocuments();
        try (ChronicleQueue queue = JournalQueues.openForRead(dir); ExcerptTailer tailer = queue.createTailer())
        {
            final List<Integer> counts = new ArrayList<>();
            final List<Long> lastIds = new ArrayList<>();
            int cycle = -1;
            while (true)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    if (!context.isPresent())
                    {
                        break;
                    }
                    cycle = ((SingleChronicleQueue)queue).rollCycle().toCycle(context.index());
                    facts.read(context.wire().bytes());
                    counts.add(facts.records());
                    lastIds.add(facts.lastId());
                }
            }
            assertEquals(List.of(4, 4, 2), counts);
            assertEquals(List.of(written.get(3).id(), written.get(7).id(), written.get(9).id()), lastIds);
            assertEquals(10, facts.recordsInCycle(tailer, ((SingleChronicleQueue)queue).rollCycle(), cycle, 3));
        }
    }

    private JournalWriter writer()
    {
        return new JournalWriter(dir, "FAST_DAILY", MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
    }

    private long documents()
    {
        long documents = 0;
        try (ChronicleQueue queue = JournalQueues.openForRead(dir); ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    if (!context.isPresent())
                    {
                        return documents;
                    }
                    documents++;
                }
            }
        }
    }

    private static MessageRecord record()
    {
        return new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
    }

    private static List<MessageRecord> randomRecords(final int count, final long seed)
    {
        final Random random = new Random(seed);
        final List<MessageRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final MessageRecord record = record();
            Records.randomise(random, record);
            record.id(i + 1);
            records.add(record);
        }
        return records;
    }
}
