package io.chronofabric.engine.internal.pipeline;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

import io.chronofabric.engine.api.EngineFailedException;
import io.chronofabric.engine.api.HoldOverflowPolicy;
import io.chronofabric.engine.api.JournalFailedException;
import io.chronofabric.engine.api.MessageCodec;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.WallClock;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.internal.event.PipelineCounters;
import io.chronofabric.engine.internal.sequencing.TemporalCounters;

/**
 * What every publish of one engine is checked against, and how its ids are numbered: open (started, not closed, not
 * failed), a known type, a possible dependency, a remote clock within the allowed offset, hold space under
 * {@code reject-new}. The engine opens and closes it; publishers only ask it.
 */
public final class PublishGate
{
    private final PipelineCounters counters;
    private final TemporalCounters temporal;
    private final WallClock wallClock;
    private final long hlcMaxOffsetNanos;
    private final int dependencyWindow;
    private final int maxMessageTypes;
    private final int holdCapacity;
    private final boolean holdRejectsNew;
    private final PayloadWriter<Object>[] codecWriters;
    private final MessageCodec<?>[] codecs;
    private final AtomicLong remoteRejections = new AtomicLong();
    private final RefusedIds refusedIds = new RefusedIds();
    private final int nodeId;
    private volatile long idOffset;
    private volatile boolean open;
    private volatile boolean paused;
    private volatile boolean closed;

    /**
     * @param context  the engine's settings.
     * @param counters the pipeline's counters: the failure and the acknowledged id.
     * @param temporal the temporal counters: hold reservations.
     */
    public PublishGate(final EngineConfiguration context, final PipelineCounters counters, final TemporalCounters temporal)
    {
        this.counters = counters;
        this.temporal = temporal;
        this.wallClock = context.wallClock();
        this.hlcMaxOffsetNanos = context.hlcMaxOffsetNanos();
        this.nodeId = context.nodeId();
        this.dependencyWindow = context.dependencyWindow();
        this.maxMessageTypes = context.maxMessageTypes();
        this.holdCapacity = context.holdCapacity();
        this.holdRejectsNew = HoldOverflowPolicy.REJECT_NEW == context.holdOverflow();
        this.codecs = new MessageCodec<?>[maxMessageTypes];
        this.codecWriters = codecWriters(context, codecs);
    }

    /**
     * Opens the gate once start-up (recovery included) is done.
     *
     * @param idOffset what the ring sequence is offset by to give message ids.
     */
    public void open(final long idOffset)
    {
        this.idOffset = idOffset;
        this.open = true;
    }

    /** @return this node's id, stamped as the origin of every message published here. */
    int nodeId()
    {
        return nodeId;
    }

    /**
     * Makes application publishers wait (or get {@code RING_FULL}) while set, as a full ring does; publishers marked
     * {@link RingPublisher#exemptFromPause()} (a node's receiver) go on.
     *
     * @param paused true to pause, false to let publishers go on.
     */
    public void pause(final boolean paused)
    {
        this.paused = paused;
    }

    /** @return true while application publishers are paused. */
    public boolean isPaused()
    {
        return paused;
    }

    /** Closes the gate for good: every later publish is refused. */
    public void close()
    {
        closed = true;
    }

    /** @return true once {@link #close()} was called. */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * @param type the message type of a publish.
     * @throws IllegalStateException    when the engine is closed, still starting, or failed.
     * @throws IllegalArgumentException for a type outside {@code types.max}.
     */
    public void checkAccepting(final int type)
    {
        if (closed)
        {
            throw new IllegalStateException("engine is closed");
        }
        if (!open)
        {
            throw new IllegalStateException("engine is still starting (recovery in progress); publish once start returns");
        }
        throwIfFailed();
        checkType(type);
    }

    /**
     * @throws JournalFailedException when the journal failed, {@link EngineFailedException} when a stage did.
     */
    public void throwIfFailed()
    {
        final Throwable failure = counters.failure();
        if (null != failure)
        {
            throw counters.journalFailed() ? new JournalFailedException(counters.acknowledgedId(), failure) :
                new EngineFailedException("a pipeline stage failed (" + EngineFailedException.describe(failure) +
                    "); messages up to id " + counters.acknowledgedId() + " are acknowledged, and the engine refuses " +
                    "publishes", failure);
        }
    }

