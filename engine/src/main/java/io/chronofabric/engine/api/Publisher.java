package io.chronofabric.engine.api;

/**
 * Publishes messages from one thread on behalf of one source component. Obtain one per publishing thread from the
 * engine's {@code newPublisher(source)}; any number may publish at once. Not thread-safe.
 *
 * <p>Per-message options ({@link #priority}, {@link #deadlineIn}, {@link #dependsOn(long)},
 * {@link #dependsOn(int, long)}, {@link #sentAt},
 * {@link #remoteTimestamp}) apply to the next publish only and reset after it, whether it succeeds or not. An option
 * call that fails (a bad argument) resets every option given so far, so that a half-described message is never
 * published. Publishing allocates nothing.
 */
public interface Publisher
{
    /** Returned by {@link #tryPublish} when the ring is full: back off and retry; nothing was published. */
    long RING_FULL = -1;
    /**
     * Returned by {@link #tryPublish} for a message declaring dependencies while the hold buffer is full and the
     * {@code hold.overflow} policy is {@code reject-new}; nothing was published.
     */
    long HOLD_FULL = -2;

    /**
     * @param priority 0..255, higher goes first among ready messages; default 0.
     * @return this.
     * @throws IllegalArgumentException outside [0, 255]; the options given so far are reset.
     */
    Publisher priority(int priority);

    /** The longest deadline budget: 10^18 ns, about 31.7 years (longer ones would overflow the clocks' sums). */
    long MAX_DEADLINE_NANOS = 1_000_000_000_000_000_000L;

    /**
     * @param nanos the message is worthless this long after publish; 0 for no deadline.
     * @return this.
     * @throws IllegalArgumentException when negative or above {@link #MAX_DEADLINE_NANOS}; the options given so far
     *                                  are reset.
     */
    Publisher deadlineIn(long nanos);

    /**
     * @param messageId an earlier message (an id a publish returned) this one must be delivered after.
     * @return this.
     * @throws IllegalArgumentException beyond {@code dependencies.max} per message; the options given so far are
     *                                  reset. A dependency that cannot exist (itself, the future, below 1, outside
     *                                  {@code dependencies.window}) is refused by the publish; one whose publish was
     *                                  refused never arrives, and its dependents are dead-lettered after the hold
     *                                  timeout.
     */
    Publisher dependsOn(long messageId);

    /**
     * Declares a dependency on a message of another node: this one is held until the message {@code node} published
     * with id {@code originId} has arrived here, been journaled and been released by this node's sequencer, under the
     * same rules as {@link #dependsOn(long)}: it is dead-lettered ({@code dependency_timeout}) when that message has
     * not arrived within {@code hold.timeout-ms}, and ({@code dependency_dead_lettered}) when that message is
     * dead-lettered here; its own dependents follow it. Only that message satisfies it: a later message of the same
     * node does not. {@code dependsOn(thisNode, id)}, with this engine's {@code node.id}, is the same as
     * {@link #dependsOn(long) dependsOn(id)}.
     *
     * @param node     the node that published the message, 1..65535, or this engine's {@code node.id}.
     * @param originId the id that node gave the message, 1..2^47-1.
     * @return this.
     * @throws IllegalArgumentException for a node or id out of range, or beyond {@code dependencies.max} per message;
     *                                  the options given so far are reset.
     */
    Publisher dependsOn(int node, long originId);

    /**
     * @param nanoTime the {@link System#nanoTime()} at which the message was meant to be sent; latency is measured
     *     from it, which keeps a paced load generator honest about coordinated omission. Default: the publish time.
     * @return this.
     */
    Publisher sentAt(long nanoTime);

    /**
     * Marks the next message as stamped by another node's hybrid logical clock: the journal stage applies the HLC
     * receive rule to it, so that its local timestamp is above the remote one. A remote timestamp further ahead of
     * this node's wall clock than {@code hlc.max-offset-ms} is rejected at publish and counted.
     * <p>
     * The message is {@code originNode}'s, relayed by the application, with no id from that node: its
     * {@link Message#originId()} is 0, so it names none of that node's messages. A cross-node dependency on that
     * node is not satisfied by it, a node does not count it among the messages that node shipped here (nor resume
     * that node's stream past it), and does not ship it to its peers as its own.
     *
     * @param originNode the remote node's id, 1..65535.
     * @param wall       the remote HLC wall component, epoch nanoseconds.
     * @param logical    the remote HLC logical component, >= 0.
     * @return this.
     * @throws IllegalArgumentException for a node or logical out of range; the options given so far are reset.
     */
    Publisher remoteTimestamp(int originNode, long wall, int logical);

    /**
     * Publishes, waiting for a free slot while the ring is full (backpressure; counted). Never waits without end: a
     * close or a failure of the engine ends the wait with an exception.
     *
     * @param type   the message type.
     * @param writer writes the payload into the slot.
     * @param data   what the writer writes.
     * @param <A>    the data's type.
     * @return the message id.
     * @throws PayloadTooLargeException when the payload exceeds the capacity; nothing is published.
     * @throws IllegalArgumentException for a type outside {@code types.max} or a dependency that cannot exist.
     * @throws IllegalStateException    when the engine is closed (also while this publish waits for a slot) or has
     *                                  failed ({@link EngineFailedException}), when the ring is full and this is a
     *                                  pipeline thread (a handler that publishes must not wait for its own thread), or
     *                                  for a message declaring dependencies while the hold buffer is full under
     *                                  {@code hold.overflow=reject-new} (see {@link HoldOverflowPolicy#REJECT_NEW}).
     */
    <A> long publish(int type, PayloadWriter<A> writer, A data);

    /**
     * Publishes if a slot is free, never blocking.
     *
     * @param type   the message type.
     * @param writer writes the payload into the slot.
     * @param data   what the writer writes.
     * @param <A>    the data's type.
     * @return the message id, {@link #RING_FULL} when the ring is full (counted as backpressure), or
     *     {@link #HOLD_FULL}.
     * @throws PayloadTooLargeException when the payload exceeds the capacity; nothing is published.
     * @throws IllegalStateException    when the engine is closed or has failed.
     */
    <A> long tryPublish(int type, PayloadWriter<A> writer, A data);

    /**
     * Publishes an object through the codec registered for its type (the convenient path; the codec decides
     * whether it allocates).
     *
     * @param type    the message type.
     * @param message the message.
     * @return the message id.
     * @throws IllegalArgumentException when no codec is registered for the type.
     */
    long publishObject(int type, Object message);

    /** @return the source component id this publisher stamps. */
    int source();

    /** @return messages this publisher has published. */
    long published();

    /**
     * @return publishes this publisher refused whole, for any reason: oversize payload, a dependency that cannot
     *     exist, a remote timestamp too far ahead, a full hold buffer under {@code reject-new}.
     */
    long rejected();

    /** @return times this publisher found the ring full. */
    long backpressureEvents();
}
