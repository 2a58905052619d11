package io.chronofabric.engine.internal;

import java.util.ArrayDeque;
import java.util.Deque;

import io.chronofabric.engine.internal.pipeline.Pipeline;

/**
 * What an engine's start has taken so far (the journal lock, open queues, the pipeline threads, the monitor), so that
 * a start that fails half-way releases all of it, in reverse order, and leaves no thread, mapping or lock behind.
 */
final class StartUp
{
    private static final long STOP_TIMEOUT_MILLIS = 10_000;

    private final Deque<AutoCloseable> taken = new ArrayDeque<>();
    private final Deque<AutoCloseable> ownedByStages = new ArrayDeque<>();
    private Pipeline pipeline;

    /**
     * @param resource something to release if the start fails.
     * @param <T>      its type.
     * @return the resource.
     */
    public <T extends AutoCloseable> T take(final T resource)
    {
        taken.push(resource);
        return resource;
    }

    /**
     * @param resource a writer handed to a stage: the stage closes it when its thread stops, or, if the pipeline
     *                 never started, the failed start does.
     * @param <T>      its type.
     * @return the resource.
     */
    public <T extends AutoCloseable> T handToStage(final T resource)
    {
        ownedByStages.push(resource);
        return resource;
    }

    /** @param started the pipeline, now running: stopping it closes what its stages own. */
    public void pipelineStarted(final Pipeline started)
    {
        this.pipeline = started;
        ownedByStages.clear();
    }

    /**
     * Releases everything taken, in reverse order.
     *
     * @param failure why the start failed; what fails while releasing is added to it as suppressed.
     */
    public void release(final Throwable failure)
    {
        if (null != pipeline)
        {
            try
            {
                pipeline.drainAndStop(STOP_TIMEOUT_MILLIS);
            }
            catch (final RuntimeException ex)
            {
                failure.addSuppressed(ex);
            }
        }
        closeAll(ownedByStages, failure);
        closeAll(taken, failure);
    }

    private static void closeAll(final Deque<AutoCloseable> resources, final Throwable failure)
    {
        while (!resources.isEmpty())
        {
            try
            {
                resources.pop().close();
            }
            catch (final Exception ex)
            {
                failure.addSuppressed(ex);
            }
        }
    }
}
