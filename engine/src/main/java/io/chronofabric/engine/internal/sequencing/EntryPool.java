package io.chronofabric.engine.internal.sequencing;

import io.chronofabric.engine.internal.event.MessageEvent;

/**
 * Preallocated message entries the sequencer copies ring slots into, so that it can hold and reorder messages
 * after their ring slots are reused (all but the messages it borrows the ring slot of: see
 * {@link TemporalSequencer#borrowRingSlots()}). A stack of free entries; single-threaded; allocation-free.
 */
final class EntryPool
{
    private final MessageEvent[] free;
    private int top;

    EntryPool(final int size, final int maxDependencies, final int payloadCapacity)
    {
        free = new MessageEvent[size];
        for (int i = 0; i < size; i++)
        {
            free[i] = new MessageEvent(maxDependencies, payloadCapacity);
            free[i].markPooled();
        }
        top = size;
    }

    MessageEvent acquire()
    {
        if (0 == top)
        {
            throw new IllegalStateException("sequencer entry pool exhausted (" + free.length + " entries)");
        }
        return free[--top];
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
