package io.chronofabric.engine;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.pipeline.PipelineThreads;
import io.chronofabric.engine.internal.event.Recovery;
import io.chronofabric.engine.internal.event.SingleWriterCounter;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;
import io.chronofabric.engine.api.PayloadTooLargeException;
import io.chronofabric.engine.api.PayloadWriter;

/**
 * Publishes messages from one thread on behalf of one source component. Obtain one per publishing thread from
 * {@link ChronoFabric#newPublisher(int)}; any number may publish at once. Not thread-safe.
 *
 * <p>Per-message options ({@link #priority}, {@link #deadlineIn}, {@link #dependsOn}, {@link #sentAt}) apply to the
 * next publish only and reset after it, whether it succeeds or not. Publishing allocates nothing.
 */
public final class Publisher
{
    /** Returned by {@link #tryPublish} when the ring is full: back off and retry; nothing was published. */
    public static final long RING_FULL = -1;
    /**
     * Returned by {@link #tryPublish} for a message declaring dependencies while the hold buffer is full and the
     * {@code hold.overflow} policy is {@code reject-new}; nothing was published.
     */
    public static final long HOLD_FULL = -2;
    private static final int SPINS_BEFORE_PARKING = 100;
    private static final long PARK_NANOS = 1_000;

    private final ChronoFabric engine;
    private final RingBuffer<MessageEvent> ring;
    private final int source;
    private final long[] dependencies;
    private final SingleWriterCounter published = new SingleWriterCounter();
    private final SingleWriterCounter backpressure = new SingleWriterCounter();
    private final SingleWriterCounter rejected = new SingleWriterCounter();

    private int priority;
    private long deadlineBudgetNanos;
    private long sentAtNanos;
    private int dependencyCount;
    private int remoteNode;
    private long remoteWall;
    private int remoteLogical;
    private boolean holdReserved;

    Publisher(final ChronoFabric engine, final RingBuffer<MessageEvent> ring, final int source, final int maxDependencies)
    {
        this.engine = engine;
        this.ring = ring;
        this.source = source;
        this.dependencies = new long[maxDependencies];
    }

    /** @param priority 0..255, higher goes first among ready messages; default 0. @return this. */
    public Publisher priority(final int priority)
    {
        if (priority < 0 || priority > 255)
        {
            throw new IllegalArgumentException("priority=" + priority + " must be in [0, 255]");
        }
        this.priority = priority;
        return this;
    }

    /** @param nanos the message is worthless this long after publish; 0 for no deadline. @return this. */
    public Publisher deadlineIn(final long nanos)
    {
        if (nanos < 0)
        {
            throw new IllegalArgumentException("deadline budget " + nanos + "ns must be >= 0");
        }
        this.deadlineBudgetNanos = nanos;
        return this;
    }

    /** @param messageId an earlier message this one must be delivered after. @return this. */
    public Publisher dependsOn(final long messageId)
    {
        if (dependencyCount == dependencies.length)
        {
            resetOptions();
            throw new IllegalArgumentException("too many dependencies: at most " + dependencies.length +
                " per message (dependencies.max)");
        }
        dependencies[dependencyCount++] = messageId;
        return this;
    }

    /**
     * @param nanoTime the {@link System#nanoTime()} at which the message was meant to be sent; latency is measured
     *     from it, which keeps a paced load generator honest about coordinated omission. Default: the publish time.
     * @return this.
     */
    public Publisher sentAt(final long nanoTime)
    {
        this.sentAtNanos = nanoTime;
        return this;
    }

    /**
     * Marks the next message as stamped by another node's hybrid logical clock: the journal stage applies the HLC
     * receive rule to it, so that its local timestamp is above the remote one. A remote timestamp further ahead of
     * this node's wall clock than {@code hlc.max-offset-ms} is rejected at publish and counted.
     *
     * @param originNode the remote node's id, 1..65535.
     * @param wall       the remote HLC wall component, epoch nanoseconds.
     * @param logical    the remote HLC logical component.
     * @return this.
     */
    public Publisher remoteTimestamp(final int originNode, final long wall, final int logical)
    {
        if (originNode < 1 || originNode > 0xFFFF || logical < 0)
        {
            throw new IllegalArgumentException("remote node " + originNode + " must be in [1, 65535] and logical " +
                logical + " >= 0");
        }
        this.remoteNode = originNode;
        this.remoteWall = wall;
        this.remoteLogical = logical;
        return this;
    }

    /**
     * Publishes, waiting for a free slot while the ring is full (backpressure; counted).
     *
     * @param type   the message type.
     * @param writer writes the payload into the slot.
     * @param data   what the writer writes.
     * @param <A>    the data's type.
     * @return the message id.
     * @throws PayloadTooLargeException when the payload exceeds the capacity; nothing is published.
     * @throws IllegalStateException    when the engine is closed (also while this publish waits for a slot) or has
     *                                  failed ({@link EngineFailedException}), or when the ring is full and this is a
     *                                  pipeline thread: a handler that publishes must not wait for its own thread.
     */
    public <A> long publish(final int type, final PayloadWriter<A> writer, final A data)
    {
        engine.checkAccepting(type);
        if (refusedBeforeClaim())
        {
            throw new IllegalStateException("the hold buffer is full (hold.capacity) and hold.overflow=reject-new: " +
                "publishes that declare dependencies are refused until held messages are released");
        }
        long sequence;
        try
        {
            sequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            backpressure.increment();
            sequence = awaitSlot(type);
        }
        return fill(sequence, type, writer, data);
    }

