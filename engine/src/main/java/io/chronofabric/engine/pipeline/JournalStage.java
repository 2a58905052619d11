package io.chronofabric.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.chronofabric.engine.clock.HybridClock;
import io.chronofabric.journal.Durability;
import io.chronofabric.journal.JournalWriter;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Stage 1, journal: stamps each message with the HLC and appends it to the Chronicle Queue journal before anything
 * downstream sees it. Stamping here, at the single writer that fixes the total order, makes HLC order, id order and
 * journal order the same, with no CAS on the clock. Messages read back from a journal (recovery, replay) pass through
 * untouched. After each batch it makes the batch as durable as the policy promises, advances the acknowledged
 * watermark, and touches the next page of the file so the following appends do not fault. A message whose append
 * fails is not passed on, and the engine stops accepting publishes: it can no longer keep its system of record.
 */
public final class JournalStage implements EventHandler<MessageEvent>, BatchEndListener
{
    /** Under sustained load a batch can be long; with the sync policy, commit at least this often. */
    private static final int MAX_UNSYNCED = 1024;
    private static final Logger LOG = LogManager.getLogger(JournalStage.class);

    private final JournalWriter writer;
    private final HybridClock clock;
    private final PipelineCounters counters;
    private final boolean syncBeforeAck;
    private long lastAppendedId;
    private int batchParity;
    private int unsynced;

    /**
     * @param writer   the journal writer, owned by this stage from now on.
     * @param clock    the engine's HLC, ticked only here.
     * @param counters the engine's counters, including the acknowledged watermark.
     */
    public JournalStage(final JournalWriter writer, final HybridClock clock, final PipelineCounters counters)
    {
        this.writer = writer;
        this.clock = clock;
        this.counters = counters;
        this.syncBeforeAck = Durability.SYNC == writer.durability();
    }

    @Override
    public void onEvent(final MessageEvent event, final long sequence, final boolean endOfBatch)
    {
        if (!event.isFromJournal())
        {
            append(event, endOfBatch);
        }
        event.journaledNanos(System.nanoTime());
        if (endOfBatch)
        {
            batchParity ^= RecordFlags.BATCH_PARITY;
        }
        if (endOfBatch || (syncBeforeAck && MAX_UNSYNCED <= unsynced))
        {
            endBatch();
        }
    }

    private void append(final MessageEvent event, final boolean endOfBatch)
    {
        final MessageRecord record = event.record();
        record.flags(record.flags() | batchParity | (endOfBatch ? RecordFlags.BATCH_END : 0));
        if (0 == (record.flags() & RecordFlags.REMOTE) || !clock.receive(record.hlcWall(), record.hlcLogical()))
        {
            clock.now();
        }
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
        lastAppendedId = record.id();
        if (syncBeforeAck)
        {
            unsynced++;
        }
        else
        {
            counters.acknowledge(lastAppendedId);
        }
    }

    private void endBatch()
    {
        try
        {
            writer.sync();
        }
        catch (final RuntimeException ex)
        {
            counters.failJournal(ex);
            LOG.error("journal sync failed; acknowledged messages stop at id {} and the engine refuses new publishes",
                counters.acknowledgedId(), ex);
            return;
        }
        if (syncBeforeAck)
        {
            counters.acknowledge(lastAppendedId);
            unsynced = 0;
        }
        writer.touchAhead();
        clock.sampleForJumps(System.nanoTime());
    }

    /** A rejected publish ended the batch: the batch still ends here (sync, acknowledge, next parity). */
    @Override
    public void onBatchEndWithoutMessage()
    {
        batchParity ^= RecordFlags.BATCH_PARITY;
        endBatch();
    }

    @Override
    public void onShutdown()
    {
        writer.sync();
        writer.close();
    }
}
