package io.chronofabric.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The settlement log keeps the ids the watermark passed though they were never journaled (a publish refused after it
 * took the id): a start reads them back within its lookback, as it reads dead ids, and the journal tool, which takes
 * every id a document names for one that was journaled, is never told of them.
 */
class SettlementLogRefusedIdsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldReadBackTheRefusedIdsWithinTheLookbackAndNameNoneOfThemAsJournaled()
    {
        try (SettlementWriter log = new SettlementWriter(dir, "FAST_DAILY", Durability.NONE))
        {
            assertTrue(log.refused(3));
            assertTrue(log.settled(4));
            log.write(4, 4);
            assertTrue(log.refused(900));
            assertTrue(log.refused(950));
            assertTrue(log.dead(951));
            log.write(1_000, 1_000);
        }

        assertArrayEquals(new long[] {900, 950}, SettledState.read(dir, 200).refusedAtOrBelowWatermark(),
            "within 200 ids of the watermark 1,000: not id 3");
        assertArrayEquals(new long[] {3, 900, 950}, SettledState.read(dir, 10_000).refusedAtOrBelowWatermark());
        assertTrue(SettledState.read(dir, 10_000).isDead(951));

        final List<Long> named = new ArrayList<>();
        final List<JournalCorruptionException> corrupt = new ArrayList<>();
        assertEquals(2, SettledState.checkAll(dir, corrupt::add, (index, id) -> named.add(id)));
        assertEquals(List.of(), corrupt);
        assertFalse(named.contains(3L) || named.contains(900L) || named.contains(950L), named.toString());
        assertTrue(named.contains(951L), named.toString());
    }

    @Test
    void shouldStillReadALogWrittenBeforeRefusedIdsWereRecorded()
    {
        try (DurableQueue queue = new DurableQueue(SettlementLayout.settlementDir(dir), "FAST_DAILY", Durability.NONE,
            JournalQueues.DEFAULT_BLOCK_SIZE, SettlementLayout.MAX_LENGTH))
        {
            final byte[] document = versionOneDocument(500, 520, 480);
            queue.write(document, 0, document.length);
        }

        final SettledState state = SettledState.read(dir, 1_000);
        assertEquals(500, state.watermark());
        assertEquals(520, state.high());
        assertTrue(state.isDead(480));
        assertArrayEquals(new long[0], state.refusedAtOrBelowWatermark());
        assertEquals(1, SettledState.checkAll(dir, ex -> { throw ex; }));
    }

    /** A document as version 1 wrote it: bytes 2-3 reserved (0), one dead id, nothing else. */
    private static byte[] versionOneDocument(final long watermark, final long high, final long dead)
    {
        final int length = SettlementLayout.HEADER_LENGTH + SettlementLayout.DEAD_LENGTH;
        final ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(0, (byte)1).putLong(SettlementLayout.WATERMARK_OFFSET, watermark)
            .putLong(SettlementLayout.HIGH_OFFSET, high).putInt(SettlementLayout.DEAD_OFFSET, 1)
            .putLong(SettlementLayout.HEADER_LENGTH, dead);
        final CRC32C crc = new CRC32C();
        crc.update(buffer.array(), SettlementLayout.WATERMARK_OFFSET, length - SettlementLayout.WATERMARK_OFFSET);
        buffer.putInt(SettlementLayout.CRC_OFFSET, (int)crc.getValue());
        return buffer.array();
    }
}