    /**
     * Waits for a free slot while the ring is full; never without end: a close or a failure of the engine ends the
     * wait with an exception, and so does a full ring on a pipeline thread (a handler publishing), which would wait
     * for itself.
     */
    private long awaitSlot(final int type)
    {
        for (int idle = 0; ; idle++)
        {
            try
            {
                return ring.tryNext();
            }
            catch (final InsufficientCapacityException full)
            {
                try
                {
                    if (PipelineThreads.isCurrent())
                    {
                        throw new IllegalStateException("publish from a pipeline thread (inside a handler) found the " +
                            "ring full: waiting would wait for the thread that frees it; use tryPublish and handle " +
                            "RING_FULL");
                    }
                    engine.checkAccepting(type);
                }
                catch (final RuntimeException refused)
                {
                    returnHoldReservation();
                    resetOptions();
                    throw refused;
                }
                if (idle < SPINS_BEFORE_PARKING)
                {
                    Thread.onSpinWait();
                }
                else
                {
                    LockSupport.parkNanos(PARK_NANOS);
                }
            }
        }
    }

    /**
     * Publishes if a slot is free, never blocking.
     *
     * @param type   the message type.
     * @param writer writes the payload into the slot.
     * @param data   what the writer writes.
     * @param <A>    the data's type.
     * @return the message id, or {@link #RING_FULL} when the ring is full (counted as backpressure).
     * @throws PayloadTooLargeException when the payload exceeds the capacity; nothing is published.
     * @throws IllegalStateException    when the engine is closed or its journal has failed.
     */
    public <A> long tryPublish(final int type, final PayloadWriter<A> writer, final A data)
    {
        engine.checkAccepting(type);
        if (refusedBeforeClaim())
        {
            return HOLD_FULL;
        }
        final long sequence;
        try
        {
            sequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            backpressure.increment();
            returnHoldReservation();
            resetOptions();
            return RING_FULL;
        }
        return fill(sequence, type, writer, data);
    }

    /**
     * Publishes an object through the codec registered for its type (the convenient path; the codec decides
     * whether it allocates).
     *
     * @param type    the message type.
     * @param message the message.
     * @return the message id.
     */
    public long publishObject(final int type, final Object message)
    {
        return publish(type, engine.codecWriter(type), message);
    }

    /** @return true when this message is refused before a slot is claimed; options are reset then. */
    private boolean refusedBeforeClaim()
    {
        if (0 != remoteNode && !engine.acceptsRemoteTimestamp(remoteWall))
        {
            rejected.increment();
            final long wall = remoteWall;
            resetOptions();
            throw new IllegalArgumentException("remote HLC timestamp " + wall + " is more than hlc.max-offset-ms " +
                "ahead of this node's clock: rejected");
        }
        if (0 < dependencyCount && engine.holdRejectsNew())
        {
            if (!engine.temporal().tryReserveHold(engine.context().holdCapacity()))
            {
                rejected.increment();
                resetOptions();
                return true;
            }
            holdReserved = true;
        }
        return false;
    }

    private void returnHoldReservation()
    {
        if (holdReserved)
        {
            holdReserved = false;
            engine.temporal().releaseHoldReservation();
        }
    }

    private <A> long fill(final long sequence, final int type, final PayloadWriter<A> writer, final A data)
    {
        final MessageEvent event = ring.get(sequence);
        final long id = engine.idOf(sequence);
        boolean written = false;
        try
        {
            final MessageRecord record = event.record();
            record.clear();
            record.id(id).type(type).source(source).priority(priority);
            if (0 != remoteNode)
            {
                record.originNode(remoteNode).hlc(remoteWall, remoteLogical).flags(RecordFlags.REMOTE);
            }
            record.dependencyCount(dependencyCount);
            for (int i = 0; i < dependencyCount; i++)
            {
                record.dependency(i, dependencies[i]);
            }
            for (int i = 0; i < dependencyCount; i++)
            {
                engine.checkDependency(id, dependencies[i]);
            }
            event.fromJournal(false);
            event.recovery(Recovery.NONE);
            event.holdReserved(holdReserved);
            event.deadLetterReason(null);
            event.deadlineBudgetNanos(deadlineBudgetNanos);
            event.publishedNanos(0 != sentAtNanos ? sentAtNanos : System.nanoTime());
            event.deadlineNanoTime(0 == deadlineBudgetNanos ? 0 : event.publishedNanos() + deadlineBudgetNanos);
            final ByteBuffer payload = event.payloadForWriting();
            writer.write(data, payload);
            record.payloadLength(payload.position());
            written = true;
        }
        catch (final IllegalArgumentException ex)
        {
            rejected.increment();
            throw ex;
        }
        catch (final BufferOverflowException ex)
        {
            rejected.increment();
            throw new PayloadTooLargeException(type, event.record().payloadCapacity(), "the writer wrote past the end");
        }
        finally
        {
            // a claimed slot must always be published; a failed write travels as an invalid slot every stage skips
            event.valid(written);
            if (written)
            {
                holdReserved = false;
            }
            else
            {
                returnHoldReservation();
            }
            ring.publish(sequence);
            resetOptions();
        }
        published.increment();
        return id;
    }

    private void resetOptions()
    {
        priority = 0;
        deadlineBudgetNanos = 0;
        sentAtNanos = 0;
        dependencyCount = 0;
        remoteNode = 0;
    }

    /** @return the source component id this publisher stamps. */
    public int source()
    {
        return source;
    }

    /** @return messages this publisher has published. */
    public long published()
    {
        return published.get();
    }

    /** @return publishes this publisher had refused whole (oversize payload). */
    public long rejected()
    {
        return rejected.get();
    }

    /** @return times this publisher found the ring full. */
    public long backpressureEvents()
    {
        return backpressure.get();
    }
}
