package io.chronofabric.engine;

/**
 * A handler's subscription to one message type. Closing it unsubscribes: once {@link #close()} returns, the
 * handler is not invoked for any further message (a call already in progress completes).
 */
public interface Subscription extends AutoCloseable
{
    /** @return the subscribed message type. */
    int type();

    /** @return true until closed. */
    boolean isActive();

    /** Unsubscribes; idempotent. */
    @Override
    void close();
}
