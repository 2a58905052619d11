package io.chronofabric.engine.internal.event;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.MessageRecord;

/**
 * One ring slot: the message being journaled, sequenced, routed and delivered, plus the pipeline's working state.
 * Preallocated by the ring and mutated in place; it is also the {@link Message} view handlers receive.
 */
public final class MessageEvent
{
    private static final Subscriber[] NO_ROUTE = new Subscriber[0];

    private final MessageRecord record;
    private final ByteBuffer payloadForWriting;
    private final ByteBuffer payloadForReading;

    private boolean valid;
    private boolean fromJournal;
    private long deadlineBudgetNanos;
    private long deadlineNanoTime;
    private DeadLetterReason deadLetterReason;
    private boolean awaitingRelease;
    private boolean holdReserved;
    private MessageEvent firstWaiter;
    private MessageEvent nextWaiter;
    private long publishedNanos;
    private long journaledNanos;
    private long sequencedNanos;
    private long routedNanos;
    private long previousId;
    private Recovery recovery = Recovery.NONE;
    private Subscriber[] route = NO_ROUTE;
    private boolean pooled;

    /**
     * @param maxDependencies the most dependency ids per message.
     * @param payloadCapacity the largest payload in bytes.
     */
    public MessageEvent(final int maxDependencies, final int payloadCapacity)
    {
        this.record = new MessageRecord(maxDependencies, payloadCapacity);
        this.payloadForWriting = ByteBuffer.wrap(record.payload()).order(ByteOrder.LITTLE_ENDIAN);
        this.payloadForReading = ByteBuffer.wrap(record.payload()).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** @return the journaled part of the message. */
    public MessageRecord record()
    {
        return record;
    }

    /** @return the slot's payload buffer, cleared, for a publisher to write into. */
    public ByteBuffer payloadForWriting()
    {
        return payloadForWriting.clear();
    }

    /** @return false when the publisher's write failed and the slot carries no message. */
    public boolean isValid()
    {
        return valid;
    }

    /** @param valid whether the slot carries a message. */
    public void valid(final boolean valid)
    {
        this.valid = valid;
    }

    /**
     * @return true when the message was read back from a journal (recovery or replay) rather than published: the
     *     journal stage neither appends nor restamps it.
     */
    public boolean isFromJournal()
    {
        return fromJournal;
    }

    /** @param fromJournal whether the message was read back from a journal. */
    public void fromJournal(final boolean fromJournal)
    {
        this.fromJournal = fromJournal;
    }

    /** @return the deadline as a budget from publish, 0 for none. */
    public long deadlineBudgetNanos()
    {
        return deadlineBudgetNanos;
    }

    /** @param nanos the deadline as a budget from publish, 0 for none. */
    public void deadlineBudgetNanos(final long nanos)
    {
        this.deadlineBudgetNanos = nanos;
    }

    /**
     * @return the deadline as a {@link System#nanoTime()} target fixed at publish, so that a wall clock step cannot
     *     move it; 0 for none (and for messages read back from a journal, whose local clock is gone).
     */
    public long deadlineNanoTime()
    {
        return deadlineNanoTime;
    }

    /** @param nanoTime the monotonic deadline target, 0 for none. */
    public void deadlineNanoTime(final long nanoTime)
    {
        this.deadlineNanoTime = nanoTime;
    }

    /**
     * @return the first of the messages waiting in the same release window for this one to be released (the
     *     sequencer chains them through {@link #nextWaiter()}), or null.
     */
    public MessageEvent firstWaiter()
    {
        return firstWaiter;
    }

    /** @param waiter the new head of this message's chain of waiting dependents, or null to clear it. */
    public void firstWaiter(final MessageEvent waiter)
    {
        this.firstWaiter = waiter;
    }

    /** @return the next message in the chain this one waits in, or null. */
    public MessageEvent nextWaiter()
    {
        return nextWaiter;
    }

    /** @param next the next message in the chain this one waits in. */
    public void nextWaiter(final MessageEvent next)
    {
        this.nextWaiter = next;
    }

    /** @return true when its publisher reserved hold-buffer room for it (reject-new policy). */
    public boolean isHoldReserved()
    {
        return holdReserved;
    }

    /** @param reserved whether its publisher reserved hold-buffer room for it. */
    public void holdReserved(final boolean reserved)
    {
        this.holdReserved = reserved;
    }

    /**
     * @return true while the message is to be released with the sequencer's current window: it sits in the ready
     * queue, or waits chained to a message that is to be released with the window.
     */
    public boolean isAwaitingRelease()
    {
        return awaitingRelease;
    }

    /** @param awaiting whether the message is to be released with the sequencer's current window. */
    public void awaitingRelease(final boolean awaiting)
    {
        this.awaitingRelease = awaiting;
    }

    /** @return why the sequencer dead-lettered this message, or null for a message to deliver. */
    public DeadLetterReason deadLetterReason()
    {
        return deadLetterReason;
    }

    /** @param reason why the sequencer dead-lettered it, or null for a message to deliver. */
    public void deadLetterReason(final DeadLetterReason reason)
    {
        this.deadLetterReason = reason;
    }

    /** Marks this event as an entry of the sequencer's pool, not a ring slot; once, when the pool is built. */
    public void markPooled()
    {
        pooled = true;
    }

    /** @return true for an entry of the sequencer's pool, false for a ring slot. */
    public boolean isPooled()
    {
        return pooled;
    }

    /**
     * Copies another slot's message and working state into this one (sequencer entries, the release ring, retries).
     *
     * @param other the slot to copy.
     */
    public void copyFrom(final MessageEvent other)
    {
        record.copyFrom(other.record);
        valid = other.valid;
        fromJournal = other.fromJournal;
        deadlineBudgetNanos = other.deadlineBudgetNanos;
        deadlineNanoTime = other.deadlineNanoTime;
        deadLetterReason = other.deadLetterReason;
        holdReserved = other.holdReserved;
        publishedNanos = other.publishedNanos;
        journaledNanos = other.journaledNanos;
        sequencedNanos = other.sequencedNanos;
        routedNanos = other.routedNanos;
        previousId = other.previousId;
        recovery = other.recovery;
        route = other.route;
    }

    /**
     * @return the id the sequencer admitted just before this one: ids in between were never journaled (a publish
     *     that failed after claiming its slot), which the settled watermark must step over.
     */
    public long previousId()
    {
        return previousId;
    }

    /** @param id the id admitted just before this one. */
    public void previousId(final long id)
    {
        this.previousId = id;
    }

    /** @return what recovery knew of it; {@link Recovery#NONE} for a message published by this engine. */
    public Recovery recovery()
    {
        return recovery;
    }

    /** @param recovery what recovery knew of it. */
    public void recovery(final Recovery recovery)
    {
        this.recovery = recovery;
    }

    public boolean isRedelivery()
    {
        return Recovery.UNSETTLED == recovery;
    }

    /** @return monotonic time the message was (meant to be) published; latency is measured from here. */
    public long publishedNanos()
    {
        return publishedNanos;
    }

    /** @param nanos monotonic publish time, the intended send time under a paced load. */
    public void publishedNanos(final long nanos)
    {
        this.publishedNanos = nanos;
    }

    /** @return monotonic time the journal stage finished with it. */
    public long journaledNanos()
    {
        return journaledNanos;
    }

    /** @param nanos monotonic time the journal stage finished with it. */
    public void journaledNanos(final long nanos)
    {
        this.journaledNanos = nanos;
    }

    /** @return monotonic time the sequencer released it. */
    public long sequencedNanos()
    {
        return sequencedNanos;
    }

    /** @param nanos monotonic time the sequencer released it. */
    public void sequencedNanos(final long nanos)
    {
        this.sequencedNanos = nanos;
    }

    /** @return monotonic time the router resolved its subscribers. */
    public long routedNanos()
    {
        return routedNanos;
    }

    /** @param nanos monotonic time the router resolved its subscribers. */
    public void routedNanos(final long nanos)
    {
        this.routedNanos = nanos;
    }

    /** @return the subscribers the router chose. */
    public Subscriber[] route()
    {
        return route;
    }

    /** @param subscribers the subscribers of the message's type, shared and never modified. */
    public void route(final Subscriber[] subscribers)
    {
        this.route = subscribers;
    }

    public long id()
    {
        return record.id();
    }

    public int type()
    {
        return record.type();
    }

    public int source()
    {
        return record.source();
    }

    public int priority()
    {
        return record.priority();
    }

    public long hlcWall()
    {
        return record.hlcWall();
    }

    public int hlcLogical()
    {
        return record.hlcLogical();
    }

    public long deadlineEpochNanos()
    {
        return record.deadlineEpochNanos();
    }

    public int dependencyCount()
    {
        return record.dependencyCount();
    }

    public long dependency(final int i)
    {
        return record.dependency(i);
    }

    public ByteBuffer payload()
    {
        return payloadForReading.limit(record.payloadLength()).position(0);
    }
}
