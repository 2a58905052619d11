package io.chronofabric.engine.internal.pipeline;

import java.util.TreeSet;

/**
 * The ids of publishes refused after their ring slot was claimed (a failing payload writer, a bad dependency): each
 * used an id that no caller was given and that the journal never holds. Remembered so that a wait on such an id
 * fails at once instead of waiting for a message that cannot come (a dependency on one is dead-lettered by the
 * sequencer, which sees the gap). Refusals are rare and already throw, so this is off the hot path; it keeps the
 * newest {@link #CAPACITY}.
 */
final class RefusedIds
{
    /** About 200 KiB at most: a runaway stream of refusals must not grow the heap without end. */
    static final int CAPACITY = 4_096;

    private final TreeSet<Long> ids = new TreeSet<>();
    /** Lets a wait ask without taking the lock, or boxing, in the usual case of no refusal at all. */
    private volatile boolean any;

    synchronized void add(final long id)
    {
        ids.add(id);
        any = true;
        if (ids.size() > CAPACITY)
        {
            ids.pollFirst();
        }
    }

    /**
     * @param id a message id.
     * @return true when a publish was refused with this id; false when none was, or when it is older than the newest
     *     {@link #CAPACITY} refusals.
     */
    boolean contains(final long id)
    {
        if (!any)
        {
            return false;
        }
        synchronized (this)
        {
            return ids.contains(id);
        }
    }
}
