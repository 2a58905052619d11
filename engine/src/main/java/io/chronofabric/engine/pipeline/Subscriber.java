package io.chronofabric.engine.pipeline;

import io.chronofabric.engine.MessageHandler;
import io.chronofabric.engine.Subscription;

/**
 * A registered handler for one message type; closing it removes it from the {@link RoutingTable}.
 */
public final class Subscriber implements Subscription
{
    private final int type;
    private final MessageHandler handler;
    private final RoutingTable table;
    private final SingleWriterCounter failures = new SingleWriterCounter();
    private volatile boolean active = true;

    /**
     * @param type    the subscribed type.
     * @param handler the handler to invoke.
     * @param table   the table it is registered in.
     */
    public Subscriber(final int type, final MessageHandler handler, final RoutingTable table)
    {
        this.type = type;
        this.handler = handler;
        this.table = table;
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

    /** @return handler invocations that threw; written by the delivery thread. */
    public SingleWriterCounter failures()
    {
        return failures;
    }

    @Override
    public void close()
    {
        if (active)
        {
            active = false;
            table.remove(this);
        }
    }
}
