package io.chronofabric.node;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The persisted clock refusals of a peer, read back at start against the high-water mark its journal holds. */
class ClockRefusalsTest
{
    private static final int PEER = 3;
    private static final int SUMMARY_BYTES = 3 * Long.BYTES;

    @TempDir
    Path dir;

    @Test
    void countsTheRefusalsBelowAJournaledMessageAndDropsTheOnesThePeerOffersAgain() throws Exception
    {
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, 0, false))
        {
            refusals.refused(4);
            refusals.refused(5);
            refusals.refused(9);
        }
        // the journal holds the peer's message 6: 4 and 5 came before it; 9 was never acknowledged
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, 6, false))
        {
            assertEquals(2, refusals.count());
            assertEquals(6, refusals.highWaterMark());
            refusals.refused(9); // offered again, refused again
            refusals.acknowledged(9, 1);
            assertEquals(3, refusals.count());
        }
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, 6, true))
        {
            assertEquals(3, refusals.count());
            assertEquals(9, refusals.highWaterMark(), "acknowledged: the peer never offers 9 again");
        }
    }

    @Test
    void keepsAcknowledgedRefusalsAtTheEndOfTheStreamThoughTheJournalHoldsNothingAfterThem() throws Exception
    {
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, 0, false))
        {
            refusals.refused(1);
            refusals.refused(2);
            refusals.acknowledged(2, 2);
            refusals.refused(3); // refused, not acknowledged: a message before it was still in the ring
        }
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, 0, false))
        {
            assertEquals(2, refusals.count());
            assertEquals(2, refusals.highWaterMark());
        }
    }

    @Test
    void aPeerNeverRefusedHasNoFileAndAFileWithNothingRefusedYetReadsBackAsNothing() throws Exception
    {
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, 0, false))
        {
            assertEquals(0, refusals.count());
        }
        assertFalse(Files.exists(dir.resolve(ClockRefusals.PREFIX + PEER)), "nothing refused, no file");
        write(ByteBuffer.allocate(SUMMARY_BYTES).putLong(ClockRefusals.SUMMARY).putLong(0).putLong(0));
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, 0, false))
        {
            assertEquals(0, refusals.count(), "a summary of 0 refusals at mark 0 is not a tail of zeros");
            assertEquals(0, refusals.highWaterMark());
            refusals.refused(3);
            refusals.acknowledged(3, 1);
        }
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, 0, false))
        {
            assertEquals(1, refusals.count());
            assertEquals(3, refusals.highWaterMark());
        }
    }

    @Test
    void dropsAnEntryTornByACrashInTheMiddleOfItsWrite() throws Exception
    {
        write(ByteBuffer.allocate(Long.BYTES * 2 + 3).putLong(7).putLong(-7).put(new byte[] {1, 2, 3}));
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, 0, false))
        {
            assertEquals(1, refusals.count());
            assertEquals(7, refusals.highWaterMark());
        }
    }

    @Test
    void dropsATailOfZerosThatAPowerLossLeftUnwritten() throws Exception
    {
        write(ByteBuffer.allocate(Long.BYTES * 4).putLong(7).putLong(-7));
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, 0, false))
        {
            assertEquals(1, refusals.count());
            assertEquals(7, refusals.highWaterMark());
        }
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, 0, false))
        {
            assertEquals(1, refusals.count());
        }
    }

    @Test
    void compactsToItsSummaryAtStartAndToTheSummaryAndTheRefusalsNotYetAcknowledgedWhenDue() throws Exception
    {
        final Path file = dir.resolve(ClockRefusals.PREFIX + PEER);
        final int acknowledged = ClockRefusals.COMPACT_EVERY / 2 + 1;
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, 0, false))
        {
            for (int id = 1; id <= acknowledged; id++)
            {
                refusals.refused(id);
                refusals.acknowledged(id, 1);
            }
            assertTrue(refusals.dueForCompaction());
            final long waiting = acknowledged + 5;
            refusals.refused(waiting);
            refusals.compact(new long[] {waiting, 0}, 1);
            assertEquals(SUMMARY_BYTES + Long.BYTES, Files.size(file));
        }
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, 0, false))
        {
            assertEquals(acknowledged, refusals.count());
            assertEquals(acknowledged, refusals.highWaterMark());
            assertEquals(SUMMARY_BYTES, Files.size(file), "the refusal never acknowledged is dropped");
        }
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, acknowledged + 10, false))
        {
            assertEquals(acknowledged, refusals.count(), "dropped at the last start: offered again, if not journaled");
        }
    }

    @Test
    void refusesAFileWhoseRefusedIdsDoNotIncreaseNamingIt() throws Exception
    {
        write(ByteBuffer.allocate(16).putLong(9).putLong(9));
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> ClockRefusals.open(dir, PEER, 100, false));
        assertTrue(refused.getMessage().contains(ClockRefusals.PREFIX + PEER) &&
            refused.getMessage().contains("must increase"), refused.getMessage());
    }

    private void write(final ByteBuffer bytes) throws Exception
    {
        Files.write(dir.resolve(ClockRefusals.PREFIX + PEER), bytes.array());
    }
}
