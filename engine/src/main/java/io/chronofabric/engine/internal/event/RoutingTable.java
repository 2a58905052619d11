package io.chronofabric.engine.internal.event;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Message type to subscribers, indexed by type in an array. The router reads it without locks or allocation;
 * subscribe and unsubscribe replace a type's subscriber array (copy on write) while the pipeline runs.
 */
public final class RoutingTable
{
    private static final Subscriber[] NONE = new Subscriber[0];

    private final AtomicReferenceArray<Subscriber[]> byType;
    private int active;
    private volatile boolean dispatching;
    private volatile Thread deliveryThread;

    /**
     * @param maxMessageTypes types are 0 .. maxMessageTypes-1.
     */
    public RoutingTable(final int maxMessageTypes)
    {
        this.byType = new AtomicReferenceArray<>(maxMessageTypes);
        for (int type = 0; type < maxMessageTypes; type++)
        {
            byType.set(type, NONE);
        }
    }

    /**
     * @param type a message type in range.
     * @return its current subscribers; never null, never modified afterwards.
     */
    public Subscriber[] subscribersOf(final int type)
    {
        return byType.get(type);
    }

    /**
     * @param subscriber a new subscriber, added after the type's existing ones.
     */
    public synchronized void add(final Subscriber subscriber)
    {
        final Subscriber[] current = byType.get(subscriber.type());
        final Subscriber[] updated = Arrays.copyOf(current, current.length + 1);
        updated[current.length] = subscriber;
        byType.set(subscriber.type(), updated);
        active++;
    }

    /**
     * @param subscriber a subscriber to remove; unknown ones are ignored.
     */
    public synchronized void remove(final Subscriber subscriber)
    {
        final Subscriber[] current = byType.get(subscriber.type());
        final Subscriber[] updated = Arrays.stream(current).filter(s -> s != subscriber).toArray(Subscriber[]::new);
        if (updated.length != current.length)
        {
            byType.set(subscriber.type(), 0 == updated.length ? NONE : updated);
            active--;
        }
    }

    /** Delivery thread: a message is about to be handed to subscribers. */
    public void beginDispatch()
    {
        dispatching = true;
    }

    /** Delivery thread: the message's subscribers have all returned. */
    public void endDispatch()
    {
        dispatching = false;
    }

    /** Delivery thread: records itself, so an unsubscribe from inside a handler does not wait for itself. */
    public void deliveryThread(final Thread thread)
    {
        this.deliveryThread = thread;
    }

    /**
     * Waits until no dispatch is in progress, so that once an unsubscribe returns no invocation of the removed
     * handler can start. Returns at once on the delivery thread itself.
     */
    public void awaitNoDispatch()
    {
        if (Thread.currentThread() == deliveryThread)
        {
            return;
        }
        while (dispatching)
        {
            Thread.onSpinWait();
        }
    }

    /** The engine closed: every subscription ends, as if closed by its holder (after the drain: nothing waits). */
    public void closeAll()
    {
        for (int type = 0; type < byType.length(); type++)
        {
            for (final Subscriber subscriber : byType.get(type))
            {
                subscriber.close();
            }
        }
    }

    /** @return the number of active subscriptions. */
    public synchronized int activeSubscriptions()
    {
        return active;
    }
}
