package io.chronofabric.engine.internal.event;

import java.nio.ByteBuffer;

import io.chronofabric.engine.api.Message;

/**
 * The read-only {@link Message} a handler receives: a view over the slot being delivered, re-pointed for each call
 * (one view per delivering thread, so delivery allocates nothing). A handler cannot reach the slot through it, nor
 * change what later stages or other subscribers see.
 */
public final class MessageView implements Message
{
    private MessageEvent event;

    /**
     * @param event the slot to show.
     * @return this view, now showing it.
     */
    public Message wrap(final MessageEvent event)
    {
        this.event = event;
        return this;
    }

    /** @return the slot shown: for the engine's own tracing, not for handlers. */
    public MessageEvent event()
    {
        return event;
    }

    @Override
    public long id()
    {
        return event.id();
    }

    @Override
    public int originNode()
    {
        return event.record().originNode();
    }

    @Override
    public long originId()
    {
        return event.record().originId();
    }

    @Override
    public int type()
    {
        return event.type();
    }

    @Override
    public int source()
    {
        return event.source();
    }

    @Override
    public int priority()
    {
        return event.priority();
    }

    @Override
    public long hlcWall()
    {
        return event.hlcWall();
    }

    @Override
    public int hlcLogical()
    {
        return event.hlcLogical();
    }

    @Override
    public long deadlineEpochNanos()
    {
        return event.deadlineEpochNanos();
    }

    @Override
    public int dependencyCount()
    {
        return event.dependencyCount();
    }

    @Override
    public long dependency(final int i)
    {
        return event.dependency(i);
    }

    @Override
    public ByteBuffer payload()
    {
        return event.payload();
    }

    @Override
    public boolean isRedelivery()
    {
        return event.isRedelivery();
    }

    @Override
    public String toString()
    {
        return "Message[id=" + event.id() + ", type=" + event.type() + "]";
    }
}
