package io.chronofabric.engine.internal.pipeline;

import com.lmax.disruptor.EventHandler;
import io.chronofabric.engine.internal.clock.HybridClock;
import io.chronofabric.journal.JournalWriteException;
import io.chronofabric.journal.Durability;
import io.chronofabric.journal.JournalWriter;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import io.chronofabric.engine.internal.event.BatchEndListener;
import io.chronofabric.engine.internal.event.BatchHousekeeping;
import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.event.PipelineCounters;

/**
 * Stage 1, journal: stamps each message with the HLC and appends it to the Chronicle Queue journal before anything
 * downstream sees it. Stamping here, at the single writer that fixes the total order, makes HLC order, id order and
 * journal order the same, with no CAS on the clock. Messages read back from a journal (recovery, replay) pass through
 * untouched. A batch's records share journal documents ({@link JournalWriter#add}), committed when full, at the
 * batch's end, and before a sequencer on this thread hands one of their messages on ({@link CommitBeforeRelease}):
 * nothing goes downstream before its document is committed. After each document it advances the acknowledged
 * watermark; after each batch it makes the batch as durable as the policy promises, and once the thread's other stages
 * are done with the batch it touches the next page of the file so the following appends do not fault. A message whose
 * append fails is not passed on, the records of its uncommitted document are never acknowledged (delivery drops
 * them), and the engine stops accepting publishes: it can no longer keep its system of record. Once any other stage has failed, or
 * the application's wall clock did while this stage stamped a message, it journals nothing more: what it appended
 * before is committed and acknowledged, the rest is dropped unacknowledged.
 */
public final class JournalStage implements EventHandler<MessageEvent>, BatchEndListener, BatchHousekeeping
{
    /** Under sustained load a batch can be long; with the sync policy, commit at least this often. */
    private static final int MAX_UNSYNCED = 1024;
    private static final Logger LOG = LogManager.getLogger(JournalStage.class);

    private final JournalWriter writer;
    private final HybridClock clock;
    private final PipelineCounters counters;
    private final boolean syncBeforeAck;
    private final boolean timesAppends;
    private final boolean sharesReadings;
    /**
     * The clock reading taken after the batch's last append, which the next message's stamp uses (every message of a
     * batch was published before the batch began, so the reading falls between its publish and its append), as long
     * as nothing but the sequencer's admission ran since: dropped (0) when the sequencer on this thread releases (the
     * handlers run then) and when a batch is synced part-way.
     */
    private long readingInBatch;
    private long lastCommittedId;
    private long lastAppendedId;
    private boolean failed;
    private boolean stopped;
    private int batchParity;
    private int unsynced;

    /**
     * @param writer   the journal writer, owned by this stage from now on.
     * @param clock    the engine's HLC, ticked only here.
     * @param counters the engine's counters, including the acknowledged watermark.
     * @param timesAppends whether a message's journal time must include its append (per-stage latency, the latency
     *                     trace or flow tracing read it): one clock read more per message, which the next message's
     *                     stamp in the batch then uses (on the host's clock, which the stamp carries forward
     *                     on it; another wall clock is read at the stamp, and so is the monotonic clock with it);
     *                     without it the stamp's reading is the journal time.
     */
    public JournalStage(final JournalWriter writer, final HybridClock clock, final PipelineCounters counters,
        final boolean timesAppends)
    {
        this.timesAppends = timesAppends;
        this.sharesReadings = timesAppends && clock.carriesHostClock();
        this.writer = writer;
        this.clock = clock;
        this.counters = counters;
        this.syncBeforeAck = Durability.SYNC == writer.durability();
    }

    /**
     * Runs on the pipeline thread before it takes any message, and before the engine's start returns: prepares the
     * journal's first append (appender, roll file, first page), so the first message does not pay for it. A failure
     * here is only logged: the first append meets it again and fails the journal as usual.
     */
    @Override
    public void onStart()
    {
        try
        {
            writer.prepare();
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("could not prepare the journal's first append at start: {}", ex.toString());
        }
    }