    /**
     * @param type a message type.
     * @throws IllegalArgumentException outside [0, types.max).
     */
    public void checkType(final int type)
    {
        if (type < 0 || type >= maxMessageTypes)
        {
            throw new IllegalArgumentException("message type " + type + " is outside [0, " + (maxMessageTypes - 1) +
                "] (types.max=" + maxMessageTypes + ")");
        }
    }

    boolean holdRejectsNew()
    {
        return holdRejectsNew;
    }

    boolean tryReserveHold()
    {
        return temporal.tryReserveHold(holdCapacity);
    }

    void releaseHoldReservation()
    {
        temporal.releaseHoldReservation();
    }

    boolean acceptsRemoteTimestamp(final long remoteWall)
    {
        if (remoteWall - wallClock.epochNanos() > hlcMaxOffsetNanos)
        {
            remoteRejections.incrementAndGet();
            return false;
        }
        return true;
    }

    /** A received message refused because its node's clock is known to run too far ahead: counted with the others. */
    void countRemoteRejection()
    {
        remoteRejections.incrementAndGet();
    }

    /** @return remote timestamps refused at publish for being too far ahead. */
    public long remoteRejections()
    {
        return remoteRejections.get();
    }

    /**
     * @param id         the id of the message declaring it.
     * @param dependency a dependency it declares.
     * @param remote     whether it was declared as a message of another node ({@code dependsOn(node, originId)}),
     *                   encoded and checked then: whether it exists is known only when it arrives, so none of the
     *                   checks of a local id apply. A negative id declared as a local one cannot exist.
     */
    void checkDependency(final long id, final long dependency, final boolean remote)
    {
        if (remote)
        {
            return;
        }
        if (dependency == id)
        {
            throw new IllegalArgumentException("message " + id + " cannot depend on itself");
        }
        if (dependency > id)
        {
            throw new IllegalArgumentException("dependency " + dependency + " of message " + id +
                " is from the future: a message can only depend on ids returned by earlier publishes");
        }
        if (dependency < 1)
        {
            throw new IllegalArgumentException("dependency " + dependency + " cannot exist: message ids start at 1");
        }
        if (id - dependency >= dependencyWindow)
        {
            throw new IllegalArgumentException("dependency " + dependency + " of message " + id + " is too old to be " +
                "tracked: it is " + (id - dependency) + " ids back; allowed: fewer than dependencies.window=" +
                dependencyWindow + " ids back");
        }
    }

    /** A publish was refused after claiming the slot of {@code id}: the id was used, and is never journaled. */
    void refused(final long id)
    {
        refusedIds.add(id);
    }

    /**
     * @param id a message id handed out by the ring.
     * @return true when the publish of that id was refused (among the newest {@value RefusedIds#CAPACITY} refusals).
     */
    public boolean wasRefused(final long id)
    {
        return refusedIds.contains(id);
    }

    /**
     * @param sequence a ring sequence.
     * @return the message id of the slot.
     */
    public long idOf(final long sequence)
    {
        return idOffset + sequence + 1;
    }

    PayloadWriter<Object> codecWriter(final int type)
    {
        checkType(type);
        final PayloadWriter<Object> writer = codecWriters[type];
        if (null == writer)
        {
            throw new IllegalArgumentException("no codec registered for message type " + type);
        }
        return writer;
    }

    /**
     * @param type a message type.
     * @return its registered codec.
     * @throws IllegalArgumentException for a type outside {@code types.max} or without a codec.
     */
    public MessageCodec<?> codec(final int type)
    {
        checkType(type);
        final MessageCodec<?> codec = codecs[type];
        if (null == codec)
        {
            throw new IllegalArgumentException("no codec registered for message type " + type);
        }
        return codec;
    }

    @SuppressWarnings("unchecked")
    private static PayloadWriter<Object>[] codecWriters(final EngineConfiguration context, final MessageCodec<?>[] codecs)
    {
        final PayloadWriter<Object>[] writers = new PayloadWriter[codecs.length];
        for (int type = 0; type < writers.length; type++)
        {
            final MessageCodec<Object> codec = (MessageCodec<Object>)context.codecFor(type);
            codecs[type] = codec;
            if (null != codec)
            {
                writers[type] = (Object message, ByteBuffer payload) -> codec.encode(message, payload);
            }
        }
        return writers;
    }
}
