package io.chronofabric.engine.internal.pipeline;

import java.util.concurrent.atomic.AtomicLong;

import com.lmax.disruptor.ExceptionHandler;
import io.chronofabric.journal.JournalWriteException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.event.PipelineCounters;

/**
 * A failure that escaped a stage (subscribers' failures never do: they are handled where they are invoked) means the
 * stage's state can no longer be trusted: the engine fails closed, refusing publishes with the cause, and the pipeline
 * thread goes on draining, so that nothing waits for it forever and {@code close()} returns. The message the stage
 * failed on is stranded: it is never counted as settled, so the next engine on the journal delivers it. The
 * Disruptor's default handler would kill the thread instead and stall every publisher behind it.
 */
final class StageExceptionHandler implements ExceptionHandler<MessageEvent>
{
    private static final Logger LOG = LogManager.getLogger(StageExceptionHandler.class);
    /** A failure that repeats (a wall clock that throws at every idle tick) is logged this many times in full... */
    private static final long LOG_FIRST = 10;
    /** ...then once in this many. */
    private static final long LOG_EVERY = 10_000;

    private final PipelineCounters counters;
    private final AtomicLong failures = new AtomicLong();

    StageExceptionHandler(final PipelineCounters counters)
    {
        this.counters = counters;
    }

    /**
     * @param event the message being processed, or null when the failure came from an idle tick ({@code onTimeout}).
     */
    @Override
    public void handleEventException(final Throwable ex, final long sequence, final MessageEvent event)
    {
        if (null != event && event.isValid())
        {
            counters.strand(event.id());
        }
        if (JournalWriteException.isCauseOf(ex))
        {
            // the trace, settlement log or dead letters could not be written (a full disk): the journal failed
            counters.failJournal(ex);
        }
        else if (JournalWriteException.isMappedWriteFault(ex))
        {
            // a queue's mapped write faulted and the JVM raised it only after the write's own handler had returned
            counters.failJournal(new JournalWriteException(ex));
        }
        else
        {
            counters.failPipeline(ex);
        }
        final long failure = failures.incrementAndGet();
        if (failure <= LOG_FIRST || 0 == failure % LOG_EVERY)
        {
            // a full disk: the causes say it all, a stack trace is noise beside run's one line; a defect keeps it
            final boolean fileSystemFault = JournalWriteException.isFileSystemFault(ex);
            LOG.error("pipeline stage failed {} (ring sequence {}){}; the engine refuses publishes from now on " +
                "(stage failure {}: the first {} are logged, then one in {})",
                null == event ? "on an idle tick" : "on message " + event.id(), sequence,
                fileSystemFault ? ": " + JournalWriteException.causes(ex) : "", failure, LOG_FIRST, LOG_EVERY,
                fileSystemFault ? null : ex);
        }
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