    @Override
    public void onEvent(final MessageEvent event, final long sequence, final boolean endOfBatch)
    {
        // one clock read per message serves the HLC stamp, the deadline and the journal time (see timesAppends)
        final long stampedAt = 0 != readingInBatch ? readingInBatch : System.nanoTime();
        if (!event.isFromJournal())
        {
            append(event, endOfBatch, stampedAt);
        }
        final long journaledAt = timesAppends ? System.nanoTime() : stampedAt;
        event.journaledNanos(journaledAt);
        readingInBatch = sharesReadings && !endOfBatch ? journaledAt : 0;
        if (endOfBatch)
        {
            batchParity ^= RecordFlags.BATCH_PARITY;
        }
        if (endOfBatch || (syncBeforeAck && MAX_UNSYNCED <= unsynced))
        {
            endBatch();
            readingInBatch = 0;
        }
    }

    /**
     * A sequencer sharing this stage's thread hands a message downstream ({@link CommitBeforeRelease}): commits the
     * open document if it holds the message, and drops the clock reading kept for the next stamp, since the message's
     * handlers run before that stamp.
     *
     * @param message the message released.
     */
    void beforeRelease(final MessageEvent message)
    {
        readingInBatch = 0;
        if (!message.isFromJournal() && message.id() > lastCommittedId && !failed)
        {
            commitDocument();
        }
    }

    private void commitDocument()
    {
        try
        {
            writer.commit();
        }
        catch (final Throwable ex)
        {
            // the commit completes the batch's append (the record table, the document's header): an append failure
            counters.journalFailures().increment();
            acknowledgeCommittedBeforeFailing(ex);
            fail(ex, "journal commit failed; acknowledged messages stop at id " + counters.acknowledgedId() +
                " and the engine refuses new publishes");
            return;
        }
        committed();
    }

    /** The open document is committed: what it held is acknowledged, unless the policy waits for the sync. */
    private void committed()
    {
        lastCommittedId = lastAppendedId;
        if (!syncBeforeAck)
        {
            acknowledgeAppended();
        }
    }

    private void acknowledgeAppended()
    {
        if (lastAppendedId > counters.acknowledgedId())
        {
            counters.acknowledge(lastAppendedId);
        }
    }

    private void append(final MessageEvent event, final boolean endOfBatch, final long stampedAt)
    {
        if (failed || stoppedByAFailure())
        {
            // nothing is journaled after a failure: the message was never acknowledged and goes no further
            drop(event);
            return;
        }
        final MessageRecord record = event.record();
        record.flags(record.flags() | batchParity | (endOfBatch ? RecordFlags.BATCH_END : 0));
        try
        {
            stamp(event, record, stampedAt);
        }
        catch (final Throwable ex)
        {
            drop(event);
            stop(ex, "the wall clock failed while stamping message " + record.id() + "; it and every later message " +
                "are not journaled");
            return;
        }
        try
        {
            writer.add(record);
        }
        catch (final Throwable ex)
        {
            // a full disk shows as an InternalError from the mapped write: any Throwable means the record is not safe
            drop(event);
            counters.journalFailures().increment();
            acknowledgeCommittedBeforeFailing(ex);
            fail(ex, "journal append failed for message " + record.id() + "; it, every later message and the " +
                "messages of its batch not yet committed (ids above " + counters.acknowledgedId() + ") are not " +
                "journaled, and the engine refuses new publishes");
            return;
        }
        lastAppendedId = record.id();
        if (syncBeforeAck)
        {
            unsynced++;
        }
        if (0 == writer.recordsInDocument())
        {
            committed(); // the document was full
        }
    }

    /** Ticks the HLC for the message (the application's wall clock is read here) and stamps its record. */
    private void stamp(final MessageEvent event, final MessageRecord record, final long stampedAt)
    {
        if (0 == (record.flags() & RecordFlags.REMOTE) ||
            !clock.receive(record.hlcWall(), record.hlcLogical(), stampedAt))
        {
            clock.now(stampedAt);
        }
        record.hlc(clock.wall(), clock.logical());
        if (0 != event.deadlineBudgetNanos())
        {
            // fixed at publish: what is left of the budget after its wait in the ring, from this stamp
            record.deadlineEpochNanos(clock.wall() + (event.deadlineNanoTime() - stampedAt));
        }
    }

