package io.chronofabric.engine.internal.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.chronofabric.engine.CapturedLog;

import io.chronofabric.engine.internal.event.PipelineCounters;
import io.chronofabric.journal.JournalWriteException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stage that fails because the trace, settlement log or dead letters could not be written (a full disk reaches the
 * delivery stage's writers as often as the journal stage's), or whose write into a queue's mapping faulted with the JVM
 * raising it only after the write had returned, fails the engine as a journal failure, so publishers get
 * {@code JournalFailedException}; any other stage failure stays a pipeline failure.
 */
class StageExceptionHandlerTest
{
    @Test
    void aFailedWriteToAJournalQueueInAnyStageIsAJournalFailure()
    {
        final PipelineCounters counters = new PipelineCounters();
        final JournalWriteException diskFull = new JournalWriteException(Path.of("journal", "trace"),
            new InternalError("a fault occurred in an unsafe memory access operation"));
        new StageExceptionHandler(counters).handleEventException(new IllegalStateException("delivery", diskFull), 7,
            null);
        assertTrue(counters.journalFailed());
        assertSame(diskFull, counters.failure().getCause());
    }

    @Test
    void aMappedWriteFaultRaisedAfterItsWriteHadReturnedIsAJournalFailure()
    {
        final PipelineCounters counters = new PipelineCounters();
        final InternalError fault = new InternalError("a fault occurred in a recent unsafe memory access operation " +
            "in compiled Java code");
        new StageExceptionHandler(counters).handleEventException(fault, 7, null);
        assertTrue(counters.journalFailed());
        assertTrue(JournalWriteException.isCauseOf(counters.failure()), String.valueOf(counters.failure()));
        assertSame(fault, counters.failure().getCause());
    }

    @Test
    void aFullDiskIsLoggedAsOneLineWithItsCausesAndABugWithItsStackTrace()
    {
        final JournalWriteException diskFull = new JournalWriteException(Path.of("journal", "trace"),
            new IOException("No space left on device"));
        try (CapturedLog log = new CapturedLog("StageExceptionHandler"))
        {
            new StageExceptionHandler(new PipelineCounters()).handleEventException(diskFull, 7, null);
            assertEquals(1, log.lines().size(), log.lines()::toString);
            assertTrue(log.lines().get(0).contains("writing to journal" + java.io.File.separator + "trace failed: " +
                "java.io.IOException: No space left on device"), log.lines()::toString);
            assertEquals(List.of(), log.linesWithStackTrace(), "the host's condition, not a defect");
        }
        try (CapturedLog log = new CapturedLog("StageExceptionHandler"))
        {
            new StageExceptionHandler(new PipelineCounters()).handleEventException(new IllegalStateException("a bug"),
                7, null);
            assertEquals(1, log.linesWithStackTrace().size(), log.lines()::toString);
        }
    }

    @Test
    void anyOtherStageFailureIsAPipelineFailure()
    {
        final PipelineCounters counters = new PipelineCounters();
        new StageExceptionHandler(counters).handleEventException(new IllegalStateException("a bug"), 7, null);
        assertFalse(counters.journalFailed());
        assertTrue(null != counters.failure());
    }
}
