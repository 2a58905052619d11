package io.chronofabric.engine.internal.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.event.Recovery;
import io.chronofabric.engine.internal.event.SingleWriterCounter;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;
import io.chronofabric.journal.RecordLayout;
import io.chronofabric.engine.api.PayloadTooLargeException;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;

/**
 * The {@link Publisher} an engine hands out: claims a ring slot, writes the record in place and publishes it. What a
 * publish may do (engine open, type known, dependency possible, hold space) is decided by the {@link PublishGate}; the
 * publisher never calls back into the engine.
 */
public final class RingPublisher implements Publisher
{
    private static final int SPINS_BEFORE_PARKING = 100;
    private static final long PARK_NANOS = 1_000;
    private static final VarHandle PUBLISHING;

    static
    {
        try
        {
            PUBLISHING = MethodHandles.lookup().findVarHandle(RingPublisher.class, "publishing", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final PublishGate gate;
    private final RingBuffer<MessageEvent> ring;
    private final int source;
    private final long[] dependencies;
    private final boolean[] remoteDependencies;
    private final SingleWriterCounter publishedOwn = new SingleWriterCounter();
    private final SingleWriterCounter publishedAsRemote = new SingleWriterCounter();
    /** The id of the last of this node's own messages this publisher published (set before the slot is published). */
    private final SingleWriterCounter lastOwnId = new SingleWriterCounter();
    private final SingleWriterCounter backpressure = new SingleWriterCounter();
    /** Publishes that met the pause for a lagging peer: not the ring's backpressure, which it may well not be. */
    private final SingleWriterCounter pauses = new SingleWriterCounter();
    private final SingleWriterCounter rejected = new SingleWriterCounter();

    private int priority;
    private long deadlineBudgetNanos;
    private long sentAtNanos;
    private int dependencyCount;
    private int remoteNode;
    private long remoteOriginId;
    private long remoteWall;
    private int remoteLogical;
    private boolean holdReserved;
    private boolean exemptFromPause;
    /** Publishes under way on the owning thread (a writer may publish again): the close waits for them. */
    private volatile int publishing;

    /**
     * @param gate            decides whether a publish may proceed, and numbers messages.
     * @param ring            the ingress ring.
     * @param source          the source component id stamped on each message.
     * @param maxDependencies {@code dependencies.max}.
     */
    public RingPublisher(final PublishGate gate, final RingBuffer<MessageEvent> ring, final int source,
        final int maxDependencies)
    {
        this.gate = gate;
        this.ring = ring;
        this.source = source;
        this.dependencies = new long[maxDependencies];
        this.remoteDependencies = new boolean[maxDependencies];
    }

    @Override
    public Publisher priority(final int priority)
    {
        if (priority < 0 || priority > 255)
        {
            resetOptions();
            throw new IllegalArgumentException("priority=" + priority + " must be in [0, 255]");
        }
        this.priority = priority;
        return this;
    }

    @Override
    public Publisher deadlineIn(final long nanos)
    {
        if (nanos < 0 || nanos > MAX_DEADLINE_NANOS)
        {
            resetOptions();
            throw new IllegalArgumentException("deadline budget " + nanos + "ns is outside [0, " + MAX_DEADLINE_NANOS +
                "] (0: no deadline; the most is about 31.7 years)");
        }
        this.deadlineBudgetNanos = nanos;
        return this;
    }

    @Override
    public Publisher dependsOn(final long messageId)
    {
        if (dependencyCount == dependencies.length)
        {
            resetOptions();
            throw new IllegalArgumentException("too many dependencies: at most " + dependencies.length +
                " per message (dependencies.max)");
        }
        remoteDependencies[dependencyCount] = false;
        dependencies[dependencyCount++] = messageId;
        return this;
    }

    @Override
    public Publisher dependsOn(final int node, final long originId)
    {
        if (node == gate.nodeId())
        {
            return dependsOn(originId);
        }
        final long dependency;
        try
        {
            dependency = RecordLayout.remoteDependency(node, originId);
        }
        catch (final IllegalArgumentException ex)
        {
            resetOptions();
            throw ex;
        }
        dependsOn(dependency);
        remoteDependencies[dependencyCount - 1] = true;
        return this;
    }

    @Override
    public Publisher sentAt(final long nanoTime)
    {
        this.sentAtNanos = nanoTime;
        return this;
    }

    @Override
    public Publisher remoteTimestamp(final int originNode, final long wall, final int logical)
    {
        if (originNode < 1 || originNode > 0xFFFF || logical < 0)
        {
            resetOptions();
            throw new IllegalArgumentException("remote node " + originNode + " must be in [1, 65535] and logical " +
                logical + " >= 0");
        }
        this.remoteNode = originNode;
        this.remoteOriginId = 0;
        this.remoteWall = wall;
        this.remoteLogical = logical;
        return this;
    }

    /**
     * Marks the next message as one another node published and shipped here: like {@link #remoteTimestamp}, and the
     * journal keeps the id its origin gave it, so that the origin's stream can be resumed and deduplicated.
     *
     * @param originNode the origin node's id, 1..65535.
     * @param originId   the id the origin node gave the message, >= 1.
     * @param wall       the origin's HLC wall component, epoch nanoseconds.
     * @param logical    the origin's HLC logical component, >= 0.
     * @return this.
     * @throws IllegalArgumentException for a node, id or logical out of range; the options given so far are reset.
     */
    public RingPublisher remoteOrigin(final int originNode, final long originId, final long wall, final int logical)
    {
        remoteTimestamp(originNode, wall, logical);
        if (originId < 1)
        {
            resetOptions();
            throw new IllegalArgumentException("origin id " + originId + " must be >= 1");
        }
        this.remoteOriginId = originId;
        return this;
    }

    /**
     * Exempts this publisher from {@link PublishGate#pause}: a node's receiver must go on journaling what peers send
     * while local publishers wait for a slow peer, or two nodes could wait for each other.
     *
     * @return this.
     */
    public RingPublisher exemptFromPause()
    {
        this.exemptFromPause = true;
        return this;
    }

    private boolean paused()
    {
        return !exemptFromPause && gate.isPaused();
    }

    @Override
    public <A> long publish(final int type, final PayloadWriter<A> writer, final A data)
    {
        enter();
        try
        {
            return publishWhenAccepting(type, writer, data);
        }
        finally
        {
            leave();
        }
    }

    private <A> long publishWhenAccepting(final int type, final PayloadWriter<A> writer, final A data)
    {
        gate.checkAccepting(type);
        if (paused())
        {
            pauses.increment();
            awaitUnpaused(type);
        }
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
                    gate.checkAccepting(type);
                }
                catch (final RuntimeException refused)
                {
                    returnHoldReservation();
                    resetOptions();
                    throw refused;
                }
                backOff(idle);
            }
        }
    }

