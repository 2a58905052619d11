package io.chronofabric.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.chronofabric.engine.clock.HybridClock;
import io.chronofabric.journal.JournalWriter;
import io.chronofabric.journal.MessageRecord;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Stage 1, journal: stamps each message with the HLC and appends it to the Chronicle Queue journal before anything
 * downstream sees it. Stamping here, at the single writer that fixes the total order, makes HLC order, id order and
 * journal order the same, with no CAS on the clock. A message whose append fails is not passed on: the engine stops
 * accepting publishes, since it can no longer keep its system of record.
 */
public final class JournalStage implements EventHandler<MessageEvent>
{
    private static final Logger LOG = LogManager.getLogger(JournalStage.class);

    private final JournalWriter writer;
    private final HybridClock clock;
    private final PipelineCounters counters;

    /**
     * @param writer   the journal writer, owned by this stage from now on.
     * @param clock    the engine's HLC, ticked only here.
     * @param counters the engine's counters.
     */
    public JournalStage(final JournalWriter writer, final HybridClock clock, final PipelineCounters counters)
    {
        this.writer = writer;
        this.clock = clock;
        this.counters = counters;
    }

    @Override
    public void onEvent(final MessageEvent event, final long sequence, final boolean endOfBatch)
    {
        final MessageRecord record = event.record();
        clock.now();
        record.hlc(clock.wall(), clock.logical());
        if (0 != event.deadlineBudgetNanos())
        {
            record.deadlineEpochNanos(clock.wall() + event.deadlineBudgetNanos());
        }
        try
        {
            event.journalIndex(writer.append(record));
        }
        catch (final RuntimeException ex)
        {
            event.valid(false);
            counters.journalFailures().increment();
            counters.dropped().increment();
            counters.failJournal(ex);
            LOG.error("journal append failed for message {}; it is dropped and the engine refuses new publishes", record.id(), ex);
            return;
        }
        event.journaledNanos(System.nanoTime());
    }

    @Override
    public void onShutdown()
    {
        writer.close();
    }
}
