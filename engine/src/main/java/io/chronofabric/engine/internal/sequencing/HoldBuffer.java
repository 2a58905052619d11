package io.chronofabric.engine.internal.sequencing;

import java.util.function.Consumer;

import com.carrotsearch.hppc.LongObjectHashMap;
import io.chronofabric.engine.internal.event.MessageEvent;

/**
 * Messages waiting for their causal dependencies, indexed by the missing dependency: releasing a dependency looks
 * up exactly its waiters and releases those now missing nothing, so chains and diamonds resolve in one pass and held
 * messages cost unrelated traffic nothing. Bounded; ages are kept in hold order so the oldest is found at once.
 * Owned by the sequencer thread.
 *
 * <p>Allocation-free once warm: places are made as the number held first reaches each level, at most {@code capacity}
 * (so an engine that holds little keeps little resident), then reused; each dependency's waiters are linked through
 * the places themselves in hold order, and the index from a dependency id to its first and last waiter is a
 * primitive-keyed map (no boxing of ids), grown as the number of distinct missing ids first reaches each level. A place leaves every list it is on when its message leaves, however it
 * leaves (ready, dead-lettered, timed out, evicted), so nothing lingers and the age list holds only waiting messages.
 */
final class HoldBuffer
{
    private final int capacity;
    private final LongObjectHashMap<Held> firstWaiter;
    private final LongObjectHashMap<Held> lastWaiter;
    private final int maxDependencies;
    private final Held[] free;
    private int freeCount;
    private int created;
    private Held oldest;
    private Held newest;
    private int size;

    /**
     * @param capacity        the most messages held at once.
     * @param maxDependencies the most dependencies a message declares ({@code dependencies.max}).
     */
    HoldBuffer(final int capacity, final int maxDependencies)
    {
        this.capacity = capacity;
        this.maxDependencies = Math.max(1, maxDependencies);
        this.firstWaiter = new LongObjectHashMap<>();
        this.lastWaiter = new LongObjectHashMap<>();
        this.free = new Held[capacity];
    }

    /**
     * Holds a message until its missing dependencies are released.
     *
     * @param message       the message (a pooled copy the buffer now owns).
     * @param missing       the ids it still waits for; the first {@code missingCount} are used (an id listed twice
     *                      counts once).
     * @param missingCount  how many.
     * @param nowWall       the HLC wall time of the hold, for its timeout.
     * @throws IllegalStateException when the buffer is full (the caller checks {@link #isFull()} first), or the
     *     message misses more ids than {@code dependencies.max}.
     */
    public void hold(final MessageEvent message, final long[] missing, final int missingCount, final long nowWall)
    {
        final Held held = place();
        held.message = message;
        held.sinceWall = nowWall;
        held.count = 0;
        for (int i = 0; i < missingCount; i++)
        {
            final long id = missing[i];
            if (held.slotOf(id) >= 0)
            {
                continue;
            }
            if (held.count == held.dependencies.length)
            {
                held.message = null;
                free[freeCount++] = held;
                throw new IllegalStateException("a message misses more than " + held.dependencies.length +
                    " dependencies (dependencies.max)");
            }
            held.dependencies[held.count++] = id;
        }
        for (int slot = 0; slot < held.count; slot++)
        {
            link(held, slot);
        }
        held.missing = held.count;
        held.older = newest;
        if (null == newest)
        {
            oldest = held;
        }
        else
        {
            newest.newer = held;
        }
        newest = held;
        size++;
    }

    /** @return a free place: one freed before, or a new one while fewer than {@code capacity} exist. */
    private Held place()
    {
        if (0 < freeCount)
        {
            return free[--freeCount];
        }
        if (created == capacity)
        {
            throw new IllegalStateException("hold buffer full (" + capacity + " messages)");
        }
        created++;
        return new Held(maxDependencies);
    }

    /** Appends the place to the waiters of its dependency in this slot. */
    private void link(final Held held, final int slot)
    {
        final long id = held.dependencies[slot];
        final Held last = lastWaiter.get(id);
        if (null == last)
        {
            firstWaiter.put(id, held);
        }
        else
        {
            last.next[last.slotOf(id)] = held;
        }
        lastWaiter.put(id, held);
        held.linked[slot] = true;
    }

    /**
     * A dependency was released: its waiters that now miss nothing go to {@code ready}, in hold order.
     *
     * @param id    the released id.
     * @param ready receives each message that became ready; the buffer no longer owns it.
     */
    public void onReleased(final long id, final Consumer<MessageEvent> ready)
    {
        Held held = takeWaiters(id);
        while (null != held)
        {
            final Held next = unlinkFirst(held, id);
            if (0 == --held.missing)
            {
                ready.accept(leave(held));
            }
            held = next;
        }
    }

