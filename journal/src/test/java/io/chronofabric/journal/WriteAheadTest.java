package io.chronofabric.journal;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import net.openhft.chronicle.queue.ExcerptAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The journal's appends write into disk blocks already allocated ahead of them ({@link WriteAhead}), and the zeros
 * written ahead never cover a record: whatever was appended, across chunks, roll files and a reopened journal, reads
 * back whole and passes the file check.
 */
class WriteAheadTest
{
    private static final int MAX_DEPENDENCIES = 4;
    private static final int PAYLOAD_CAPACITY = 512;

    @TempDir
    Path dir;

    @Test
    void afterEachAppendTheRollFileIsAllocatedOnDiskWellAheadOfTheLastDocument() throws Exception
    {
        assertAllocatedAhead(JournalQueues.DEFAULT_BLOCK_SIZE);
    }

    /** With 64 MiB blocks Chronicle sizes the file far ahead: the chunks ahead are holes inside it, not past its end. */
    @Test
    void theChunksAheadAreAllocatedWhenTheyAreHolesInsideAFileSizedFarAhead() throws Exception
    {
        assertAllocatedAhead(64L << 20);
    }

    private void assertAllocatedAhead(final long blockSize) throws Exception
    {
        try (DurableQueue queue = new DurableQueue(dir, "FAST_DAILY", Durability.NONE, blockSize, 256))
        {
            final byte[] document = new byte[200];
            for (int i = 0; i < 10_000; i++)
            {
                queue.write(document, 0, document.length);
                if (0 == i % 500)
                {
                    final ExcerptAppender appender = queue.appender();
                    final long position = appender.wire().bytes().writePosition();
                    final long allocated = allocatedBytes(appender.currentFile());
                    // without the write-ahead a sparse roll file holds blocks only up to about the write position
                    assertTrue(allocated >= position + WriteAhead.AHEAD_BYTES - WriteAhead.CHUNK_BYTES,
                        "after " + (i + 1) + " documents the write position is " + position + " and " + allocated +
                            " bytes of the file are allocated; expected at least " +
                            (WriteAhead.AHEAD_BYTES - WriteAhead.CHUNK_BYTES) + " beyond the position");
                }
            }
        }
    }

    @Test
    void everyRecordReadsBackWholeAcrossChunksAndAReopenedJournal()
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final List<MessageRecord> written = new ArrayList<>();
        for (int session = 0; session < 3; session++)
        {
            try (JournalWriter writer = new JournalWriter(dir, "FAST_DAILY", Durability.NONE,
                JournalQueues.MIN_BLOCK_SIZE, MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
            {
                writer.prepare();
                for (int i = 0; i < 8_000; i++)
                {
                    final MessageRecord record = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
                    Records.randomise(random, record);
                    writer.append(record);
                    written.add(record);
                }
            }
        }
        assertReadsBack(written, seed);
    }

    @Test
    void everyRecordReadsBackWholeAcrossRollFiles() throws Exception
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final List<MessageRecord> written = new ArrayList<>();
        try (JournalWriter writer = new JournalWriter(dir, "TEST_SECONDLY", Durability.NONE,
            JournalQueues.MIN_BLOCK_SIZE, MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
        {
            final long end = System.currentTimeMillis() + 2_500;
            while (System.currentTimeMillis() < end || written.size() < 3_000)
            {
                final MessageRecord record = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
                Records.randomise(random, record);
                writer.append(record);
                written.add(record);
                if (0 == written.size() % 1_000)
                {
                    Thread.sleep(100);
                }
            }
        }
        assertTrue(JournalFiles.rollFiles(dir).size() >= 2, "the appends spanned roll files");
        assertReadsBack(written, seed);
    }

    private void assertReadsBack(final List<MessageRecord> written, final long seed)
    {
        final MessageRecord read = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
        try (JournalReader reader = new JournalReader(dir, MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
        {
            for (int i = 0; i < written.size(); i++)
            {
                assertTrue(reader.next(read), "seed=" + seed + ": the journal ended after " + i + " of " +
                    written.size() + " records");
                if (!written.get(i).contentEquals(read))
                {
                    fail("seed=" + seed + " record " + i + ": read " + read + ", wrote " + written.get(i));
                }
            }
            assertFalse(reader.next(read), "seed=" + seed + ": more records than written");
        }
        assertEquals(List.of(), JournalFileCheck.check(dir, false, JournalFileCheck.Depth.DOCUMENTS),
            "seed=" + seed);
    }

    /** The disk space a file takes (its 512-byte blocks; the JDK's file attributes do not give them). */
    static long allocatedBytes(final File file) throws Exception
    {
        final Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.getPath()).redirectErrorStream(true).start();
        final String[] out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim()
            .split(" ");
        assertEquals(0, stat.waitFor(), String.join(" ", out));
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }
}
