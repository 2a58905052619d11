package io.chronofabric.engine.api;

/**
 * A handler's subscription to one message type. Closing it unsubscribes: once {@link #close()} returns, the
 * handler is not invoked for any further message (a call already in progress completes).
 */
public interface Subscription extends AutoCloseable
{
    /**
     * @return this subscription's id, unique within its engine and given in subscription order (1, 2, ...): dead
     *     letters name the subscriber by it, and recovery after a restart tells subscribers apart by it.
     */
    int id();

    /** @return the subscribed message type. */
    int type();

    /** @return true until closed. */
    boolean isActive();

    /** Unsubscribes; idempotent. */
    @Override
    void close();
}
