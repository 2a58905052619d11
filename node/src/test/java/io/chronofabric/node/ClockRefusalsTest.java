package io.chronofabric.node;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The persisted clock refusals of a peer, read back at start. */
class ClockRefusalsTest
{
    private static final int PEER = 3;

    @TempDir
    Path dir;

    @Test
    void readsBackTheCountAndTheLastOfTheRefusalsAcknowledgedInEveryRun() throws Exception
    {
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, false))
        {
            assertEquals(0, refusals.count());
            assertEquals(0, refusals.last());
            for (final long id : new long[] {4, 5, 9})
            {
                refusals.acknowledged(id);
            }
            assertEquals(3, refusals.count());
        }
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, true))
        {
            assertEquals(3, refusals.count());
            assertEquals(9, refusals.last());
            refusals.acknowledged(12);
        }
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, false))
        {
            assertEquals(4, refusals.count());
            assertEquals(12, refusals.last());
        }
    }

    @Test
    void cutsOffAnIdTornByACrashInTheMiddleOfItsWrite() throws Exception
    {
        write(ByteBuffer.allocate(Long.BYTES * 2 + 3).putLong(7).putLong(8).put(new byte[] {1, 2, 3}));
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, false))
        {
            assertEquals(2, refusals.count());
            refusals.acknowledged(9);
        }
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, false))
        {
            assertEquals(3, refusals.count());
            assertEquals(9, refusals.last());
        }
    }

    @Test
    void cutsOffATailOfZerosThatAPowerLossLeftUnwritten() throws Exception
    {
        write(ByteBuffer.allocate(Long.BYTES * 4).putLong(7).putLong(8));
        try (ClockRefusals refusals = ClockRefusals.open(dir, PEER, false))
        {
            assertEquals(2, refusals.count());
            assertEquals(8, refusals.last());
        }
        assertEquals(2 * Long.BYTES, Files.size(dir.resolve(ClockRefusals.PREFIX + PEER)));
    }

    @Test
    void refusesAFileWhoseIdsDoNotIncreaseNamingIt() throws Exception
    {
        write(ByteBuffer.allocate(16).putLong(9).putLong(9));
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> ClockRefusals.open(dir, PEER, false));
        assertTrue(refused.getMessage().contains(ClockRefusals.PREFIX + PEER) &&
            refused.getMessage().contains("must increase"), refused.getMessage());
    }

    private void write(final ByteBuffer bytes) throws Exception
    {
        Files.write(dir.resolve(ClockRefusals.PREFIX + PEER), bytes.array());
    }
}
