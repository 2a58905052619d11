package io.chronofabric.engine.internal.pipeline;

import com.lmax.disruptor.EventHandler;
import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.event.RoutingTable;

/**
 * Stage 3, router: attaches the current subscribers of the message's type. One array read from the
 * {@link RoutingTable}, no allocation; subscriptions may change while it runs.
 */
public final class Router implements EventHandler<MessageEvent>
{
    private final RoutingTable table;

    /**
     * @param table type to subscribers.
     */
    public Router(final RoutingTable table)
    {
        this.table = table;
    }

    @Override
    public void onEvent(final MessageEvent event, final long sequence, final boolean endOfBatch)
    {
        route(event);
    }

    /**
     * @param message a released message: attaches its type's current subscribers.
     */
    public void route(final MessageEvent message)
    {
        message.route(table.subscribersOf(message.record().type()));
        message.routedNanos(System.nanoTime());
    }
}
