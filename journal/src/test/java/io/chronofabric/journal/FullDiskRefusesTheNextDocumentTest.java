package io.chronofabric.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal filling its disk fails on the positional write of the pages ahead, and the next document is refused
 * before a byte of it is written: the failure is an I/O error naming the full disk, never a fault of the mapped write
 * (which the JVM reports after the fact, or crashes on), and every record committed before it reads back, none after.
 * Batches of small records, and documents longer than the least region kept allocated ahead. Needs a small tmpfs, so
 * it runs where the test may mount one (root, as on CI).
 */
class FullDiskRefusesTheNextDocumentTest
{
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}-byte payloads")
    @ValueSource(ints = {200, 300 * 1024})
    void theDocumentAfterTheWriteAheadMetTheFullDiskIsRefusedWithNothingWritten(final int payload) throws IOException
    {
        try (SmallDisk disk = SmallDisk.mount(dir, 4))
        {
            final Path journal = disk.path().resolve("journal");
            final MessageRecord record = new MessageRecord(DamagedDocuments.MAX_DEPENDENCIES, payload);
            record.clear();
            record.type(7).source(1).originNode(1).payloadLength(payload);
            long committed = 0;
            JournalWriteException failure = null;
            final JournalWriter writer = new JournalWriter(journal, "FAST_DAILY", DamagedDocuments.MAX_DEPENDENCIES,
                payload);
            try
            {
                writer.prepare();
                for (long id = 1; null == failure && id < 1_000_000; id++)
                {
                    try
                    {
                        writer.add(record.id(id).originId(id));
                        if (0 == writer.recordsInDocument())
                        {
                            committed = id; // the add filled the document and committed it
                        }
                    }
                    catch (final JournalWriteException ex)
                    {
                        failure = ex;
                    }
                }
            }
            finally
            {
                try
                {
                    writer.close();
                }
                catch (final JournalWriteException refused)
                {
                    // the close commits nothing more: the open document was refused
                }
            }
            assertNotNull(failure, "the 4 MiB disk filled");
            assertTrue(committed > 0, "documents were committed before the disk filled");
            assertInstanceOf(IOException.class, failure.getCause(), "an I/O error, not a fault of the mapping");
            assertTrue(String.valueOf(failure.getCause().getMessage()).contains("No space left"), failure.toString());

            disk.resize(12); // reading a hole of a sparse file on tmpfs needs a free page
            assertEquals(committed, JournalFiles.countRecords(journal));
            final MessageRecord read = new MessageRecord(DamagedDocuments.MAX_DEPENDENCIES, payload);
            try (JournalReader reader = new JournalReader(journal, DamagedDocuments.MAX_DEPENDENCIES, payload))
            {
                for (long id = 1; id <= committed; id++)
                {
                    assertTrue(reader.next(read), "record " + id + " of " + committed);
                    assertEquals(id, read.id());
                }
                assertFalse(reader.next(read), "nothing after the last committed document");
            }
        }
    }

    @Test
    void aQueuesFirstDocumentOnAFullDiskIsRefusedNotAFaultOfTheMapping() throws IOException
    {
        // the dead letters' queue, opened at the engine's start, creates its first roll file only when the first dead
        // letter comes, maybe once the disk is full
        try (SmallDisk disk = SmallDisk.mount(dir, 2);
             DurableQueue queue = new DurableQueue(disk.path().resolve("deadletters"), "FAST_DAILY",
                 Durability.NONE, JournalQueues.DEFAULT_BLOCK_SIZE, 64))
        {
            try
            {
                Files.write(disk.path().resolve("filler"), new byte[3 << 20]);
            }
            catch (final IOException full)
            {
                // what fits was written: the disk is full
            }
            final JournalWriteException refused = assertThrows(JournalWriteException.class,
                () -> queue.write(new byte[64], 0, 64));
            assertTrue(String.valueOf(refused.getCause().getMessage()).contains("No space left"), refused.toString());
        }
    }

    @Test
    void aQueueOpenedFirstOnAFullDiskIsRefusedNotAFaultOfItsMetadataFile() throws IOException
    {
        try (SmallDisk disk = SmallDisk.mount(dir, 2))
        {
            fill(disk);
            final JournalWriteException refused = assertThrows(JournalWriteException.class,
                () -> new DurableQueue(disk.path().resolve("trace"), "FAST_DAILY", Durability.NONE,
                    JournalQueues.DEFAULT_BLOCK_SIZE, 64).close());
            assertTrue(String.valueOf(refused.getCause().getMessage()).contains("No space left"), refused.toString());
            assertFalse(Files.exists(disk.path().resolve("trace").resolve("metadata.cq4t")), "nothing created");
        }
    }

    /**
     * A document that could roll into a new file, now or should its thread be held up before it starts, is refused
     * on a full disk: the roll would write the new file's header through the mapping. Away from a cycle's end the
     * pages the write-ahead allocated still take documents.
     */
    @Test
    void aDocumentNearTheEndOfItsCycleOnAFullDiskIsRefusedAsItMayRoll() throws Exception
    {
        try (SmallDisk disk = SmallDisk.mount(dir, 4);
             DurableQueue queue = new DurableQueue(disk.path().resolve("journal"), "TEST_SECONDLY", Durability.NONE,
                 JournalQueues.DEFAULT_BLOCK_SIZE, 64))
        {
            final byte[] document = new byte[64];
            awaitMillisOfSecond(0, 200);
            final long second = System.currentTimeMillis() / 1000;
            queue.write(document, 0, document.length);
            fill(disk);
            queue.write(document, 0, document.length);
            assertEquals(second, System.currentTimeMillis() / 1000, "both documents in one cycle, far from its end");
            assertTrue(queue.hasRoom(), "the pages ahead were allocated before the disk filled");

            awaitMillisOfSecond(1000 - DurableQueue.ROLL_MARGIN_MILLIS / 4 + 50, 1000);
            final JournalWriteException refused = assertThrows(JournalWriteException.class,
                () -> queue.write(document, 0, document.length));
            assertTrue(String.valueOf(refused.getCause().getMessage()).contains("No space left"), refused.toString());
        }
    }

    private static void awaitMillisOfSecond(final long from, final long to) throws InterruptedException
    {
        while (System.currentTimeMillis() % 1000 < from || System.currentTimeMillis() % 1000 >= to)
        {
            Thread.sleep(1);
        }
    }

    private static void fill(final SmallDisk disk)
    {
        try
        {
            Files.write(disk.path().resolve("filler"), new byte[8 << 20]);
        }
        catch (final IOException full)
        {
            // what fits was written: the disk is full
        }
    }
}