    /**
     * A message was dead-lettered: every held message depending on it, transitively, is dead-lettered too.
     *
     * @param id   the dead-lettered id.
     * @param dead receives each message dead-lettered by the cascade, dependents after their dependency; it must
     *     call {@link #onDead} again for each, which it does by marking the id dead and calling back.
     */
    public void onDead(final long id, final Consumer<MessageEvent> dead)
    {
        Held held = takeWaiters(id);
        while (null != held)
        {
            final Held next = unlinkFirst(held, id);
            dead.accept(leave(held));
            held = next;
        }
    }

    /** @return the first of the places waiting for this id, its list taken out of the index; null when none. */
    private Held takeWaiters(final long id)
    {
        if (firstWaiter.isEmpty())
        {
            return null;
        }
        final Held first = firstWaiter.remove(id);
        if (null != first)
        {
            lastWaiter.remove(id);
        }
        return first;
    }

    /** Takes the place off a list already out of the index, whose first it is. @return the next in that list. */
    private static Held unlinkFirst(final Held held, final long id)
    {
        final int slot = held.slotOf(id);
        final Held next = held.next[slot];
        held.next[slot] = null;
        held.linked[slot] = false;
        return next;
    }

    /** Takes the place out of the age list and every waiter list it is still on, and frees it. @return its message. */
    private MessageEvent leave(final Held held)
    {
        for (int slot = 0; slot < held.count; slot++)
        {
            if (held.linked[slot])
            {
                unlink(held, slot);
            }
        }
        if (null == held.older)
        {
            oldest = held.newer;
        }
        else
        {
            held.older.newer = held.newer;
        }
        if (null == held.newer)
        {
            newest = held.older;
        }
        else
        {
            held.newer.older = held.older;
        }
        final MessageEvent message = held.message;
        held.message = null;
        held.older = null;
        held.newer = null;
        held.count = 0;
        free[freeCount++] = held;
        size--;
        return message;
    }

    /** Takes the place off the indexed list of its dependency in this slot (a message leaving before it is ready). */
    private void unlink(final Held held, final int slot)
    {
        final long id = held.dependencies[slot];
        Held previous = null;
        Held current = firstWaiter.get(id);
        while (null != current && current != held)
        {
            previous = current;
            current = current.next[current.slotOf(id)];
        }
        final Held next = held.next[slot];
        held.next[slot] = null;
        held.linked[slot] = false;
        if (null == current)
        {
            return;
        }
        if (null == previous)
        {
            if (null == next)
            {
                firstWaiter.remove(id);
                lastWaiter.remove(id);
            }
            else
            {
                firstWaiter.put(id, next);
            }
        }
        else
        {
            previous.next[previous.slotOf(id)] = next;
            if (null == next)
            {
                lastWaiter.put(id, previous);
            }
        }
    }

    /**
     * Removes and returns the oldest held message if it has waited at least {@code timeoutNanos}.
     *
     * @param nowWall      the current HLC wall time.
     * @param timeoutNanos the hold timeout.
     * @return the timed-out message (the caller dead-letters it and cascades), or null when none.
     */
    public MessageEvent pollTimedOut(final long nowWall, final long timeoutNanos)
    {
        if (null == oldest || nowWall - oldest.sinceWall < timeoutNanos)
        {
            return null;
        }
        return leave(oldest);
    }

    /**
     * Removes and returns the oldest held message, for the dead-letter-oldest overflow policy.
     *
     * @return the oldest held message, or null when empty.
     */
    public MessageEvent pollOldest()
    {
        return null == oldest ? null : leave(oldest);
    }

    /**
     * @param nowWall the current HLC wall time.
     * @return how long the oldest held message has waited, 0 when none.
     */
    public long oldestAgeNanos(final long nowWall)
    {
        return null == oldest ? 0 : Math.max(0, nowWall - oldest.sinceWall);
    }

    /** @return the HLC wall time at which the oldest held message was held, 0 when none. */
    public long oldestSinceWall()
    {
        return null == oldest ? 0 : oldest.sinceWall;
    }

    /** @return messages held now. */
    public int size()
    {
        return size;
    }

    /** @return true when no more messages can be held. */
    public boolean isFull()
    {
        return size >= capacity;
    }

    /** @return the most messages held at once. */
    public int capacity()
    {
        return capacity;
    }

    /** One place: a held message, the distinct ids it waits for, and its links in their waiter lists and in age. */
    private static final class Held
    {
        private final long[] dependencies;
        private final Held[] next;
        private final boolean[] linked;
        private int count;
        private int missing;
        private MessageEvent message;
        private long sinceWall;
        private Held older;
        private Held newer;

        private Held(final int maxDependencies)
        {
            this.dependencies = new long[maxDependencies];
            this.next = new Held[maxDependencies];
            this.linked = new boolean[maxDependencies];
        }

        /** @return the slot holding this id, -1 when it does not wait for it. */
        private int slotOf(final long id)
        {
            for (int slot = 0; slot < count; slot++)
            {
                if (dependencies[slot] == id)
                {
                    return slot;
                }
            }
            return -1;
        }
    }
}