    /**
     * Marks a publish under way before the gate is looked at: a volatile write, then the gate's volatile read of
     * whether it is closed, against the close's write of that and its read of {@link #isPublishing()}. So either this
     * publish sees the gate closed and refuses, or the close sees it under way and waits for its slot to be published
     * before draining the ring: a publish never returns the id of a message the stopped pipeline will not take.
     */
    private void enter()
    {
        publishing = publishing + 1; // only the owning thread writes it
    }

    private void leave()
    {
        PUBLISHING.setRelease(this, publishing - 1);
    }

    /** @return true while the owning thread is inside a publish. */
    public boolean isPublishing()
    {
        return 0 != publishing;
    }

    /** Waits while publishers are paused for a slow peer; a close or a failure ends the wait with an exception. */
    private void awaitUnpaused(final int type)
    {
        for (int idle = 0; paused(); idle++)
        {
            try
            {
                gate.checkAccepting(type);
            }
            catch (final RuntimeException refused)
            {
                resetOptions();
                throw refused;
            }
            backOff(idle);
        }
    }

    /** Spins a little, then parks briefly: a waiting publisher must leave the pipeline its core. */
    private static void backOff(final int idle)
    {
        if (idle < SPINS_BEFORE_PARKING)
        {
            Thread.onSpinWait();
        }
        else
        {
            LockSupport.parkNanos(PARK_NANOS);
        }
    }

    @Override
    public <A> long tryPublish(final int type, final PayloadWriter<A> writer, final A data)
    {
        enter();
        try
        {
            return tryPublishWhenAccepting(type, writer, data);
        }
        finally
        {
            leave();
        }
    }

