package io.chronofabric.cli.journal;

import java.nio.file.Path;

import io.chronofabric.journal.DamagedDocuments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal tool never prints a corrupt record as a message: a damaged length field in a batch document does not
 * make {@code journal dump} print a well-formed record carried in the damaged record's payload, the dump exits 1, and
 * the record after the damaged one, which the document's record table locates, is still printed.
 */
class DamagedBatchDumpTest
{
    @TempDir
    Path dir;

    @Test
    void dumpNeverPrintsPayloadBytesOfADamagedRecordAsAMessage()
    {
        DamagedDocuments.batchWithDamagedLength(dir);
        final Cli.Result dump = Cli.run("journal", "dump", dir.toString());
        assertFalse(dump.out().contains("id=" + DamagedDocuments.CARRIED_ID), () -> "journal dump printed bytes of " +
            "a damaged record's payload as a message:\n" + dump);
        assertEquals(1, dump.code(), dump::toString);
        assertTrue(dump.out().contains(" id=2 "), () -> "the record after the damaged one, which the document's " +
            "record table locates, is still read:\n" + dump);
        assertFalse(dump.err().contains("skipped_records"), dump::toString);
    }
}
