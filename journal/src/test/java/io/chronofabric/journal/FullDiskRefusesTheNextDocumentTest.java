package io.chronofabric.journal;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal filling its disk fails on the positional write of the pages ahead, and the next document is refused
 * before a byte of it is written: the failure is an I/O error naming the full disk, never a fault of the mapped write
 * (which the JVM reports after the fact), and every record committed before it reads back, none after. Needs a small
 * tmpfs, so it runs where the test may mount one (root, as on CI).
 */
class FullDiskRefusesTheNextDocumentTest
{
    @TempDir
    Path dir;

    @Test
    void theDocumentAfterTheWriteAheadMetTheFullDiskIsRefusedWithNothingWritten() throws IOException
    {
        try (SmallDisk disk = SmallDisk.mount(dir, 3))
        {
            final Path journal = disk.path().resolve("journal");
            final MessageRecord record = DamagedDocuments.record(1, 200);
            long committed = 0;
            JournalWriteException failure = null;
            try (JournalWriter writer = new JournalWriter(journal, "FAST_DAILY", DamagedDocuments.MAX_DEPENDENCIES,
                DamagedDocuments.PAYLOAD_CAPACITY))
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
                assertNotNull(failure, "the 3 MiB disk filled");
                assertInstanceOf(IOException.class, failure.getCause(), "an I/O error, not a fault of the mapping");
                assertTrue(String.valueOf(failure.getCause().getMessage()).contains("No space left"),
                    failure.toString());
                assertFalse(writer.touchAhead(), "no page is touched after the disk filled");
            }
            catch (final JournalWriteException closing)
            {
                // the close commits nothing more: the open document was refused
            }
            disk.resize(8); // reading a hole of a sparse file on tmpfs needs a free page
            assertEquals(committed, JournalFiles.countRecords(journal));
            final MessageRecord read = new MessageRecord(DamagedDocuments.MAX_DEPENDENCIES,
                DamagedDocuments.PAYLOAD_CAPACITY);
            try (JournalReader reader = new JournalReader(journal, DamagedDocuments.MAX_DEPENDENCIES,
                DamagedDocuments.PAYLOAD_CAPACITY))
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
}
