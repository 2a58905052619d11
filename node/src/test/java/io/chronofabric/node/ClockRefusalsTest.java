package io.chronofabric.node;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The persisted clock refusals of a peer, read back at start against the high-water mark the journal holds. */
class ClockRefusalsTest
{
    private static final int PEER = 3;

    @TempDir
    Path dir;

    @Test
    void countsTheRefusalsAtOrBelowTheMarkAndDropsTheOnesThePeerWillOfferAgain() throws Exception
    {
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, 0))
        {
            assertEquals(0, refusals.atStart());
            for (final long id : new long[] {4, 5, 9, 12, 20})
            {
                refusals.refused(id);
            }
        }
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, 12))
        {
            assertEquals(4, refusals.atStart(), "4, 5, 9 and 12");
            // 20 was cut off: offered again and refused again, it is recorded once
            refusals.refused(20);
            refusals.refused(21);
        }
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, 30))
        {
            assertEquals(6, refusals.atStart());
        }
        assertEquals(6 * Long.BYTES, Files.size(dir.resolve(ClockRefusals.PREFIX + PEER)));
    }

    @Test
    void dropsAnIdTornByACrashInTheMiddleOfItsWrite() throws Exception
    {
        final ByteBuffer bytes = ByteBuffer.allocate(Long.BYTES * 2 + 3).putLong(7).putLong(8).put(new byte[3]);
        Files.write(dir.resolve(ClockRefusals.PREFIX + PEER), bytes.array());
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, 100))
        {
            assertEquals(2, refusals.atStart());
            refusals.refused(9);
        }
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, 100))
        {
            assertEquals(3, refusals.atStart());
        }
    }

    @Test
    void refusesAFileWhoseIdsDoNotIncreaseNamingIt() throws Exception
    {
        Files.write(dir.resolve(ClockRefusals.PREFIX + PEER), ByteBuffer.allocate(16).putLong(9).putLong(9).array());
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> ClockRefusals.open(dir, PEER, 100));
        assertTrue(refused.getMessage().contains(ClockRefusals.PREFIX + PEER) &&
            refused.getMessage().contains("must increase"), refused.getMessage());
    }
}
