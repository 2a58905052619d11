package io.chronofabric.engine.internal.sequencing;

import io.chronofabric.engine.internal.event.MessageEvent;

/**
 * Message entries the sequencer copies ring slots into, so that it can hold and reorder messages after their ring
 * slots are reused (all but the messages it borrows the ring slot of: see {@link TemporalSequencer#borrowRingSlots()}).
 * A stack of free entries; single-threaded. An entry is made when the number in use first reaches a new level, at
 * most {@code size} of them, then reused: allocation-free once warm, and an engine whose messages need no copy (the
 * common case in the single-thread layout) keeps none resident.
 */
final class EntryPool
{
    private final MessageEvent[] free;
    private final int maxDependencies;
    private final int payloadCapacity;
    private int top;
    private int created;

    EntryPool(final int size, final int maxDependencies, final int payloadCapacity)
    {
        this.free = new MessageEvent[size];
        this.maxDependencies = maxDependencies;
        this.payloadCapacity = payloadCapacity;
    }

    MessageEvent acquire()
    {
        if (0 < top)
        {
            return free[--top];
        }
        if (created == free.length)
        {
            throw new IllegalStateException("sequencer entry pool exhausted (" + free.length + " entries)");
        }
        created++;
        final MessageEvent entry = new MessageEvent(maxDependencies, payloadCapacity);
        entry.markPooled();
        return entry;
    }

    /** Takes an entry back; a ring slot the sequencer borrowed ({@link MessageEvent#isPooled()} false) is ignored. */
    void release(final MessageEvent entry)
    {
        if (!entry.isPooled())
        {
            return;
        }
        entry.deadLetterReason(null);
        free[top++] = entry;
    }
}
