package io.chronofabric.engine.internal.pipeline;

/**
 * Knows whether the calling thread is one of an engine's pipeline threads, so that a publish from inside a handler
 * that finds the ring full fails at once instead of waiting for the very thread that would free a slot.
 */
final class PipelineThreads
{
    private static final ThreadLocal<Boolean> PIPELINE = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private PipelineThreads()
    {
    }

    /** Marks the calling thread as a pipeline thread; by each stage group as its thread starts. */
    static void markCurrent()
    {
        PIPELINE.set(Boolean.TRUE);
    }

    /** @return true on a pipeline thread (where handlers run). */
    public static boolean isCurrent()
    {
        return PIPELINE.get();
    }
}
