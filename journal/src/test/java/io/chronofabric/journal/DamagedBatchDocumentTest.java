package io.chronofabric.journal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.journal.DamagedDocuments.MAX_DEPENDENCIES;
import static io.chronofabric.journal.DamagedDocuments.PAYLOAD_CAPACITY;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch document is split into records by the lengths their headers declare, so a damaged length field points the
 * reader into the damaged record's payload, where any bytes may lie, a well-formed record included. The reader never
 * returns such bytes as a message, reading forwards or backwards: after a record whose CRC fails, the rest of its
 * document is trusted only if every record in it passes its own CRC.
 */
class DamagedBatchDocumentTest
{
    @TempDir
    Path dir;

    @Test
    void aDamagedLengthFieldNeverMakesPayloadBytesAMessage()
    {
        DamagedDocuments.batchWithDamagedLength(dir);
        final List<String> forwards = read(false);
        final List<String> backwards = read(true);
        for (final List<String> steps : List.of(forwards, backwards))
        {
            assertFalse(steps.contains("record " + DamagedDocuments.CARRIED_ID),
                "bytes of message 1's payload read as a message: " + steps);
            assertTrue(steps.stream().anyMatch(step -> step.startsWith("corrupt")), "the damage is reported: " + steps);
        }
    }

    private List<String> read(final boolean backwards)
    {
        final List<String> steps = new ArrayList<>();
        final MessageRecord read = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
        try (JournalReader reader = new JournalReader(dir, MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
        {
            if (backwards)
            {
                reader.toEndBackwards();
            }
            for (int i = 0; i < 10; i++)
            {
                try
                {
                    if (!reader.next(read))
                    {
                        return steps;
                    }
                    steps.add("record " + read.id());
                }
                catch (final JournalCorruptionException ex)
                {
                    steps.add("corrupt: " + ex.reason());
                }
            }
        }
        return steps;
    }
}
