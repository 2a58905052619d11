package io.chronofabric.engine.internal.sequencing;

import java.util.ArrayList;
import java.util.List;

import io.chronofabric.engine.api.WallClock;
import io.chronofabric.engine.internal.clock.HybridClock;
import io.chronofabric.engine.internal.clock.ManualMonotonicClock;
import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.event.Recovery;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;

/**
 * Feeds a {@link TemporalSequencer} on the test thread the way the publishers and the journal stage feed it in an
 * engine, without a ring: {@link #publish} fills a message as a publisher fills its slot (id, type, priority,
 * dependencies, deadline budget, publish time on the monotonic clock), and {@link #endBatch} hands what was published
 * since the last batch to the sequencer as one journal batch, stamped as the journal stage stamps it (HLC time from a
 * {@link HybridClock} on the test's wall clock, the batch's parity bit, {@link RecordFlags#BATCH_END} on its last
 * record, the deadline in epoch nanoseconds, the journaled time). {@link #gap} consumes an id no message will carry, as
 * a publish whose payload writer failed does; {@link #replay} feeds a journaled record unchanged, as
 * {@code ChronoFabric.replay} does.
 */
public final class JournalFeed
{
    private final TemporalSequencer sequencer;
    private final HybridClock hlc;
    private final ManualMonotonicClock clock;
    private final int maxDependencies;
    private final int payloadCapacity;
    private final List<MessageEvent> batch = new ArrayList<>();
    private long lastId;
    private long sequence;
    private int parity;
    private boolean replaying;

    /**
     * @param sequencer       the sequencer fed.
     * @param wall            the wall clock the journal stage's HLC reads.
     * @param clock           the monotonic clock publish and journal times are read from.
     * @param maxDependencies the sequencer's {@code dependencies.max}.
     * @param payloadCapacity the sequencer's {@code payload.capacity}.
     */
    public JournalFeed(final TemporalSequencer sequencer, final WallClock wall, final ManualMonotonicClock clock,
        final int maxDependencies, final int payloadCapacity)
    {
        this.sequencer = sequencer;
        this.hlc = new HybridClock(wall, 500_000_000L, Integer.MAX_VALUE);
        this.clock = clock;
        this.maxDependencies = maxDependencies;
        this.payloadCapacity = payloadCapacity;
    }

    /**
     * @param type the message type.
     * @return a message to fill in, then {@link #publish}.
     */
    public Msg message(final int type)
    {
        return new Msg(type);
    }

    /** What a publisher sets on a message before publishing it. */
    public final class Msg
    {
        private final int type;
        private int priority;
        private long deadlineBudgetNanos;
        private long[] dependencies = new long[0];
        private long remoteWall;
        private int remoteLogical;
        private boolean holdReserved;
        private int shippedFrom;
        private long originId;

        private Msg(final int type)
        {
            this.type = type;
        }

        /** @return this, with the priority, 0..255. */
        public Msg priority(final int value)
        {
            this.priority = value;
            return this;
        }

        /** @return this, due this long after it is published. */
        public Msg deadlineIn(final long nanos)
        {
            this.deadlineBudgetNanos = nanos;
            return this;
        }

        /** @return this, depending on these ids. */
        public Msg dependsOn(final long... ids)
        {
            this.dependencies = ids.clone();
            return this;
        }

        /** @return this, stamped by another node at this HLC time. */
        public Msg remoteTimestamp(final long wall, final int logical)
        {
            this.remoteWall = wall;
            this.remoteLogical = logical;
            return this;
        }

        /**
         * @return this, as a message node {@code node} published with id {@code originId} and shipped here
         *     ({@code RingPublisher.remoteOrigin}), stamped with the local wall clock's time as its HLC.
         */
        public Msg shipped(final int node, final long originId)
        {
            this.shippedFrom = node;
            this.originId = originId;
            return this;
        }

        /** @return this, with room reserved for it in the hold buffer by its publisher (reject-new policy). */
        public Msg holdReserved()
        {
            this.holdReserved = true;
            return this;
        }

        /** @return the id it got: see {@link JournalFeed#publish}. */
        public long publish()
        {
            return JournalFeed.this.publish(this);
        }
    }

    /**
     * Publishes a message: it takes the next id and reaches the sequencer with the next {@link #endBatch}.
     *
     * @param msg the message.
     * @return its id.
     */
    public long publish(final Msg msg)
    {
        final MessageEvent event = new MessageEvent(maxDependencies, payloadCapacity);
        final MessageRecord record = event.record();
        record.clear();
        record.id(++lastId).type(msg.type).source(1).priority(msg.priority);
        if (0 != msg.shippedFrom)
        {
            record.originNode(msg.shippedFrom).originId(msg.originId)
                .hlc(0 != msg.remoteWall ? msg.remoteWall : hlc.wall(), msg.remoteLogical).flags(RecordFlags.REMOTE);
        }
        else if (0 != msg.remoteWall)
        {
            record.originNode(2).originId(lastId).hlc(msg.remoteWall, msg.remoteLogical).flags(RecordFlags.REMOTE);
        }
        else
        {
            record.originId(lastId);
        }
        record.dependencyCount(msg.dependencies.length);
        for (int i = 0; i < msg.dependencies.length; i++)
        {
            record.dependency(i, msg.dependencies[i]);
        }
        event.payloadForWriting().putLong(lastId);
        record.payloadLength(Long.BYTES);
        event.fromJournal(false);
        event.recovery(Recovery.NONE);
        event.holdReserved(msg.holdReserved);
        event.deadLetterReason(null);
        event.deadlineBudgetNanos(msg.deadlineBudgetNanos);
        event.publishedNanos(clock.nanoTime());
        event.deadlineNanoTime(0 == msg.deadlineBudgetNanos ? 0 : event.publishedNanos() + msg.deadlineBudgetNanos);
        event.valid(true);
        batch.add(event);
        return lastId;
    }

