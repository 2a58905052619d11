package io.chronofabric.journal;

import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalQueuesTest
{
    @TempDir
    Path dir;

    @Test
    void shouldMapSmallDocumentsInTheSmallestBlock()
    {
        assertEquals(JournalQueues.MIN_BLOCK_SIZE, JournalQueues.blockSize(0));
        assertEquals(JournalQueues.MIN_BLOCK_SIZE, JournalQueues.blockSize(RecordLayout.recordLength(8, 256)));
        // the settlement log's longest document still fits in a quarter of the smallest block
        assertEquals(JournalQueues.MIN_BLOCK_SIZE, JournalQueues.blockSize(SettlementLayout.MAX_LENGTH));
    }

    @Test
    void shouldGrowTheBlockToHoldFourOfTheLongestDocument()
    {
        assertEquals(2L << 20, JournalQueues.blockSize(300_000));
        final int largest = RecordLayout.recordLength(EngineLimits.MAX_DEPENDENCIES, EngineLimits.MAX_PAYLOAD);
        final long block = JournalQueues.blockSize(largest);
        assertEquals(8L << 20, block);
        assertEquals(1, Long.bitCount(block), "a power of two");
        assertThrows(IllegalArgumentException.class, () -> JournalQueues.blockSize(-1));
    }

    @Test
    void shouldWriteAndReadBackRecordsOfTheLargestSizeAcrossBlocks()
    {
        final int dependencies = EngineLimits.MAX_DEPENDENCIES;
        final int capacity = EngineLimits.MAX_PAYLOAD;
        // 12 records of ~1 MiB cross the 8 MiB block at least once
        final int count = 12;
        final Random random = new Random(0x5EEDL);
        final MessageRecord[] written = new MessageRecord[count];
        try (JournalWriter writer = new JournalWriter(dir, JournalQueues.DEFAULT_ROLL_CYCLE, dependencies, capacity))
        {
            for (int i = 0; i < count; i++)
            {
                written[i] = new MessageRecord(dependencies, capacity);
                Records.randomise(random, written[i]);
                written[i].dependencyCount(dependencies);
                random.nextBytes(written[i].payload());
                written[i].payloadLength(capacity);
                writer.append(written[i]);
            }
        }
        final MessageRecord read = new MessageRecord(dependencies, capacity);
        try (JournalReader reader = new JournalReader(dir, dependencies, capacity))
        {
            for (int i = 0; i < count; i++)
            {
                assertTrue(reader.next(read), "record " + i);
                assertTrue(written[i].contentEquals(read), "record " + i);
            }
            assertFalse(reader.next(read));
        }
    }
}
