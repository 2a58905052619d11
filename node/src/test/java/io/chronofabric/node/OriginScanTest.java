package io.chronofabric.node;

import java.nio.file.Files;
import java.nio.file.Path;

import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.JournalWriter;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;
import io.chronofabric.journal.retention.PrunedOrigins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a node holds of each origin at start: its journal plus what retention deleted ({@link PrunedOrigins}), a
 * cycle counted there and still present (retention died before deleting it) counted once.
 */
class OriginScanTest
{
    private static final long WALL = 1_790_000_000_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void addsWhatRetentionDeletedToWhatTheJournalHolds() throws Exception
    {
        final int cycle = writeJournal();
        pruned(cycle - 1);

        final OriginScan scan = OriginScan.of(dir, 8, 64);

        assertEquals(5 + 2, scan.count(2));
        assertEquals(12, scan.highWaterMark(2), "the journal's mark is above the pruned one");
        assertEquals(3 + 1, scan.ownCount);
        assertEquals(3, scan.ownLast);
    }

    @Test
    void countsACycleRetentionCountedButDidNotDeleteOnce() throws Exception
    {
        final int cycle = writeJournal();
        pruned(cycle);

        final OriginScan scan = OriginScan.of(dir, 8, 64);

        assertEquals(5, scan.count(2));
        assertEquals(9, scan.highWaterMark(2));
        assertEquals(3, scan.ownCount);
        assertEquals(2, scan.ownLast);
    }

    /** Node 1's journal: its own message 3, node 2's messages 11 and 12; @return its cycle. */
    private int writeJournal()
    {
        try (JournalWriter writer = new JournalWriter(dir, "FAST_DAILY", 8, 64))
        {
            final MessageRecord record = new MessageRecord(8, 64);
            for (final long[] idOriginAndOriginId : new long[][] {{3, 1, 3}, {4, 2, 11}, {5, 2, 12}})
            {
                record.clear();
                record.id(idOriginAndOriginId[0]).hlc(WALL + idOriginAndOriginId[0], 0).type(1).source(1)
                    .originNode((int)idOriginAndOriginId[1]).originId(idOriginAndOriginId[2]);
                if (1 != idOriginAndOriginId[1])
                {
                    record.flags(RecordFlags.REMOTE);
                }
                record.payloadLength(0);
                writer.append(record);
            }
        }
        try (JournalReader reader = new JournalReader(dir, 8, 64))
        {
            reader.next(new MessageRecord(8, 64));
            return reader.lastCycle();
        }
    }

    /** What retention would have written after deleting cycles through {@code cycle}: node 2's 5 up to 9, 3 own. */
    private void pruned(final int cycle) throws Exception
    {
        Files.writeString(dir.resolve(PrunedOrigins.FILE), "through.cycle=" + cycle + "\norigin.2.count=5\n" +
            "origin.2.mark=9\nown.count=3\nown.last=2\n");
    }
}
