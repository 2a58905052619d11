package io.chronofabric.engine.internal.sequencing;

import java.util.concurrent.atomic.AtomicInteger;

import io.chronofabric.engine.internal.event.LatencyRecorder;
import io.chronofabric.engine.internal.event.SingleWriterCounter;
import io.chronofabric.journal.DeadLetterReason;

/**
 * Temporal health: what the sequencer holds (written by the sequencer thread) and what delivery observed (written
 * by the delivery thread). Each field has one writer; anyone may read.
 */
public final class TemporalCounters
{
    /** Deliveries per temporal coherence window. */
    public static final int COHERENCE_WINDOW = 10_000;

    private final SingleWriterCounter[] deadLetters = new SingleWriterCounter[DeadLetterReason.values().length];
    private final SingleWriterCounter deadlineMisses = new SingleWriterCounter();
    private final SingleWriterCounter retries = new SingleWriterCounter();
    private final SingleWriterCounter causalityViolations = new SingleWriterCounter();
    private final SingleWriterCounter heldTotal = new SingleWriterCounter();
    private final LatencyRecorder lateness = new LatencyRecorder();
    private volatile int held;
    private volatile long oldestHeldSinceWall;
    private volatile boolean holdFull;
    private final AtomicInteger holdReservations = new AtomicInteger();
    /** The last {@value #COHERENCE_WINDOW} deliveries, a bit set for each that was late or out of causal order. */
    private final long[] incoherent = new long[(COHERENCE_WINDOW + 63) / 64];
    /** Deliveries in the window (high 32 bits) and how many of them were incoherent (low 32): one release store. */
    private final SingleWriterCounter window = new SingleWriterCounter();
    private int slot;
    private int inWindow;
    private int incoherentInWindow;

    /** Creates the counters. */
    public TemporalCounters()
    {
        for (int i = 0; i < deadLetters.length; i++)
        {
            deadLetters[i] = new SingleWriterCounter();
        }
    }

    /**
     * Sequencer thread: the hold buffer's state after a change.
     *
     * @param heldNow         messages held now.
     * @param oldestSinceWall HLC wall time the oldest was held at, 0 when none.
     * @param full            whether the buffer is full.
     */
    public void holdState(final int heldNow, final long oldestSinceWall, final boolean full)
    {
        // the common case is nothing held, unchanged: skip the volatile stores readers would pay nothing for
        if (heldNow != held || oldestSinceWall != oldestHeldSinceWall || full != holdFull)
        {
            held = heldNow;
            oldestHeldSinceWall = oldestSinceWall;
            holdFull = full;
        }
    }

    /**
     * Publishers, under the reject-new hold policy: reserves room in the hold buffer for a message that declares
     * dependencies, so that however fast they publish, what is in flight can always be held.
     *
     * @param capacity the hold buffer's capacity.
     * @return false when every place is reserved: the publish must be refused.
     */
    public boolean tryReserveHold(final int capacity)
    {
        int reserved;
        do
        {
            reserved = holdReservations.get();
            if (reserved >= capacity)
            {
                return false;
            }
        }
        while (!holdReservations.compareAndSet(reserved, reserved + 1));
        return true;
    }

    /** Returns a reservation: its message was released or dead-lettered, or its publish failed. */
    public void releaseHoldReservation()
    {
        holdReservations.decrementAndGet();
    }

    /** @return the counter of messages ever held (sequencer thread writes). */
    public SingleWriterCounter heldTotal()
    {
        return heldTotal;
    }

    /**
     * Delivery thread: one (message, subscriber) delivery finished.
     *
     * @param lateNanos how late it was, 0 when on time.
     * @param causal    whether every dependency had been delivered before it.
     */
    public void delivery(final long lateNanos, final boolean causal)
    {
        if (lateNanos > 0)
        {
            deadlineMisses.increment();
            lateness.record(lateNanos);
        }
        final int word = slot >>> 6;
        final long bit = 1L << slot;
        if (COHERENCE_WINDOW == inWindow && 0 != (incoherent[word] & bit))
        {
            incoherentInWindow--; // the delivery leaving the window was incoherent
        }
        if (0 == lateNanos && causal)
        {
            incoherent[word] &= ~bit;
        }
        else
        {
            incoherent[word] |= bit;
            incoherentInWindow++;
        }
        inWindow = Math.min(inWindow + 1, COHERENCE_WINDOW);
        slot = COHERENCE_WINDOW - 1 == slot ? 0 : slot + 1;
        window.set(((long)inWindow << 32) | incoherentInWindow);
    }

    /** @param reason delivery thread: one dead letter journaled. */
    public void deadLetter(final DeadLetterReason reason)
    {
        deadLetters[reason.ordinal()].increment();
    }

    /** @return delivery thread's retry counter. */
    public SingleWriterCounter retries()
    {
        return retries;
    }

    /** @return delivery thread's causality violation counter. */
    public SingleWriterCounter causalityViolations()
    {
        return causalityViolations;
    }

    /** @return messages held for dependencies now. */
    public int held()
    {
        return held;
    }

    /** @return true while the hold buffer is full. */
    public boolean isHoldFull()
    {
        return holdFull;
    }

    /**
     * @param nowWall current wall time, epoch nanoseconds.
     * @return how long the oldest held message has waited, 0 when none.
     */
    public long oldestHeldAgeNanos(final long nowWall)
    {
        final long since = oldestHeldSinceWall;
        return 0 == since ? 0 : Math.max(0, nowWall - since);
    }

    /** @return messages that arrived with a dependency not yet released and were held back for it. */
    public long heldTotalCount()
    {
        return heldTotal.get();
    }

    /** @return late (message, subscriber) deliveries. */
    public long deadlineMisses()
    {
        return deadlineMisses.get();
    }

    /** @param reason a reason. @return dead letters journaled with it. */
    public long deadLetters(final DeadLetterReason reason)
    {
        return deadLetters[reason.ordinal()].get();
    }

    /** @return dead letters of every reason. */
    public long deadLettersTotal()
    {
        long total = 0;
        for (final SingleWriterCounter counter : deadLetters)
        {
            total += counter.get();
        }
        return total;
    }

    /** @return how late late deliveries were. */
    public LatencyRecorder lateness()
    {
        return lateness;
    }

    /**
     * @return the fraction of the last {@value #COHERENCE_WINDOW} (message, subscriber) deliveries (all of them while
     *     there are fewer) that were on time and in causal order; 1.0 before the first.
     */
    public double coherence()
    {
        final long packed = window.get();
        final int deliveries = (int)(packed >>> 32);
        return 0 == deliveries ? 1.0 : (double)(deliveries - (int)packed) / deliveries;
    }
}
