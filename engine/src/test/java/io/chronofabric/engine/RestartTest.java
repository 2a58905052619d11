package io.chronofabric.engine;

import io.chronofabric.engine.internal.Engine;
import java.nio.file.Path;
import java.util.List;

import io.chronofabric.engine.internal.clock.HlcTimestamps;
import io.chronofabric.engine.api.ManualWallClock;
import io.chronofabric.journal.MessageRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.EngineTestSupport.SEQUENCE_WRITER;
import static io.chronofabric.engine.EngineTestSupport.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.chronofabric.engine.api.EngineStats;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.Publisher;

/**
 * An engine restarted on the journal of an earlier run resumes its ids and its clock above everything journaled.
 */
class RestartTest
{
    private static final int PER_RUN = 100;

    @TempDir
    Path dir;

    @Test
    void shouldResumeIdsAndClockAboveTheLastJournaledMessage()
    {
        final EngineConfiguration context = EngineTestSupport.context(dir).build();
        final long[] firstRun = run(context, 0);
        final List<MessageRecord> afterFirst = EngineTestSupport.readJournal(context);
        assertEquals(PER_RUN, afterFirst.size());
        final MessageRecord lastJournaled = afterFirst.get(PER_RUN - 1);

        final long[] secondRun = run(EngineTestSupport.context(dir).build(), 1);
        final long maxFirst = java.util.Arrays.stream(firstRun).max().getAsLong();
        for (final long id : secondRun)
        {
            assertTrue(id > maxFirst, "id " + id + " of the second run is not above " + maxFirst);
        }

        final List<MessageRecord> journal = EngineTestSupport.readJournal(context);
        assertEquals(2 * PER_RUN, journal.size());
        final MessageRecord firstNew = journal.get(PER_RUN);
        assertEquals(secondRun[0], firstNew.id());
        assertTrue(HlcTimestamps.compare(firstNew.hlcWall(), firstNew.hlcLogical(), lastJournaled.hlcWall(),
            lastJournaled.hlcLogical()) > 0, "first HLC of the second run is above the last journaled one");
        assertStrictlyIncreasing(journal);
    }

    /**
     * The second run's physical clock reads a second earlier than the first run's (a stepped host clock, or another
     * host): only the restart rule keeps the new timestamps above the journaled ones.
     */
    @Test
    void shouldStampAboveTheJournalEvenWhenThePhysicalClockIsBehindIt()
    {
        final long t = 1_700_000_000_000_000_000L;
        final EngineConfiguration first = EngineTestSupport.context(dir).wallClock(new ManualWallClock(t)).build();
        run(first, 0);
        final List<MessageRecord> afterFirst = EngineTestSupport.readJournal(first);
        assertEquals(t, afterFirst.get(PER_RUN - 1).hlcWall(), "frozen physical clock: wall stays at t");
        assertEquals(PER_RUN - 1, afterFirst.get(PER_RUN - 1).hlcLogical(), "frozen physical clock: logical counts");

        final EngineConfiguration second = EngineTestSupport.context(dir)
            .wallClock(new ManualWallClock(t - 1_000_000_000L)).build();
        final EngineStats stats = runAndGetStats(second);
        assertEquals(0, stats.orderViolations());

        final List<MessageRecord> journal = EngineTestSupport.readJournal(second);
        assertEquals(2 * PER_RUN, journal.size());
        final MessageRecord firstNew = journal.get(PER_RUN);
        assertEquals(t, firstNew.hlcWall());
        assertEquals(PER_RUN, firstNew.hlcLogical(), "continues right after the last journaled (t, 99)");
        assertEquals(afterFirst.get(PER_RUN - 1).id() + 1, firstNew.id(), "ids continue after the last journaled");
        assertStrictlyIncreasing(journal);
    }

    @Test
    void shouldStartFromScratchOnAnEmptyJournalFolder()
    {
        final long[] ids = run(EngineTestSupport.context(dir.resolve("fresh/nested")).build(), 0);
        assertEquals(1, ids[0], "the first id of a new journal");
        assertEquals(PER_RUN, ids[PER_RUN - 1]);
    }

    private static long[] run(final EngineConfiguration context, final int publisherNumber)
    {
        final long[] ids = new long[PER_RUN];
        try (Engine engine = EngineTestSupport.startRunning(context))
        {
            final Publisher publisher = engine.newPublisher(publisherNumber);
            final long[] data = {publisherNumber, 0};
            for (int i = 0; i < PER_RUN; i++)
            {
                data[1] = i;
                ids[i] = publisher.publish(TYPE, SEQUENCE_WRITER, data);
            }
        }
        return ids;
    }

    private static EngineStats runAndGetStats(final EngineConfiguration context)
    {
        try (Engine engine = EngineTestSupport.startRunning(context))
        {
            final Publisher publisher = engine.newPublisher(1);
            final long[] data = {1, 0};
            for (int i = 0; i < PER_RUN; i++)
            {
                data[1] = i;
                publisher.publish(TYPE, SEQUENCE_WRITER, data);
            }
            engine.close();
            return engine.stats();
        }
    }

    private static void assertStrictlyIncreasing(final List<MessageRecord> journal)
    {
        for (int i = 1; i < journal.size(); i++)
        {
            final MessageRecord previous = journal.get(i - 1);
            final MessageRecord record = journal.get(i);
            assertTrue(record.id() > previous.id(), "journal ids increase at record " + i);
            assertTrue(HlcTimestamps.compare(record.hlcWall(), record.hlcLogical(), previous.hlcWall(),
                previous.hlcLogical()) > 0, "journal HLC increases at record " + i + ": " + previous + " then " + record);
        }
    }
}
