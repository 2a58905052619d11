package io.chronofabric.engine.internal.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;

import com.carrotsearch.hppc.LongObjectHashMap;
import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.SettledState;
import io.chronofabric.journal.SettlementSink;
import io.chronofabric.engine.internal.event.SingleWriterCounter;

/**
 * Which journaled messages are settled (delivered or dead-lettered for every subscriber they were routed to), kept
 * by the delivery thread and persisted once per delivery batch through the {@link SettlementSink}: the settled
 * watermark W (every journaled id at or below it is settled), and what the batch settled above W.
 *
 * <p>Messages settle out of id order (priorities, holds, retries), so ids above the lowest unsettled one are marked
 * in a bit window. When the window must slide past an id still unsettled (a message held or retried for long), that
 * id moves to a small sorted set, so one stuck message never bounds how far the others get. Ids that were never
 * journaled (a publish that failed after claiming its slot) are learnt from the sequencer, which sees every journaled
 * id in order and hands each message the id journaled before it; except the ids a failing stage stranded, which the
 * sequencer may not have seen though they are journaled.
 *
 * <p>A start reads the log backwards only down to documents whose high is more than {@code dependencies.window} below
 * the watermark. The per-subscriber state of a message unsettled for long (delivered to one subscriber, retried for
 * another) may have been recorded in a document that far below, when more than a window of older messages were
 * unsettled too; so the tracker keeps that state and records it again before its document falls out of that read.
 * Nothing of it is kept, and nothing is paid per message, while no retry is under way.
 *
 * <p>A document written because the one being collected is full, in the middle of recording something, carries the
 * watermark last written, not the one in memory: what raised that may not be recorded yet (a dead message's "dead",
 * state still to be recorded again), and a crash could come before the next document.
 */
final class SettlementTracker
{
    private static final int WINDOW = 1 << 20;
    private static final long MASK = WINDOW - 1;

    private final SettlementSink log;
    private final SettledState recovered;
    private final long[] bits = new long[WINDOW >> 6];
    private final TreeSet<Long> stragglers = new TreeSet<>();
    private final SingleWriterCounter published;
    private final LongPredicate stranded;
    private final Runnable beforeEachWrite;
    private final long window;
    /** The per-subscriber state of unsettled messages, by message id: only while some retry is under way. */
    private final LongObjectHashMap<List<SubscriberState>> subscriberStates = new LongObjectHashMap<>();
    /** At or below the lowest {@link SubscriberState#recordedAt} of those states: a write looks at them only then. */
    private long oldestRecordedAt = Long.MAX_VALUE;
    private long base;
    private long high;
    private boolean dirty;

    /**
     * @param log       the settlement log, owned by the delivery thread from now on.
     * @param recovered what the log said when the engine started.
     * @param floor     ids at or below it count as settled: the recovered watermark, or where a replay starts.
     * @param watermark where the persisted watermark is published for other threads.
     * @param stranded  which ids a failing stage left journaled but unseen by the stages after it.
     * @param beforeEachWrite makes the dead letters journaled so far durable: run before each document, which may
     *                  record them (a retry's document is written mid-batch), so that under the sync policy no
     *                  document survives a power loss that the dead letters it records do not.
     * @param window    {@code dependencies.window}: how far below the watermark a start reads the log.
     */
    SettlementTracker(final SettlementSink log, final SettledState recovered, final long floor,
        final SingleWriterCounter watermark, final LongPredicate stranded, final Runnable beforeEachWrite,
        final int window)
    {
        this.log = log;
        this.beforeEachWrite = beforeEachWrite;
        this.stranded = stranded;
        this.published = watermark;
        this.recovered = recovered;
        this.base = floor + 1;
        this.high = Math.max(floor, recovered.high());
        this.window = window;
        published.set(floor);
    }

    /** @return the state recovered at start: per-subscriber settlements and retry attempts of unsettled messages. */
    SettledState recovered()
    {
        return recovered;
    }

