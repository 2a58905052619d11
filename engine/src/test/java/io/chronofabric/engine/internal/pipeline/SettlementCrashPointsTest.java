package io.chronofabric.engine.internal.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import io.chronofabric.engine.EngineTestSupport;
import io.chronofabric.engine.internal.event.SingleWriterCounter;
import io.chronofabric.journal.Durability;
import io.chronofabric.journal.SettledState;
import io.chronofabric.journal.SettlementSink;
import io.chronofabric.journal.SettlementWriter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A crash after any document of the settlement log leaves a log a start reads correctly, also when a document filled
 * up in the middle of recording something: every settled message that was dead is still dead, and every
 * per-subscriber state of an unsettled message is still there. Each case is run once per crash point (after the
 * first, second, ... document), on real Chronicle files. Found by an adversarial review: a full document written
 * with the watermark in memory persisted a dead message as settled before its "dead" (its dependents then went
 * through after a restart), and a re-record of per-subscriber state split over two documents left the states of the
 * second out of reach after a crash between them.
 */
class SettlementCrashPointsTest
{
    private static final int WINDOW = 1024;

    @Test
    void aDeadMessageIsNeverSettledWithoutItsDeadWhateverDocumentTheCrashFollows() throws Exception
    {
        final long last = 2_500;
        for (int crashAfter = 1; ; crashAfter++)
        {
            final Path dir = Files.createTempDirectory("crash-points-dead");
            try
            {
                final boolean crashed = runUntilCrash(dir, crashAfter, tracker -> { }, tracker ->
                {
                    for (long id = 1; id <= last; id++)
                    {
                        tracker.settled(id, id - 1, true);
                    }
                    tracker.endOfBatch();
                });
                final SettledState recovered = SettledState.read(dir, WINDOW);
                for (long id = Math.max(1, recovered.watermark() - WINDOW + 1); id <= last; id++)
                {
                    if (recovered.isSettled(id) && !recovered.isDead(id))
                    {
                        fail("crash after document " + crashAfter + ": message " + id + " is settled but not dead " +
                            "(watermark " + recovered.watermark() + ")");
                    }
                }
                if (!crashed)
                {
                    assertEquals(last, recovered.watermark());
                    return;
                }
            }
            finally
            {
                EngineTestSupport.deleteQuietly(dir);
            }
        }
    }

    @Test
    void perSubscriberStateRecordedAgainOverSeveralDocumentsSurvivesACrashBetweenThem() throws Exception
    {
        final long first = 3L * WINDOW;
        final int stuck = 1_500; // more than one document's worth of per-subscriber entries
        for (int crashAfter = 1; ; crashAfter++)
        {
            final Path dir = Files.createTempDirectory("crash-points-states");
            try
            {
                // delivered to subscriber 1 and recorded, while the older messages wait; then they settle
                final boolean crashed = runUntilCrash(dir, crashAfter, tracker ->
                {
                    for (long id = first; id < first + stuck; id++)
                    {
                        tracker.partial(id, 1, true);
                    }
                    tracker.endOfBatch();
                }, tracker ->
                {
                    for (long id = 1; id < first; id++)
                    {
                        tracker.settled(id, id - 1, false);
                        if (0 == id % 100)
                        {
                            tracker.endOfBatch();
                        }
                    }
                    tracker.endOfBatch();
                });
                final SettledState recovered = SettledState.read(dir, WINDOW);
                int lost = 0;
                for (long id = first; id < first + stuck; id++)
                {
                    if (!recovered.isSettled(id) && null == recovered.settledFor(id, 1))
                    {
                        lost++;
                    }
                }
                assertEquals(0, lost, "crash after document " + crashAfter + ": per-subscriber states lost (watermark " +
                    recovered.watermark() + ")");
                if (!crashed)
                {
                    assertTrue(recovered.watermark() == first - 1, "watermark " + recovered.watermark());
                    return;
                }
            }
            finally
            {
                EngineTestSupport.deleteQuietly(dir);
            }
        }
    }

    /**
     * @return true when the crash came: {@code work} (not {@code setup}) would have written more than
     *     {@code crashAfter} documents.
     */
    private static boolean runUntilCrash(final Path dir, final int crashAfter, final Consumer<SettlementTracker> setup,
        final Consumer<SettlementTracker> work)
    {
        try (SettlementWriter writer = new SettlementWriter(dir, "FAST_DAILY", Durability.NONE))
        {
            final CrashingSink sink = new CrashingSink(writer);
            final SettlementTracker tracker = new SettlementTracker(sink, SettledState.empty(), 0,
                new SingleWriterCounter(), id -> false, () -> { }, WINDOW);
            tracker.prepare();
            setup.accept(tracker);
            sink.crashAfter(crashAfter);
            work.accept(tracker);
            return false;
        }
        catch (final Crash crash)
        {
            return true;
        }
    }

    private static final class Crash extends RuntimeException
    {
        private static final long serialVersionUID = 1L;
    }

    /** Writes documents through a real writer; once armed, the process "dies" after the given number more. */
    private static final class CrashingSink implements SettlementSink
    {
        private final SettlementWriter writer;
        private int crashAfter = Integer.MAX_VALUE;
        private int written;

        CrashingSink(final SettlementWriter writer)
        {
            this.writer = writer;
        }

        void crashAfter(final int documents)
        {
            crashAfter = documents;
            written = 0;
        }

        @Override
        public boolean settled(final long id)
        {
            return writer.settled(id);
        }

        @Override
        public boolean dead(final long id)
        {
            return writer.dead(id);
        }

        @Override
        public boolean partial(final long id, final int subscriber, final boolean delivered)
        {
            return writer.partial(id, subscriber, delivered);
        }

        @Override
        public boolean retry(final long id, final int subscriber, final int attempts)
        {
            return writer.retry(id, subscriber, attempts);
        }

        @Override
        public boolean refused(final long id)
        {
            return writer.refused(id);
        }

        @Override
        public void write(final long watermark, final long high)
        {
            if (written == crashAfter)
            {
                throw new Crash();
            }
            writer.write(watermark, high);
            written++;
        }

        @Override
        public void prepare()
        {
            writer.prepare();
        }

        @Override
        public void close()
        {
            writer.close();
        }
    }
}
