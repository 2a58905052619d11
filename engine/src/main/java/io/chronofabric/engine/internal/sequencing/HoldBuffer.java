package io.chronofabric.engine.internal.sequencing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.chronofabric.engine.internal.event.MessageEvent;

/**
 * Messages waiting for their causal dependencies, indexed by the missing dependency: releasing a dependency looks
 * up exactly its waiters and releases those now missing nothing, so chains and diamonds resolve in one pass and held
 * messages cost unrelated traffic nothing. Bounded; ages are kept in hold order so the oldest is found at once.
 * Owned by the sequencer thread. Holding allocates a little (the index); messages that need no hold never touch it.
 */
final class HoldBuffer
{
    private final int capacity;
    private final Map<Long, List<Held>> waitersByDependency = new HashMap<>();
    private final ArrayDeque<Held> byAge = new ArrayDeque<>();
    private int size;

    /**
     * @param capacity the most messages held at once.
     */
    public HoldBuffer(final int capacity)
    {
        this.capacity = capacity;
    }

    /**
     * Holds a message until its missing dependencies are released.
     *
     * @param message       the message (a pooled copy the buffer now owns).
     * @param missing       the ids it still waits for; the first {@code missingCount} are used.
     * @param missingCount  how many.
     * @param nowWall       the HLC wall time of the hold, for its timeout.
     */
    public void hold(final MessageEvent message, final long[] missing, final int missingCount, final long nowWall)
    {
        final Held held = new Held(message, missingCount, nowWall);
        for (int i = 0; i < missingCount; i++)
        {
            waitersByDependency.computeIfAbsent(missing[i], id -> new ArrayList<>(2)).add(held);
        }
        byAge.addLast(held);
        size++;
    }

    /**
     * A dependency was released: its waiters that now miss nothing go to {@code ready}, in hold order.
     *
     * @param id    the released id.
     * @param ready receives each message that became ready; the buffer no longer owns it.
     */
    public void onReleased(final long id, final Consumer<MessageEvent> ready)
    {
        final List<Held> waiters = takeWaiters(id);
        for (int i = 0, n = null == waiters ? 0 : waiters.size(); i < n; i++)
        {
            final Held held = waiters.get(i);
            if (held.waiting && 0 == --held.missing)
            {
                leave(held);
                ready.accept(held.message);
            }
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
        final List<Held> waiters = takeWaiters(id);
        for (int i = 0, n = null == waiters ? 0 : waiters.size(); i < n; i++)
        {
            final Held held = waiters.get(i);
            if (held.waiting)
            {
                leave(held);
                prune(held.message);
                dead.accept(held.message);
            }
        }
    }

    /** @return the messages waiting for this id, removed from the index; null when none (without boxing the id). */
    private List<Held> takeWaiters(final long id)
    {
        return waitersByDependency.isEmpty() ? null : waitersByDependency.remove(id);
    }

    private void leave(final Held held)
    {
        held.waiting = false;
        size--;
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
        final Held oldest = oldest();
        if (null == oldest || nowWall - oldest.sinceWall < timeoutNanos)
        {
            return null;
        }
        return remove(oldest);
    }

    /**
     * Removes and returns the oldest held message, for the dead-letter-oldest overflow policy.
     *
     * @return the oldest held message, or null when empty.
     */
    public MessageEvent pollOldest()
    {
        final Held oldest = oldest();
        return null == oldest ? null : remove(oldest);
    }

    /**
     * @param nowWall the current HLC wall time.
     * @return how long the oldest held message has waited, 0 when none.
     */
    public long oldestAgeNanos(final long nowWall)
    {
        final Held oldest = oldest();
        return null == oldest ? 0 : Math.max(0, nowWall - oldest.sinceWall);
    }

    /** @return the HLC wall time at which the oldest held message was held, 0 when none. */
    public long oldestSinceWall()
    {
        final Held oldest = oldest();
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

    private Held oldest()
    {
        Held oldest = byAge.peekFirst();
        while (null != oldest && !oldest.waiting)
        {
            byAge.pollFirst();
            oldest = byAge.peekFirst();
        }
        return oldest;
    }

    private MessageEvent remove(final Held held)
    {
        byAge.pollFirst();
        leave(held);
        prune(held.message);
        return held.message;
    }

    /** Drops index entries left by a message that leaves without being released, so nothing leaks. */
    private void prune(final MessageEvent message)
    {
        for (int i = 0; i < message.dependencyCount(); i++)
        {
            final List<Held> waiters = waitersByDependency.get(message.dependency(i));
            if (null != waiters)
            {
                waiters.removeIf(held -> !held.waiting);
                if (waiters.isEmpty())
                {
                    waitersByDependency.remove(message.dependency(i));
                }
            }
        }
    }

    private static final class Held
    {
        private final MessageEvent message;
        private final long sinceWall;
        private int missing;
        private boolean waiting = true;

        private Held(final MessageEvent message, final int missing, final long sinceWall)
        {
            this.message = message;
            this.missing = missing;
            this.sinceWall = sinceWall;
        }
    }
}