    private <A> long tryPublishWhenAccepting(final int type, final PayloadWriter<A> writer, final A data)
    {
        gate.checkAccepting(type);
        if (paused())
        {
            pauses.increment();
            resetOptions();
            return RING_FULL;
        }
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

    @Override
    public long publishObject(final int type, final Object message)
    {
        gate.checkAccepting(type); // a closed or failed engine says so, before whether the type has a codec
        return publish(type, gate.codecWriter(type), message);
    }

    /** @return true when this message is refused before a slot is claimed; options are reset then. */
    private boolean refusedBeforeClaim()
    {
        if (0 != remoteNode && !gate.acceptsRemoteTimestamp(remoteWall))
        {
            rejected.increment();
            final long wall = remoteWall;
            resetOptions();
            throw new IllegalArgumentException("remote HLC timestamp " + wall + " is more than hlc.max-offset-ms " +
                "ahead of this node's clock: rejected");
        }
        if (0 < dependencyCount && gate.holdRejectsNew())
        {
            if (!gate.tryReserveHold())
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
            gate.releaseHoldReservation();
        }
    }

    private <A> long fill(final long sequence, final int type, final PayloadWriter<A> writer, final A data)
    {
        final MessageEvent event = ring.get(sequence);
        final long id = gate.idOf(sequence);
        final boolean remote = 0 != remoteNode;
        boolean written = false;
        try
        {
            final MessageRecord record = event.record();
            record.clear();
            record.id(id).type(type).source(source).priority(priority);
            if (remote)
            {
                // remoteTimestamp alone: that node gave it no id (0), so it stands for none of that node's messages
                record.originNode(remoteNode).originId(remoteOriginId)
                    .hlc(remoteWall, remoteLogical).flags(RecordFlags.REMOTE);
            }
            else
            {
                record.originNode(gate.nodeId()).originId(id);
            }
            record.dependencyCount(dependencyCount);
            for (int i = 0; i < dependencyCount; i++)
            {
                record.dependency(i, dependencies[i]);
            }
            for (int i = 0; i < dependencyCount; i++)
            {
                gate.checkDependency(id, dependencies[i], remoteDependencies[i]);
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
        catch (final BufferOverflowException ex)
        {
            throw new PayloadTooLargeException(type, event.record().payloadCapacity(), "the writer wrote past the end");
        }
        finally
        {
            // a claimed slot must always be published; a failed write travels as an invalid slot every stage skips
            event.valid(written);
            if (written)
            {
                holdReserved = false;
                // counted before the slot goes, so that no reader sees it delivered and not yet published
                (remote ? publishedAsRemote : publishedOwn).increment();
            }
            else
            {
                // refused whole, whatever the reason: a bad dependency, an oversize payload, a writer that threw
                rejected.increment();
                returnHoldReservation();
                gate.refused(id);
            }
            if (written && !remote)
            {
                lastOwnId.set(id); // before the slot goes: no one can see it journaled and not know of it
            }
            ring.publish(sequence);
            resetOptions();
        }
        return id;
    }

    /**
     * Refuses the received message being prepared because its node's clock is known (measured by the node's pings) to
     * run more than hlc.max-offset-ms ahead of this one's: counted with the remote timestamps refused as too far ahead,
     * and its options are reset; the HLC is not touched.
     */
    public void refuseForClockOffset()
    {
        gate.countRemoteRejection();
        rejected.increment();
        resetOptions();
    }

    private void resetOptions()
    {
        priority = 0;
        deadlineBudgetNanos = 0;
        sentAtNanos = 0;
        dependencyCount = 0;
        remoteNode = 0;
        remoteOriginId = 0;
    }

    @Override
    public int source()
    {
        return source;
    }

    @Override
    public long published()
    {
        return publishedOwn.get() + publishedAsRemote.get();
    }

    /** @return messages this publisher published as this node's own: the ones a node ships to its peers. */
    public long publishedOwn()
    {
        return publishedOwn.get();
    }

    @Override
    public long rejected()
    {
        return rejected.get();
    }

    @Override
    public long backpressureEvents()
    {
        return backpressure.get();
    }

    /**
     * @return publishes of this publisher that waited (publish) or were refused ({@code tryPublish}: {@link #RING_FULL})
     *     because a node paused application publishers for a lagging peer ({@code peer.lag-policy=block}).
     */
    public long pauseEvents()
    {
        return pauses.get();
    }

    /** @return the id of the last of this node's own messages this publisher published, 0 when none. */
    public long lastOwnId()
    {
        return lastOwnId.get();
    }
}
