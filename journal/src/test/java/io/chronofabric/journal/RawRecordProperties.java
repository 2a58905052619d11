package io.chronofabric.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A record read raw ({@link JournalReader#nextRaw()}) is the record as journaled: its fields read in place are the
 * decoded record's, its bytes are what encoding that record gives (so a node can ship them as they are), decoding it
 * afterwards gives the record written, and a damaged one is refused exactly as {@link JournalReader#next} refuses it.
 * jqwik prints the seed of a failing try.
 */
class RawRecordProperties
{
    private static final int MAX_DEPENDENCIES = 4;
    private static final int PAYLOAD_CAPACITY = 256;

    @Property(tries = 60, shrinking = ShrinkingMode.OFF)
    void aRawRecordIsTheRecordAsJournaled(@ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 64) final int recordsPerDocument) throws IOException
    {
        final Random random = new Random(seed);
        final Path dir = Files.createTempDirectory("raw-records");
        try
        {
            final List<MessageRecord> written = new ArrayList<>();
            try (JournalWriter writer = new JournalWriter(dir, "FAST_DAILY", MAX_DEPENDENCIES, PAYLOAD_CAPACITY)
                .recordsPerDocument(recordsPerDocument))
            {
                for (int i = 1 + random.nextInt(300); i > 0; i--)
                {
                    final MessageRecord record = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
                    Records.randomise(random, record);
                    written.add(record);
                    writer.add(record);
                    if (0 == random.nextInt(30))
                    {
                        writer.commit();
                    }
                }
            }
            final RecordCodec codec = new RecordCodec(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
            final MessageRecord decoded = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
            try (JournalReader reader = new JournalReader(dir, MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
            {
                for (int i = 0; i < written.size(); i++)
                {
                    final MessageRecord expected = written.get(i);
                    assertTrue(reader.nextRaw(), "record " + i + " of " + written.size());
                    final RawRecord raw = reader.raw();
                    assertEquals(expected.id(), raw.id(), "id of record " + i);
                    assertEquals(expected.flags() & 0xFF, raw.flags(), "flags of record " + i);
                    assertEquals(expected.originNode(), raw.originNode(), "origin node of record " + i);
                    assertEquals(expected.originId(), raw.originId(), "origin id of record " + i);
                    assertEquals(expected.dependencyCount(), raw.dependencyCount(), "dependencies of record " + i);
                    assertTrue(raw.isCurrentVersion());
                    final int length = codec.encode(expected);
                    assertEquals(length, raw.length(), "length of record " + i);
                    assertArrayEquals(Arrays.copyOf(codec.scratch(), length), Arrays.copyOf(raw.bytes(), length),
                        "bytes of record " + i);
                    reader.decodeRaw(decoded);
                    assertTrue(expected.contentEquals(decoded), "record " + i + " decoded after a raw read");
                }
                assertFalse(reader.nextRaw());
            }
        }
        finally
        {
            BatchDocumentProperties.delete(dir);
        }
    }

    @Test
    void aDamagedRecordIsRefusedRawAsItIsDecoded(@TempDir final Path dir)
    {
        final MessageRecord record = DamagedDocuments.record(1, 40);
        final byte[] damaged = DamagedDocuments.encoded(new RecordCodec(MAX_DEPENDENCIES, PAYLOAD_CAPACITY), record);
        damaged[RecordLayout.HEADER_LENGTH + 5] ^= 0x10; // a payload bit: only the CRC tells
        DamagedDocuments.write(dir, damaged);
        try (JournalReader reader = new JournalReader(dir, MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
        {
            assertTrue(assertThrows(JournalCorruptionException.class, reader::nextRaw).getMessage().contains("CRC32C"));
        }
        try (JournalReader reader = new JournalReader(dir, MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
        {
            assertTrue(assertThrows(JournalCorruptionException.class, () -> reader.next(record)).getMessage()
                .contains("CRC32C"));
        }
    }
}