    /**
     * A message is settled for every subscriber.
     *
     * @param id         its id.
     * @param previousId the id the sequencer saw just before it: ids between the two were never journaled, unless
     *                   stranded.
     * @param dead       true when it was delivered to no subscriber.
     */
    void settled(final long id, final long previousId, final boolean dead)
    {
        for (long gap = Math.max(previousId + 1, base); gap < id; gap++)
        {
            if (!stranded.test(gap))
            {
                // recorded, since the watermark will pass it as if settled: a restart must still tell it apart; and
                // before it is marked, so that a document written full here holds every id up to its high
                if (!log.refused(gap))
                {
                    writeFull();
                    log.refused(gap);
                }
                mark(gap);
            }
        }
        mark(id);
        // dead before settled: should a full document part the two, a crash between them leaves the message dead and
        // unsettled, which a restart settles by its dead letter; settled but not dead would let its dependents through
        if (dead && !log.dead(id))
        {
            writeFull();
            log.dead(id);
        }
        if (!log.settled(id))
        {
            writeFull();
            log.settled(id);
        }
        if (!subscriberStates.isEmpty())
        {
            subscriberStates.remove(id);
        }
        dirty = true;
    }

    /**
     * A message is settled for one subscriber and still pending for others (a retry is under way).
     *
     * @param id         its id.
     * @param subscriber the subscriber.
     * @param delivered  true when delivered to it, false when dead-lettered for it.
     */
    void partial(final long id, final int subscriber, final boolean delivered)
    {
        if (!log.partial(id, subscriber, delivered))
        {
            writeFull();
            log.partial(id, subscriber, delivered);
        }
        stateOf(id, subscriber).settled(delivered, high);
        oldestRecordedAt = Math.min(oldestRecordedAt, high);
        dirty = true;
    }

    /**
     * A subscriber failed on a message and will retry it. Written at once, before the next attempt, so that after a
     * crash the retry resumes with exactly the attempts made.
     *
     * @param id         the message.
     * @param subscriber the subscriber.
     * @param attempts   attempts made so far.
     */
    void retrying(final long id, final int subscriber, final int attempts)
    {
        if (!log.retry(id, subscriber, attempts))
        {
            writeFull();
            log.retry(id, subscriber, attempts);
        }
        stateOf(id, subscriber).retrying(attempts, high);
        oldestRecordedAt = Math.min(oldestRecordedAt, high);
        write();
    }

    /**
     * Prepares the settlement log's first write on the calling thread, before anything is delivered, and records the
     * dead letters recovery counted as settlements though no document did (a crash between a dead letter and the
     * document that would have recorded it): a document now, before any dead letter this engine journals is recorded,
     * keeps the log recording dead letters in the order they were journaled across restarts.
     */
    void prepare()
    {
        // first: it writes nothing, and whatever fails after it must not leave the recovered state untracked
        final long recordedAtLeast = recovered.watermark() - window + 1; // a start read it, so at least this high
        recovered.forEachSubscriberState(new SettledState.SubscriberStateSink()
        {
            @Override
            public void settled(final long id, final int subscriber, final boolean delivered)
            {
                stateOf(id, subscriber).settled(delivered, recordedAtLeast);
                oldestRecordedAt = Math.min(oldestRecordedAt, recordedAtLeast);
            }

            @Override
            public void retrying(final long id, final int subscriber, final int attempts)
            {
                stateOf(id, subscriber).retrying(attempts, recordedAtLeast);
                oldestRecordedAt = Math.min(oldestRecordedAt, recordedAtLeast);
            }
        });
        log.prepare();
        recovered.forEachAdopted((id, subscriber) ->
        {
            dirty = true;
            if (DeadLetterJournal.WHOLE_MESSAGE == subscriber)
            {
                record(() -> log.dead(id)); // dead before settled, as in settled()
                record(() -> log.settled(id));
            }
            else
            {
                record(() -> log.partial(id, subscriber, false));
            }
        });
        endOfBatch();
    }

    /** Adds to the document being collected, writing it first when full. */
    private void record(final BooleanSupplier add)
    {
        if (!add.getAsBoolean())
        {
            writeFull();
            add.getAsBoolean();
        }
    }

