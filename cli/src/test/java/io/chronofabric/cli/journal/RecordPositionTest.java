package io.chronofabric.cli.journal;

import java.nio.file.Path;

import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.JournalWriter;
import io.chronofabric.journal.MessageRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * {@code --from INDEX+K} names the K-th record after the first of a document. A position past the
 * document's last record must be refused as {@code +K+1} is, not taken for the next document's first record.
 */
class RecordPositionTest
{
    @TempDir
    Path dir;

    @Test
    void aPositionOnePastTheLastRecordOfADocumentIsRefusedLikeTheOnesAfterIt()
    {
        final MessageRecord record = new MessageRecord(4, 64);
        try (JournalWriter writer = new JournalWriter(dir, "FAST_DAILY", 4, 64))
        {
            for (int id = 1; id <= 5; id++)
            {
                record.clear();
                record.id(id).hlc(1_700_000_000_000_000_000L + id, 0).type(7).source(1).originNode(1).originId(id);
                writer.add(record);
                if (3 == id)
                {
                    writer.commit(); // document A: ids 1..3; document B: ids 4..5
                }
            }
        }
        final long first;
        try (JournalReader reader = new JournalReader(dir, 4, 64))
        {
            reader.next(record);
            first = reader.lastIndex();
        }
        final String a = "0x" + Long.toHexString(first);
        final Cli.Result pastByTwo = Cli.run("journal", "dump", dir.toString(), "--from", a + "+4");
        assertNotEquals(0, pastByTwo.code(), pastByTwo::toString);
        final Cli.Result pastByOne = Cli.run("journal", "dump", dir.toString(), "--from", a + "+3");
        assertEquals(pastByTwo.code(), pastByOne.code(), () -> "document " + a + " holds +0..+2: --from " + a +
            "+4 is refused, but --from " + a + "+3 dumps the next document:\n" + pastByOne);
    }
}
