package io.chronofabric.engine.api;

import java.nio.ByteBuffer;

/**
 * A delivered message, as a subscriber's handler sees it. A view over a ring slot: valid only during the handler
 * call; copy what must outlive it.
 */
public interface Message
{
    /** @return the unique message id, assigned at publish. */
    long id();

    /** @return the node that published it: this node's {@code node.id}, another node's for a shipped message. */
    int originNode();

    /**
     * @return the id its origin node gave it: {@link #id()} for a message published on this node; 0 for one published
     *     here with {@link Publisher#remoteTimestamp} only, which its origin node gave no id.
     */
    long originId();

    /** @return the message type. */
    int type();

    /** @return the id of the component that published it. */
    int source();

    /** @return the priority, 0..255, higher is more important. */
    int priority();

    /** @return the HLC wall component, epoch nanoseconds. */
    long hlcWall();

    /** @return the HLC logical component. */
    int hlcLogical();

    /** @return the deadline in epoch nanoseconds, 0 when the message has none. */
    long deadlineEpochNanos();

    /** @return the number of declared causal dependencies. */
    int dependencyCount();

    /**
     * @param i index below {@link #dependencyCount()}.
     * @return the id of the i-th message this one depends on.
     */
    long dependency(int i);

    /**
     * @return the payload as a read-only little-endian buffer, positioned at its start with its limit at its end.
     */
    ByteBuffer payload();

    /**
     * @return true when this message is delivered again after a crash: it was journaled but not known to be settled
     *     for this subscriber, and may have been handed to it once already, just before the crash. Only such
     *     messages can be duplicates, so an effectively-once subscriber checks its own record of applied ids only
     *     when this is true. False after a clean close and for every message published since the start.
     */
    boolean isRedelivery();
}
