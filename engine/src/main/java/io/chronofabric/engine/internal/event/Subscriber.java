package io.chronofabric.engine.internal.event;

import java.util.ArrayDeque;

import io.chronofabric.engine.api.MessageHandler;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.api.Subscription;

/**
 * A registered handler for one message type; closing it removes it from the {@link RoutingTable}. With a
 * {@link RetryPolicy} it also carries its retry state, owned by the delivery thread: the message being retried and
 * the messages waiting behind it, which keeps the subscriber's order.
 */
public final class Subscriber implements Subscription
{
    private final int id;
    private final int type;
    private final MessageHandler handler;
    private final RetryPolicy retryPolicy;
    private final RoutingTable table;
    private final SingleWriterCounter failures = new SingleWriterCounter();
    private final ArrayDeque<MessageEvent> waiting = new ArrayDeque<>();
    private volatile boolean active = true;
    private MessageEvent retrying;
    private int attempt;
    private long firstAttemptNanos;
    private long nextAttemptNanos;

    /**
     * @param id          the subscriber's id, named in dead letters.
     * @param type        the subscribed type.
     * @param handler     the handler to invoke.
     * @param retryPolicy how failures are retried, or null for no retries (failures are counted and logged).
     * @param table       the table it is registered in.
     */
    public Subscriber(final int id, final int type, final MessageHandler handler, final RetryPolicy retryPolicy,
        final RoutingTable table)
    {
        this.id = id;
        this.type = type;
        this.handler = handler;
        this.retryPolicy = retryPolicy;
        this.table = table;
    }

    /** @return the subscriber's id. */
    public int id()
    {
        return id;
    }

    @Override
    public int type()
    {
        return type;
    }

    @Override
    public boolean isActive()
    {
        return active;
    }

    /** @return the handler. */
    public MessageHandler handler()
    {
        return handler;
    }

    /** @return the retry policy, or null. */
    public RetryPolicy retryPolicy()
    {
        return retryPolicy;
    }

    /** @return handler invocations that threw; written by the delivery thread. */
    public SingleWriterCounter failures()
    {
        return failures;
    }

    /** @return true while a message is being retried for this subscriber. */
    public boolean isRetrying()
    {
        return null != retrying;
    }

    /** Starts (or continues) retrying a message: a copy the subscriber owns. */
    public void retry(final MessageEvent message, final int nextAttempt, final long firstNanos, final long atNanos)
    {
        retrying = message;
        attempt = nextAttempt;
        firstAttemptNanos = firstNanos;
        nextAttemptNanos = atNanos;
    }

    /** Ends the current retry. */
    public void retryDone()
    {
        retrying = null;
    }

    public MessageEvent retrying()
    {
        return retrying;
    }

    public int attempt()
    {
        return attempt;
    }

    public long firstAttemptNanos()
    {
        return firstAttemptNanos;
    }

    public long nextAttemptNanos()
    {
        return nextAttemptNanos;
    }

    /** @return messages waiting behind the one being retried, in order. */
    public ArrayDeque<MessageEvent> waiting()
    {
        return waiting;
    }

    @Override
    public void close()
    {
        if (active)
        {
            active = false;
            table.remove(this);
            table.awaitNoDispatch();
        }
    }
}
