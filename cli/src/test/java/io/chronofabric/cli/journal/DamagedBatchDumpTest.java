package io.chronofabric.cli.journal;

import java.nio.file.Path;

import io.chronofabric.journal.DamagedDocuments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The journal tool never prints a corrupt record as a message: a damaged length field in a batch document does not
 * make {@code journal dump} print a well-formed record carried in the damaged record's payload, and the dump exits 1.
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
    }
}
