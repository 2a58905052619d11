package io.chronofabric.engine.internal.sequencing;

import io.chronofabric.engine.internal.event.MessageEvent;

/**
 * The messages ready for delivery, in delivery order: higher priority first; within a priority, earliest deadline
 * first (messages without a deadline after those with one); then publish (id) order. Only causally ready messages
 * enter it (a dependent joins only once its dependency is released), so it cannot reorder a message ahead of an
 * undelivered dependency. Allocation-free, over fixed arrays.
 *
 * <p>Most messages carry no priority and no deadline: they sort after every other message, among themselves by id.
 * Those that arrive in id order wait in a first-in first-out ring at O(1) instead of the binary heap at O(log n);
 * {@link #poll()} merges the ring's head with the heap's top, so the order is the heap's order exactly.
 */
final class ReadyQueue
{
    private final MessageEvent[] heap;
    private final MessageEvent[] plain;
    private int size;
    private int plainHead;
    private int plainSize;
    private long lastPlainId = Long.MIN_VALUE;

    /**
     * @param capacity most messages ready at once.
     */
    public ReadyQueue(final int capacity)
    {
        this.heap = new MessageEvent[capacity];
        this.plain = new MessageEvent[capacity];
    }

    /**
     * @param message a causally ready message.
     * @throws IllegalStateException when full (the sequencer sizes it so that this cannot happen).
     */
    public void add(final MessageEvent message)
    {
        if (size + plainSize == heap.length)
        {
            throw new IllegalStateException("ready queue full at " + (size + plainSize));
        }
        if (0 == message.priority() && 0 == message.deadlineEpochNanos() && message.id() > lastPlainId)
        {
            lastPlainId = message.id();
            final int tail = plainHead + plainSize++;
            plain[tail < plain.length ? tail : tail - plain.length] = message;
            return;
        }
        int child = size++;
        while (child > 0)
        {
            final int parent = (child - 1) >>> 1;
            if (!before(message, heap[parent]))
            {
                break;
            }
            heap[child] = heap[parent];
            child = parent;
        }
        heap[child] = message;
    }

    /** @return the next message to deliver, removed; null when empty. */
    public MessageEvent poll()
    {
        if (0 != plainSize && (0 == size || before(plain[plainHead], heap[0])))
        {
            final MessageEvent first = plain[plainHead];
            plain[plainHead] = null;
            plainHead = plainHead + 1 < plain.length ? plainHead + 1 : 0;
            plainSize--;
            return first;
        }
        return pollHeap();
    }

    private MessageEvent pollHeap()
    {
        if (0 == size)
        {
            return null;
        }
        final MessageEvent first = heap[0];
        final MessageEvent last = heap[--size];
        heap[size] = null;
        if (size > 0)
        {
            int parent = 0;
            while (true)
            {
                int child = 2 * parent + 1;
                if (child >= size)
                {
                    break;
                }
                if (child + 1 < size && before(heap[child + 1], heap[child]))
                {
                    child++;
                }
                if (!before(heap[child], last))
                {
                    break;
                }
                heap[parent] = heap[child];
                parent = child;
            }
            heap[parent] = last;
        }
        return first;
    }

    /** @return messages ready now. */
    public int size()
    {
        return size + plainSize;
    }

    /**
     * @param a a message.
     * @param b another message.
     * @return true when {@code a} is delivered before {@code b}.
     */
    static boolean before(final MessageEvent a, final MessageEvent b)
    {
        if (a.priority() != b.priority())
        {
            return a.priority() > b.priority();
        }
        final long deadlineA = a.deadlineEpochNanos();
        final long deadlineB = b.deadlineEpochNanos();
        if (deadlineA != deadlineB)
        {
            if (0 == deadlineA || 0 == deadlineB)
            {
                return 0 != deadlineA;
            }
            return deadlineA < deadlineB;
        }
        return a.id() < b.id();
    }
}
