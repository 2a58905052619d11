package io.chronofabric.engine.internal.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;

import io.chronofabric.engine.EngineTestSupport;
import io.chronofabric.engine.internal.event.SingleWriterCounter;
import io.chronofabric.journal.Durability;
import io.chronofabric.journal.SettledState;
import io.chronofabric.journal.SettlementWriter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A start reads the settlement log backwards only down to documents whose highest settled id is more than
 * {@code dependencies.window} below the watermark. A message delivered to one subscriber and retried for another
 * while more than a window of older messages were unsettled (parked behind a dependency being retried) had its
 * per-subscriber state recorded in a document whose high was that far below: once the older ones settled, a start
 * after a crash stopped before that document, invoked the subscriber that had it again and restarted the other's
 * attempts from one (an adversarial review's finding). The tracker now records such state again before the start's
 * backward read could stop short of where it was recorded.
 */
class LongUnsettledSubscriberStateTest
{
    private static final int WINDOW = 1024;

    @Test
    void perSubscriberStateSurvivesTheOlderMessagesSettlingMoreThanAWindowPastIt() throws Exception
    {
        final Path dir = Files.createTempDirectory("long-unsettled");
        try
        {
            final long stuck = 3L * WINDOW;
            try (SettlementWriter log = new SettlementWriter(dir, "FAST_DAILY", Durability.NONE))
            {
                final SettlementTracker tracker = new SettlementTracker(log, SettledState.empty(), 0,
                    new SingleWriterCounter(), id -> false, () -> { }, WINDOW);
                tracker.prepare();
                // everything older is parked or retrying: the message is delivered to one subscriber, fails on another
                tracker.partial(stuck, 1, true);
                tracker.retrying(stuck, 2, 1);
                tracker.endOfBatch();
                // then the older ones settle, in batches, far past a window, while the retry waits
                for (long id = 1; id < stuck; id++)
                {
                    tracker.settled(id, id - 1, false);
                    if (0 == id % 100)
                    {
                        tracker.endOfBatch();
                    }
                }
                tracker.endOfBatch();
            }
            // a crash here: the next start reads the log
            final SettledState recovered = SettledState.read(dir, WINDOW);

            assertEquals(stuck - 1, recovered.watermark());
            assertFalse(recovered.isSettled(stuck));
            assertEquals(Boolean.TRUE, recovered.settledFor(stuck, 1), "subscriber 1 had it: not to be invoked again");
            assertEquals(1, recovered.attemptsMade(stuck, 2), "subscriber 2's attempts go on from the one made");
            assertTrue(recovered.hasPerSubscriberState());
        }
        finally
        {
            EngineTestSupport.deleteQuietly(dir);
        }
    }

    @Test
    void perSubscriberStateARestartRecoveredSurvivesTheOlderMessagesSettlingAfterIt() throws Exception
    {
        final Path dir = Files.createTempDirectory("long-unsettled-restart");
        try
        {
            final long stuck = 3L * WINDOW;
            try (SettlementWriter log = new SettlementWriter(dir, "FAST_DAILY", Durability.NONE))
            {
                final SettlementTracker tracker = new SettlementTracker(log, SettledState.empty(), 0,
                    new SingleWriterCounter(), id -> false, () -> { }, WINDOW);
                tracker.prepare();
                tracker.partial(stuck, 1, false);
                tracker.retrying(stuck, 2, 3);
                tracker.endOfBatch();
            }
            // a crash; the next engine starts with what the log says, and the older messages settle under it
            final SettledState first = SettledState.read(dir, WINDOW);
            assertEquals(Boolean.FALSE, first.settledFor(stuck, 1));
            try (SettlementWriter log = new SettlementWriter(dir, "FAST_DAILY", Durability.NONE))
            {
                final SettlementTracker tracker = new SettlementTracker(log, first, first.watermark(),
                    new SingleWriterCounter(), id -> false, () -> { }, WINDOW);
                tracker.prepare();
                for (long id = 1; id < stuck; id++)
                {
                    tracker.settled(id, id - 1, false);
                    tracker.endOfBatch();
                }
            }
            final SettledState second = SettledState.read(dir, WINDOW);

            assertEquals(stuck - 1, second.watermark());
            assertEquals(Boolean.FALSE, second.settledFor(stuck, 1), "dead-lettered for subscriber 1 once only");
            assertEquals(3, second.attemptsMade(stuck, 2));
        }
        finally
        {
            EngineTestSupport.deleteQuietly(dir);
        }
    }
}
