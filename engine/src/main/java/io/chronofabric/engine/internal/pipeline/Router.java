package io.chronofabric.engine.internal.pipeline;

import com.lmax.disruptor.EventHandler;
import io.chronofabric.engine.internal.clock.MonotonicClock;
import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.event.RoutingTable;

/**
 * Stage 3, router: attaches the current subscribers of the message's type. One array read from the
 * {@link RoutingTable}, no allocation; subscriptions may change while it runs.
 */
public final class Router implements EventHandler<MessageEvent>
{
    private final RoutingTable table;
    private final MonotonicClock clock;

    /**
     * @param table type to subscribers.
     */
    public Router(final RoutingTable table)
    {
        this(table, MonotonicClock.SYSTEM);
    }

    /**
     * @param table type to subscribers.
     * @param clock stamps the time each message is routed.
     */
    public Router(final RoutingTable table, final MonotonicClock clock)
    {
        this.table = table;
        this.clock = clock;
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
        message.routedNanos(clock.nanoTime());
    }

    /**
     * Routes a message the sequencer released on this same thread a moment ago: its routing time is its release time
     * (a table lookup of a few nanoseconds is not worth a clock read per message).
     *
     * @param message a released message: attaches its type's current subscribers.
     */
    public void routeReleased(final MessageEvent message)
    {
        message.route(table.subscribersOf(message.record().type()));
        message.routedNanos(message.sequencedNanos());
    }
}
