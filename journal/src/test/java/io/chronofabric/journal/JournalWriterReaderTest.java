package io.chronofabric.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class JournalWriterReaderTest
{
    private static final int MAX_DEPENDENCIES = 8;
    private static final int PAYLOAD_CAPACITY = 256;
    private static final int COUNT = 10_000;

    @TempDir
    Path dir;

    @Test
    void shouldReadBackEveryWrittenRecordInOrderByteForByte()
    {
        final long seed = 0x10_0000L;
        final MessageRecord[] written = writeRandom(seed, COUNT, null);

        final MessageRecord read = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
        try (JournalReader reader = new JournalReader(dir, MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
        {
            long previousIndex = -1;
            for (int i = 0; i < COUNT; i++)
            {
                assertTrue(reader.next(read), "seed=" + seed + ": journal ended after " + i + " records");
                if (!written[i].contentEquals(read))
                {
                    fail("seed=" + seed + " record " + i + ": read " + read + ", wrote " + written[i]);
                }
                assertTrue(reader.lastIndex() > previousIndex, "indices increase");
                previousIndex = reader.lastIndex();
            }
            assertFalse(reader.next(read), "seed=" + seed + ": more records than written");
        }
    }

    @Test
    void shouldReadTheLastRecord()
    {
        final MessageRecord[] written = writeRandom(0x10_0001L, COUNT, null);
        final MessageRecord last = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
        assertTrue(JournalReader.readLast(dir, last));
        assertTrue(written[COUNT - 1].contentEquals(last), "read " + last + ", last written " + written[COUNT - 1]);
    }

    @Test
    void shouldMoveToAnIndexReturnedByAppend()
    {
        final long[] indices = new long[COUNT];
        final MessageRecord[] written = writeRandom(0x10_0002L, COUNT, indices);
        final MessageRecord read = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
        try (JournalReader reader = new JournalReader(dir, MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
        {
            for (final int i : new int[] {7_777, 0, COUNT - 1, 1, 5_000})
            {
                assertTrue(reader.moveToIndex(indices[i]), "move to index of record " + i);
                assertTrue(reader.next(read));
                assertEquals(indices[i], reader.lastIndex());
                assertTrue(written[i].contentEquals(read), "record " + i + ": read " + read);
                if (i + 1 < COUNT)
                {
                    assertTrue(reader.next(read), "reading goes on after record " + i);
                    assertTrue(written[i + 1].contentEquals(read), "record after " + i + ": read " + read);
                }
                else
                {
                    assertFalse(reader.next(read), "nothing after the last record");
                }
            }
            assertFalse(reader.moveToIndex(indices[COUNT - 1] + 1_000), "an index past the end");

            reader.toStart();
            assertTrue(reader.next(read));
            assertTrue(written[0].contentEquals(read), "after toStart: read " + read);
        }
    }

    @Test
    void shouldReportTheLastIndexAndFolder()
    {
        try (JournalWriter writer = new JournalWriter(dir, "FAST_DAILY", MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
        {
            assertEquals(-1, writer.lastIndex());
            final MessageRecord record = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
            record.id(1);
            writer.append(record);
            final long index = writer.append(record.id(2));
            assertEquals(index, writer.lastIndex());
            assertEquals(dir.toAbsolutePath().normalize(), writer.dir().toAbsolutePath().normalize());
        }
    }

    @Test
    void shouldRaiseCorruptionNamingTheIndexAndMovePastACorruptRecord() throws Exception
    {
        final Random random = new Random(0x10_0003L);
        final MessageRecord first = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
        final MessageRecord third = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
        Records.randomise(random, first);
        Records.randomise(random, third);
        final long corruptIndex;
        try (JournalWriter writer = new JournalWriter(dir, "FAST_DAILY", MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
        {
            writer.append(first);
        }
        // a record whose payload byte is flipped after encoding, appended as raw bytes
        final RecordCodec codec = new RecordCodec(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
        final MessageRecord second = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
        Records.randomise(random, second);
        final int length = codec.encode(second);
        codec.scratch()[RecordLayout.HEADER_LENGTH / 2] ^= 0x40;
        try (ChronicleQueue queue = JournalQueues.openForWrite(dir, "FAST_DAILY");
             ExcerptAppender appender = queue.createAppender())
        {
            try (DocumentContext context = appender.writingDocument())
            {
                context.wire().bytes().write(codec.scratch(), 0, length);
            }
            corruptIndex = appender.lastIndexAppended();
        }
        try (JournalWriter writer = new JournalWriter(dir, "FAST_DAILY", MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
        {
            writer.append(third);
        }

        final MessageRecord read = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
        try (JournalReader reader = new JournalReader(dir, MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
        {
            assertTrue(reader.next(read));
            assertTrue(first.contentEquals(read));
            final JournalCorruptionException ex = assertThrows(JournalCorruptionException.class, () -> reader.next(read));
            assertEquals(corruptIndex, ex.index());
            assertEquals(corruptIndex, reader.lastIndex());
            assertTrue(ex.getMessage().contains(JournalCorruptionException.formatIndex(corruptIndex)), ex.getMessage());
            assertTrue(ex.reason().contains("CRC32C mismatch"), ex.reason());
            assertTrue(reader.next(read), "the reader moved past the corrupt record");
            assertTrue(third.contentEquals(read));
            assertFalse(reader.next(read));
        }
        try (Stream<Path> files = Files.list(dir))
        {
            assertTrue(files.anyMatch(file -> file.toString().endsWith(".cq4")));
        }
    }

    @Test
    void shouldRefuseToReadAFolderThatDoesNotExist()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new JournalReader(dir.resolve("missing"), MAX_DEPENDENCIES, PAYLOAD_CAPACITY));
        assertTrue(ex.getMessage().contains("missing"), ex.getMessage());
    }

    @Test
    void shouldResolveRollCyclesCaseInsensitivelyAndNameAllowedOnes()
    {
        assertEquals(JournalQueues.rollCycle("FAST_DAILY"), JournalQueues.rollCycle(" fast_daily "));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> JournalQueues.rollCycle("FORTNIGHTLY"));
        assertTrue(ex.getMessage().contains("FORTNIGHTLY") && ex.getMessage().contains("FAST_DAILY"), ex.getMessage());
    }

    private MessageRecord[] writeRandom(final long seed, final int count, final long[] indices)
    {
        final Random random = new Random(seed);
        final MessageRecord[] written = new MessageRecord[count];
        try (JournalWriter writer = new JournalWriter(dir, "FAST_DAILY", MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
        {
            for (int i = 0; i < count; i++)
            {
                written[i] = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
                Records.randomise(random, written[i]);
                final long index = writer.append(written[i]);
                if (null != indices)
                {
                    indices[i] = index;
                }
            }
        }
        return written;
    }

    @Test
    void shouldNamePayloadCapacityAndTheSizeNeededForARecordWrittenWithALargerOne()
    {
        try (JournalWriter writer = new JournalWriter(dir, "FAST_DAILY", MAX_DEPENDENCIES, 4096))
        {
            final MessageRecord record = new MessageRecord(MAX_DEPENDENCIES, 4096);
            record.id(1).payloadLength(600);
            writer.append(record);
        }
        final JournalCorruptionException ex = assertThrows(JournalCorruptionException.class,
            () -> JournalReader.readLast(dir, new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY)));
        assertTrue(ex.overCapacity(), ex::getMessage);
        assertTrue(ex.getMessage().endsWith("is larger than the configured capacity: it has a 600-byte payload, over " +
            "payload.capacity=256; the journal was written with a larger capacity: set payload.capacity to at least " +
            "600"), ex.getMessage());
    }

    @Test
    void shouldNameDependenciesMaxAndTheCountNeededForARecordWrittenWithALargerOne()
    {
        try (JournalWriter writer = new JournalWriter(dir, "FAST_DAILY", 40, PAYLOAD_CAPACITY))
        {
            final MessageRecord record = new MessageRecord(40, PAYLOAD_CAPACITY);
            record.id(50).dependencyCount(40);
            for (int i = 0; i < 40; i++)
            {
                record.dependency(i, i + 1);
            }
            writer.append(record);
        }
        final JournalCorruptionException ex = assertThrows(JournalCorruptionException.class,
            () -> JournalReader.readLast(dir, new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY)));
        assertTrue(ex.overCapacity(), ex::getMessage);
        assertEquals("it has 40 dependencies, over dependencies.max=8; the journal was written with a larger " +
            "capacity: set dependencies.max to at least 40", ex.reason());
    }

    @Test
    void shouldCallARecordLongerThanTheReaderHoldsCorruptWhenItsCrcDoesNotMatch() throws Exception
    {
        try (JournalWriter writer = new JournalWriter(dir, "FAST_DAILY", MAX_DEPENDENCIES, 4096))
        {
            final MessageRecord record = new MessageRecord(MAX_DEPENDENCIES, 4096);
            record.id(1).payloadLength(600);
            java.util.Arrays.fill(record.payload(), 0, 600, (byte)0x5A);
            writer.append(record);
        }
        final Path file = JournalFiles.rollFiles(dir).get(0);
        final byte[] bytes = Files.readAllBytes(file);
        int run = 0;
        int inPayload = 0;
        while (run < 300)
        {
            run = 0x5A == bytes[inPayload++] ? run + 1 : 0;
        }
        bytes[inPayload] ^= 1;
        Files.write(file, bytes);
        final JournalCorruptionException ex = assertThrows(JournalCorruptionException.class,
            () -> JournalReader.readLast(dir, new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY)));
        assertFalse(ex.overCapacity(), ex::getMessage);
        assertTrue(ex.reason().endsWith("and its CRC32C does not match"), ex.getMessage());
    }
}
