package io.chronofabric.engine.internal.observability;

import io.chronofabric.engine.api.Message;
import io.chronofabric.engine.api.MessageHandler;

/**
 * A subscriber's handler with tracing around it: which message it runs since when, and how long it took.
 */
public final class TracedHandler implements MessageHandler
{
    private final MessageHandler handler;
    private final int subscriberId;
    private final FlowTracer tracer;

    TracedHandler(final MessageHandler handler, final int subscriberId, final FlowTracer tracer)
    {
        this.handler = handler;
        this.subscriberId = subscriberId;
        this.tracer = tracer;
    }

    @Override
    public void onMessage(final Message message) throws Exception
    {
        final long started = System.nanoTime();
        tracer.beforeHandler(message, subscriberId, started);
        try
        {
            handler.onMessage(message);
        }
        finally
        {
            tracer.afterHandler(message, subscriberId, started, System.nanoTime());
        }
    }
}
