package io.chronofabric.engine.internal.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.chronofabric.engine.EngineTestSupport;
import io.chronofabric.engine.internal.event.SingleWriterCounter;
import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.Durability;
import io.chronofabric.journal.SettledState;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A start counts the dead letters written after the settlement log's last document as settlements (a crash came
 * between them), and a later start finds them only by reading the dead letters newest first down to the first one
 * the log records. So the new engine records them in a document before it delivers anything: otherwise a dead letter
 * it journals and records first (a message replayed from the journal that expires now) makes the start after a
 * second crash stop before them, invoke their subscriber again and store them twice (an adversarial review's
 * finding).
 */
class AdoptedDeadLettersTest
{
    @Test
    void theDeadLettersRecoveryCountedAreRecordedInADocumentBeforeAnythingIsDelivered() throws Exception
    {
        final Path dir = Files.createTempDirectory("adopted");
        try
        {
            try (DeadLetterJournal letters = new DeadLetterJournal(dir, "FAST_DAILY", Durability.NONE))
            {
                letters.append(5, 1, DeadLetterJournal.WHOLE_MESSAGE, DeadLetterReason.DEPENDENT_QUEUE_FULL, 0, 1L);
                letters.append(6, 1, 2, DeadLetterReason.EXPIRED, 1, 2L);
            }
            final SettledState recovered = SettledState.read(dir, 1 << 20);
            assertTrue(recovered.isSettled(5), "the whole dead letter counts as its message's settlement");

            final RecordingSettlements log = new RecordingSettlements();
            final SettlementTracker tracker = new SettlementTracker(log, recovered, 0, new SingleWriterCounter(),
                id -> false, () -> { }, 1 << 20);
            tracker.prepare();

            assertEquals(1, log.documents().size(), "one document at start");
            assertEquals(List.of(5L), log.settledIds());
            assertEquals(List.of(5L), log.deadIds());
            assertEquals(List.of("6/2/dead-lettered"), log.partials());
            assertTrue(log.documents().get(0).high() >= 5, "the document's high covers the id it settles");
        }
        finally
        {
            EngineTestSupport.deleteQuietly(dir);
        }
    }

    @Test
    void nothingIsWrittenAtStartWhenTheLogRecordsEveryDeadLetter()
    {
        final RecordingSettlements log = new RecordingSettlements();
        new SettlementTracker(log, SettledState.empty(), 0, new SingleWriterCounter(), id -> false, () -> { }, 1 << 20)
            .prepare();
        assertEquals(0, log.documents().size());
    }
}
