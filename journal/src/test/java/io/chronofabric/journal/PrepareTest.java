package io.chronofabric.journal;

import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Preparing a queue's first write at start (appender, roll file, first page) writes nothing: an engine that starts
 * and stops with nothing published leaves an empty journal, trace and settlement log, and the first record after a
 * prepare is the cycle's first, read back intact.
 */
class PrepareTest
{
    private static final int MAX_DEPENDENCIES = 8;
    private static final int PAYLOAD_CAPACITY = 256;

    @TempDir
    Path dir;

    @Test
    void shouldWriteNothingAndLeaveTheFirstAppendTheCyclesFirstRecord()
    {
        try (JournalWriter writer = new JournalWriter(dir, JournalQueues.DEFAULT_ROLL_CYCLE, Durability.SYNC,
            MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
             TraceWriter trace = new TraceWriter(dir, JournalQueues.DEFAULT_ROLL_CYCLE, Durability.SYNC))
        {
            writer.prepare();
            trace.prepare();
            writer.sync();
            trace.flush();
            assertEquals(-1, writer.lastIndex(), "no record");
            assertFalse(JournalFiles.rollFiles(dir).isEmpty(), "the cycle's file exists: that is the point");
            assertEquals(0, JournalFiles.countRecords(dir));
            assertEquals(0, JournalFiles.countRecords(TraceLayout.traceDir(dir)));

            final MessageRecord record = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
            Records.randomise(new Random(7), record);
            final long index = writer.append(record);
            writer.prepare();
            final long next = writer.append(record.id(record.id() + 1));
            assertEquals(index + 1, next, "a prepare between appends leaves no gap");
            assertEquals(0, index & 0xFFFF_FFFFL, "the first record is the cycle's sequence 0");

            final MessageRecord read = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
            try (JournalReader reader = new JournalReader(dir, MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
            {
                assertTrue(reader.next(read));
                assertEquals(index, reader.lastIndex());
                assertTrue(reader.next(read));
                assertTrue(record.contentEquals(read));
                assertFalse(reader.next(read));
            }
        }
    }
}