    /**
     * @param type         the message type.
     * @param dependencies the ids it depends on.
     * @return its id; it reaches the sequencer with the next {@link #endBatch}.
     */
    public long publish(final int type, final long... dependencies)
    {
        return publish(message(type).dependsOn(dependencies));
    }

    /**
     * @param type         the message type.
     * @param dependencies the ids it depends on.
     * @return its id, after the sequencer saw it as a journal batch of its own.
     */
    public long alone(final int type, final long... dependencies)
    {
        return alone(message(type).dependsOn(dependencies));
    }

    /**
     * @param msg the message.
     * @return its id, after the sequencer saw it as a journal batch of its own.
     */
    public long alone(final Msg msg)
    {
        final long id = publish(msg);
        endBatch();
        return id;
    }

    /** @return an id consumed by a publish that failed: no message will ever carry it. */
    public long gap()
    {
        return ++lastId;
    }

    /** @return the last id taken. */
    public long lastId()
    {
        return lastId;
    }

    /**
     * The journal stage's batch: what was published since the last one reaches the sequencer, the last record marked
     * as the batch's end. Nothing when nothing was published.
     */
    public void endBatch()
    {
        for (int i = 0; i < batch.size(); i++)
        {
            journal(batch.get(i), i == batch.size() - 1);
        }
        batch.clear();
    }

    /**
     * The journal stage on one message (with a batch end or not), as it appends and stamps it; then the sequencer.
     *
     * @param msg      the message.
     * @param batchEnd whether it ends its journal batch.
     * @return its id.
     */
    public long journalOne(final Msg msg, final boolean batchEnd)
    {
        if (!batch.isEmpty())
        {
            throw new IllegalStateException("end the batch published so far first");
        }
        final long id = publish(msg);
        final MessageEvent event = batch.remove(batch.size() - 1);
        journal(event, batchEnd);
        return id;
    }

    private void journal(final MessageEvent event, final boolean batchEnd)
    {
        final MessageRecord record = event.record();
        record.flags(record.flags() | parity | (batchEnd ? RecordFlags.BATCH_END : 0));
        if (0 == (record.flags() & RecordFlags.REMOTE) || !hlc.receive(record.hlcWall(), record.hlcLogical()))
        {
            hlc.now();
        }
        record.hlc(hlc.wall(), hlc.logical());
        if (0 != event.deadlineBudgetNanos())
        {
            record.deadlineEpochNanos(hlc.wall() + event.deadlineBudgetNanos());
        }
        event.journaledNanos(clock.nanoTime());
        sequencer.onEvent(event, sequence++, batchEnd);
        if (batchEnd)
        {
            parity ^= RecordFlags.BATCH_PARITY;
        }
    }

    /**
     * A batch that ended on a slot that carried no message (a publish refused after claiming it): its last record
     * has no {@link RecordFlags#BATCH_END}, and the next batch has the other parity.
     */
    public void endBatchOnARefusedPublish()
    {
        for (final MessageEvent event : batch)
        {
            journal(event, false);
        }
        batch.clear();
        gap();
        parity ^= RecordFlags.BATCH_PARITY;
    }

    /**
     * Feeds a journaled record unchanged (id, HLC, flags, deadline), as a replay does; the first one marks the
     * sequencer as replaying.
     *
     * @param journaled the record.
     */
    public void replay(final MessageRecord journaled)
    {
        replay(journaled, Recovery.NONE);
    }

    /**
     * Feeds a journaled record unchanged, as recovery does at start.
     *
     * @param journaled the record.
     * @param recovery  what the settlement log said of it.
     */
    public void recover(final MessageRecord journaled, final Recovery recovery)
    {
        final MessageEvent event = fromJournal(journaled, recovery);
        sequencer.onEvent(event, sequence++, true);
        lastId = Math.max(lastId, journaled.id());
    }

    private void replay(final MessageRecord journaled, final Recovery recovery)
    {
        if (!replaying)
        {
            replaying = true;
            sequencer.replaying();
        }
        recover(journaled, recovery);
    }

    private MessageEvent fromJournal(final MessageRecord journaled, final Recovery recovery)
    {
        final MessageEvent event = new MessageEvent(maxDependencies, payloadCapacity);
        event.record().copyFrom(journaled);
        event.fromJournal(true);
        event.recovery(recovery);
        event.deadlineBudgetNanos(0);
        event.publishedNanos(clock.nanoTime());
        event.journaledNanos(clock.nanoTime());
        event.valid(true);
        return event;
    }

    /** The sequencer's idle tick: the ring had nothing for it for a while. */
    public void idle()
    {
        sequencer.onTimeout(sequence);
    }

    /**
     * A record as the journal holds it, for {@link #replay} and {@link #recover}.
     *
     * @param id           its id.
     * @param type         its type.
     * @param priority     its priority.
     * @param wall         its HLC wall time.
     * @param logical      its HLC logical time.
     * @param flags        its {@link RecordFlags}.
     * @param dependencies its dependencies.
     * @return the record.
     */
    public MessageRecord record(final long id, final int type, final int priority, final long wall, final int logical,
        final int flags, final long... dependencies)
    {
        final MessageRecord record = new MessageRecord(maxDependencies, payloadCapacity);
        record.clear();
        record.id(id).type(type).source(9).priority(priority).hlc(wall, logical).flags(flags);
        record.dependencyCount(dependencies.length);
        for (int i = 0; i < dependencies.length; i++)
        {
            record.dependency(i, dependencies[i]);
        }
        record.payload()[0] = (byte)id;
        record.payloadLength(1);
        return record;
    }
}
