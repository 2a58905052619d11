package io.chronofabric.cli.analysis;

import java.nio.file.Path;

import io.chronofabric.engine.api.Stage;
import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.Durability;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.JournalQueues;
import io.chronofabric.journal.TraceWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import io.chronofabric.engine.internal.observability.Anomaly;
import io.chronofabric.engine.internal.observability.AnomalyKind;

/**
 * The after-the-fact analyzer on a trace written with known timestamps: stuck messages in the stage their time went
 * to, the messages queued behind them as slow hops, slow hops per stage, dead letters, the worst first.
 */
class TraceAnomaliesTest
{
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    @Test
    void shouldClassifyStuckMessagesSlowHopsAndDeadLettersByStage()
    {
        try (TraceWriter trace = new TraceWriter(dir, JournalQueues.DEFAULT_ROLL_CYCLE, Durability.NONE);
             DeadLetterJournal deadLetters = new DeadLetterJournal(dir, JournalQueues.DEFAULT_ROLL_CYCLE, Durability.NONE))
        {
            //          id  published journaled sequenced routed  delivered
            trace.add(1, 0, 10, 20, 30, 40, 0, 1);                         // fine
            trace.add(2, 0, 3 * MS, 3 * MS + 10, 3 * MS + 20, 3 * MS + 30, 0, 1);         // slow journal hop
            trace.add(3, 1_000 * MS, 1_000 * MS + 10, 1_000 * MS + 20, 1_000 * MS + 30, 1_400 * MS, 0, 1); // stuck
            trace.add(4, 1_000 * MS + 5, 1_000 * MS + 15, 1_400 * MS + 10, 1_400 * MS + 20, 1_400 * MS + 30, 0, 1);
            trace.add(5, 2_000 * MS, 2_500 * MS, 2_500 * MS + 1, 2_500 * MS + 2, 2_500 * MS + 3, 0, 1); // stuck
            deadLetters.append(6, 7, DeadLetterJournal.WHOLE_MESSAGE, DeadLetterReason.DEPENDENCY_TIMEOUT, 0, 1);
            deadLetters.append(7, 7, 2, DeadLetterReason.RETRIES_EXHAUSTED, 3, 2);
        }
        final TraceReport report = TraceAnomalies.analyze(dir, 100 * MS, MS, 10);
        assertEquals(5, report.messages());
        assertEquals(2, report.deadLetters());
        assertEquals(1L, report.counts().get(AnomalyKind.STUCK).get(Stage.DELIVERY));
        assertEquals(1L, report.counts().get(AnomalyKind.STUCK).get(Stage.JOURNAL));
        assertEquals(2, report.total(AnomalyKind.STUCK), "message 4 only waited behind message 3");
        assertEquals(1L, report.counts().get(AnomalyKind.SLOW_HOP).get(Stage.JOURNAL));
        assertEquals(1L, report.counts().get(AnomalyKind.SLOW_HOP).get(Stage.SEQUENCER));
        assertEquals(1L, report.counts().get(AnomalyKind.DEAD_LETTER).get(Stage.SEQUENCER));
        assertEquals(1L, report.counts().get(AnomalyKind.DEAD_LETTER).get(Stage.DELIVERY));

        assertEquals(6, report.worst().size());
        final Anomaly first = report.worst().get(0);
        assertEquals(new Anomaly(AnomalyKind.STUCK, Stage.JOURNAL, 5, -1, 500 * MS, ""), first, "longest stuck first");
        assertEquals(new Anomaly(AnomalyKind.STUCK, Stage.DELIVERY, 3, -1, 400 * MS - 30, ""), report.worst().get(1));
        assertEquals(new Anomaly(AnomalyKind.SLOW_HOP, Stage.SEQUENCER, 4, -1, 400 * MS - 5, "waited behind stuck " +
            "message 3"), report.worst().get(2));
        assertEquals(new Anomaly(AnomalyKind.DEAD_LETTER, Stage.SEQUENCER, 6, -1, 0, "dependency_timeout"),
            report.worst().get(4));
        assertEquals(2, report.worst().get(5).subscriberId());

        assertEquals(2, TraceAnomalies.analyze(dir, 100 * MS, MS, 2).worst().size(), "the limit");
        assertThrows(IllegalArgumentException.class, () -> TraceAnomalies.analyze(dir.resolve("none"), MS, MS, 1));
    }
}