    /** End of a delivery batch: persist what changed, if anything. */
    void endOfBatch()
    {
        if (dirty)
        {
            write();
        }
    }

    /** Persists what is pending and closes the log; on the delivery thread. */
    void close()
    {
        endOfBatch();
        log.close();
    }

    private void write()
    {
        final long watermark = stragglers.isEmpty() ? base - 1 : stragglers.first() - 1;
        if (oldestRecordedAt <= watermark - window)
        {
            recordAgainBeforeOutOfReach(watermark);
        }
        writeDocument(watermark);
    }

    /** Writes the full document being collected, with the watermark last written (see the class comment). */
    private void writeFull()
    {
        writeDocument(published.get());
    }

    private void writeDocument(final long watermark)
    {
        beforeEachWrite.run();
        log.write(watermark, high);
        published.set(watermark);
        dirty = false;
    }

    /**
     * Records again, in this document, the per-subscriber state last recorded in one whose high is no longer above
     * {@code watermark - window}: a start after this document would stop reading before that one.
     */
    private void recordAgainBeforeOutOfReach(final long watermark)
    {
        final long reach = watermark - window;
        long oldest = Long.MAX_VALUE;
        for (final var entry : subscriberStates)
        {
            for (final SubscriberState state : entry.value)
            {
                if (state.recordedAt <= reach)
                {
                    if (!state.addTo(log, entry.key))
                    {
                        writeFull();
                        state.addTo(log, entry.key);
                    }
                    state.recordedAt = high;
                }
                oldest = Math.min(oldest, state.recordedAt);
            }
        }
        oldestRecordedAt = oldest;
    }

    private SubscriberState stateOf(final long id, final int subscriber)
    {
        List<SubscriberState> states = subscriberStates.get(id);
        if (null == states)
        {
            states = new ArrayList<>(2);
            subscriberStates.put(id, states);
        }
        for (final SubscriberState state : states)
        {
            if (state.subscriber == subscriber)
            {
                return state;
            }
        }
        final SubscriberState state = new SubscriberState(subscriber);
        states.add(state);
        return state;
    }

    private void mark(final long id)
    {
        if (id < base)
        {
            stragglers.remove(id);
            return;
        }
        if (id - base >= WINDOW)
        {
            slideTo(id - WINDOW + 1);
        }
        bits[(int)((id & MASK) >>> 6)] |= 1L << id;
        high = Math.max(high, id);
        while (isMarked(base))
        {
            bits[(int)((base & MASK) >>> 6)] &= ~(1L << base);
            base++;
        }
    }

    /** Moves the window's start up to {@code newBase}; unsettled ids it passes become stragglers. */
    private void slideTo(final long newBase)
    {
        for (; base < newBase; base++)
        {
            if (isMarked(base))
            {
                bits[(int)((base & MASK) >>> 6)] &= ~(1L << base);
            }
            else
            {
                stragglers.add(base);
            }
        }
    }

    private boolean isMarked(final long id)
    {
        return 0 != (bits[(int)((id & MASK) >>> 6)] & (1L << id));
    }

    /** One subscriber's state of an unsettled message, as last recorded, and the high of the document recording it. */
    private static final class SubscriberState
    {
        private final int subscriber;
        private boolean settled;
        private boolean delivered;
        private int attempts;
        private long recordedAt;

        SubscriberState(final int subscriber)
        {
            this.subscriber = subscriber;
        }

        void settled(final boolean delivered, final long recordedAt)
        {
            this.settled = true;
            this.delivered = delivered;
            this.recordedAt = recordedAt;
        }

        void retrying(final int attempts, final long recordedAt)
        {
            if (!settled)
            {
                this.attempts = attempts;
                this.recordedAt = recordedAt;
            }
        }

        boolean addTo(final SettlementSink log, final long id)
        {
            return settled ? log.partial(id, subscriber, delivered) : log.retry(id, subscriber, attempts);
        }
    }
}
