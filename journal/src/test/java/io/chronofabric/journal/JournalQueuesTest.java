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
    void shouldMapSmallDocumentsInTheBlockAskedFor()
    {
        final long block = JournalQueues.DEFAULT_BLOCK_SIZE;
        assertEquals(block, JournalQueues.blockSize(block, 0));
        assertEquals(block, JournalQueues.blockSize(block, RecordLayout.recordLength(8, 256)));
        assertEquals(JournalQueues.MIN_BLOCK_SIZE,
            JournalQueues.blockSize(JournalQueues.MIN_BLOCK_SIZE, RecordLayout.recordLength(8, 256)));
        assertEquals(64L << 20, JournalQueues.blockSize(64L << 20, RecordLayout.recordLength(8, 256)));
        assertEquals(1L << 20, JournalQueues.blockSize(1L << 20, SettlementLayout.MAX_LENGTH));
    }

    @Test
    void shouldRaiseTheBlockToHoldFourOfTheLongestDocument()
    {
        assertEquals(2L << 20, JournalQueues.blockSize(JournalQueues.DEFAULT_BLOCK_SIZE, 300_000));
        // the settlement log's longest document (~170 KB) needs 1 MiB whatever smaller block is asked for
        assertEquals(1L << 20, JournalQueues.blockSize(JournalQueues.DEFAULT_BLOCK_SIZE, SettlementLayout.MAX_LENGTH));
        assertEquals(1L << 20, JournalQueues.blockSize(JournalQueues.MIN_BLOCK_SIZE, SettlementLayout.MAX_LENGTH));
        final int largest = RecordLayout.recordLength(EngineLimits.MAX_DEPENDENCIES, EngineLimits.MAX_PAYLOAD);
        assertEquals(8L << 20, JournalQueues.blockSize(JournalQueues.MIN_BLOCK_SIZE, largest));
    }

    @Test
    void shouldRefuseBlocksThatAreNoPowerOfTwoInRange()
    {
        assertTrue(JournalQueues.isBlockSize(JournalQueues.MIN_BLOCK_SIZE));
        assertTrue(JournalQueues.isBlockSize(JournalQueues.MAX_BLOCK_SIZE));
        assertFalse(JournalQueues.isBlockSize(JournalQueues.MIN_BLOCK_SIZE / 2));
        assertFalse(JournalQueues.isBlockSize(JournalQueues.MAX_BLOCK_SIZE * 2));
        assertFalse(JournalQueues.isBlockSize(3L << 20));
        assertThrows(IllegalArgumentException.class, () -> JournalQueues.blockSize(3L << 20, 0));
        assertThrows(IllegalArgumentException.class, () -> JournalQueues.blockSize(1L << 20, -1));
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
        // asked for the smallest block: the writer raises it to hold four of its longest record
        try (JournalWriter writer = new JournalWriter(dir, JournalQueues.DEFAULT_ROLL_CYCLE, Durability.NONE,
            JournalQueues.MIN_BLOCK_SIZE, dependencies, capacity))
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