    private void drop(final MessageEvent event)
    {
        event.valid(false);
        counters.dropped().increment();
    }

    /** @return true once another stage's failure has stopped this one; the first time, commits what it appended. */
    private boolean stoppedByAFailure()
    {
        if (!stopped && null != counters.failure())
        {
            stopJournaling();
        }
        return stopped;
    }

    /** Journals nothing more; what was appended is committed and acknowledged, once. */
    private void stopJournaling()
    {
        if (!stopped)
        {
            stopped = true;
            endBatch();
        }
    }

    /**
     * This stage failed in a way that leaves the journal sound (the wall clock threw): what was appended is committed
     * and acknowledged, then the engine fails, and this stage journals nothing more.
     */
    private void stop(final Throwable cause, final String what)
    {
        stopJournaling();
        counters.failPipeline(cause);
        LOG.error("{}; acknowledged messages stop at id {} and the engine refuses new publishes", what,
            counters.acknowledgedId(), cause);
    }

    private void endBatch()
    {
        if (failed)
        {
            return;
        }
        commitDocument();
        if (failed)
        {
            return;
        }
        try
        {
            writer.sync();
            acknowledgeAppended();
            unsynced = 0;
        }
        catch (final Throwable ex)
        {
            fail(ex, "journal sync failed; acknowledged messages stop at id " + counters.acknowledgedId() +
                " and the engine refuses new publishes");
        }
    }

    /**
     * After the thread's stages have all seen the batch end (in a fused layout, once its messages are delivered):
     * touches the journal's next page, so that the next batch's appends do not fault: nothing a message waits for.
     */
    @Override
    public void afterBatch()
    {
        if (failed || stopped)
        {
            return;
        }
        try
        {
            writer.touchAhead();
        }
        catch (final Throwable ex)
        {
            fail(ex, "journal touch-ahead of the next page failed; acknowledged messages stop at id " +
                counters.acknowledgedId() + " and the engine refuses new publishes");
        }
    }

    /** An idle tick: the HLC reads the host's wall clock if due, so that a step of it is seen while nothing flows. */
    @Override
    public void onTimeout(final long sequence)
    {
        clock.idle(System.nanoTime());
    }

    /**
     * A write failed (a full disk) and the open document was discarded; the documents committed before it are in the
     * journal. With the sync policy they may not be acknowledged yet: they are synced now (their pages are already
     * written, so this works on a full disk) and acknowledged, so that the journal holds exactly what was acknowledged
     * and the next engine delivers nothing this one called not journaled. If this sync fails too, its failure is added
     * to the cause and they stay unacknowledged.
     */
    private void acknowledgeCommittedBeforeFailing(final Throwable cause)
    {
        if (!syncBeforeAck || lastCommittedId <= counters.acknowledgedId())
        {
            return;
        }
        try
        {
            writer.sync();
            counters.acknowledge(lastCommittedId);
        }
        catch (final Throwable more)
        {
            cause.addSuppressed(more);
        }
    }

    private void fail(final Throwable cause, final String what)
    {
        failed = true;
        counters.failJournal(cause);
        // a full disk: the causes say it all; a defect keeps its stack trace
        final boolean fileSystemFault = JournalWriteException.isFileSystemFault(cause);
        LOG.error("{}{}", what, fileSystemFault ? ": " + JournalWriteException.causes(cause) : "",
            fileSystemFault ? null : cause);
    }

    /** A rejected publish ended the batch: the batch still ends here (sync, acknowledge, next parity). */
    @Override
    public void onBatchEndWithoutMessage()
    {
        readingInBatch = 0;
        batchParity ^= RecordFlags.BATCH_PARITY;
        endBatch();
    }

    @Override
    public void onShutdown()
    {
        try
        {
            if (!failed)
            {
                // commits a document a halted close left open: durable now, so acknowledged
                writer.sync();
                acknowledgeAppended();
            }
        }
        catch (final Throwable ex)
        {
            fail(ex, "journal sync at close failed; acknowledged messages stop at id " + counters.acknowledgedId());
        }
        finally
        {
            writer.close();
        }
    }
}
