package io.chronofabric.engine.internal.pipeline;

import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.event.ReleaseSink;

/**
 * Releases on the sequencer's own thread: routes and delivers each message at once.
 */
final class InlineRelease implements ReleaseSink
{
    private final Router router;
    private final DeliveryStage delivery;

    /**
     * @param router   the router stage.
     * @param delivery the delivery stage.
     */
    public InlineRelease(final Router router, final DeliveryStage delivery)
    {
        this.router = router;
        this.delivery = delivery;
    }

    /** Delivery runs on the sequencer's thread: it starts there. */
    @Override
    public void start()
    {
        delivery.onStart();
    }

    @Override
    public void release(final MessageEvent message)
    {
        router.routeReleased(message);
        delivery.deliver(message);
    }

    @Override
    public void endOfRelease()
    {
        delivery.endOfBatch();
    }

    @Override
    public void idle()
    {
        delivery.onTimeout(-1);
    }

    /** Delivery runs on this thread, so its shutdown (closing the trace and dead-letter journals) does too. */
    @Override
    public void close()
    {
        delivery.onShutdown();
    }
}
