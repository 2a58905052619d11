package io.chronofabric.engine.pipeline;

import com.lmax.disruptor.ExceptionHandler;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Logs a failure that escaped a stage and lets the pipeline thread go on with the next message: the Disruptor's
 * default handler would kill the thread and stall every publisher behind it.
 */
final class StageExceptionHandler implements ExceptionHandler<MessageEvent>
{
    private static final Logger LOG = LogManager.getLogger(StageExceptionHandler.class);

    @Override
    public void handleEventException(final Throwable ex, final long sequence, final MessageEvent event)
    {
        LOG.error("stage failed on message {} (ring sequence {}); the pipeline goes on", event.id(), sequence, ex);
    }

    @Override
    public void handleOnStartException(final Throwable ex)
    {
        LOG.error("pipeline thread failed to start", ex);
    }

    @Override
    public void handleOnShutdownException(final Throwable ex)
    {
        LOG.error("pipeline thread failed to shut down cleanly", ex);
    }
}
