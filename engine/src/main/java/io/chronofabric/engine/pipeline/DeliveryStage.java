package io.chronofabric.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.chronofabric.engine.Stage;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Stage 4, delivery: invokes each routed subscriber's handler, in subscription order, then records the
 * publish-to-deliver latency. A handler that throws is counted and logged and the next subscriber still gets the
 * message; the pipeline thread never dies of a handler.
 */
public final class DeliveryStage implements EventHandler<MessageEvent>
{
    private static final Logger LOG = LogManager.getLogger(DeliveryStage.class);
    /** Failures logged in full per subscriber before logging only every {@code LOG_EVERY}th. */
    private static final long LOG_FIRST = 10;
    private static final long LOG_EVERY = 10_000;

    private final PipelineCounters counters;

    /**
     * @param counters the engine's counters.
     */
    public DeliveryStage(final PipelineCounters counters)
    {
        this.counters = counters;
    }

    @Override
    public void onEvent(final MessageEvent event, final long sequence, final boolean endOfBatch)
    {
        final Subscriber[] route = event.route();
        for (final Subscriber subscriber : route)
        {
            if (subscriber.isActive())
            {
                invoke(subscriber, event);
            }
        }
        if (0 == route.length)
        {
            counters.unrouted().increment();
        }
        final long now = System.nanoTime();
        counters.endToEnd().record(now - event.publishedNanos());
        counters.stage(Stage.JOURNAL).record(event.journaledNanos() - event.publishedNanos());
        counters.stage(Stage.SEQUENCER).record(event.sequencedNanos() - event.journaledNanos());
        counters.stage(Stage.ROUTER).record(event.routedNanos() - event.sequencedNanos());
        counters.stage(Stage.DELIVERY).record(now - event.routedNanos());
        counters.delivered().increment();
    }

    private void invoke(final Subscriber subscriber, final MessageEvent event)
    {
        try
        {
            subscriber.handler().onMessage(event);
        }
        catch (final VirtualMachineError error)
        {
            throw error;
        }
        catch (final Throwable failure)
        {
            counters.handlerFailures().increment();
            subscriber.failures().increment();
            final long failures = subscriber.failures().get();
            if (failures <= LOG_FIRST || 0 == failures % LOG_EVERY)
            {
                LOG.warn("subscriber of type {} failed on message {} (failure {} of this subscriber); delivery goes on",
                    subscriber.type(), event.id(), failures, failure);
            }
        }
    }
}
