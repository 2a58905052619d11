package io.chronofabric.engine.internal.pipeline;

/**
 * Knows whether the calling thread is one of an engine's pipeline threads (where handlers run), and whether it is
 * the one that journals, so that a call from inside a handler that would wait for that very thread fails at once
 * instead: a publish finding the ring full, a close, an acknowledgement wait.
 */
public final class PipelineThreads
{
    private static final int NONE = 0;
    private static final int PIPELINE = 1;
    private static final int JOURNALING = 2;
    private static final ThreadLocal<Integer> ROLE = ThreadLocal.withInitial(() -> NONE);

    private PipelineThreads()
    {
    }

    /**
     * Marks the calling thread as a pipeline thread; by each stage group as its thread starts.
     *
     * @param journaling true when the thread runs the journal stage.
     */
    static void markCurrent(final boolean journaling)
    {
        ROLE.set(journaling ? JOURNALING : PIPELINE);
    }

    /** @return true on a pipeline thread (where handlers run). */
    public static boolean isCurrent()
    {
        return NONE != ROLE.get();
    }

    /** @return true on the pipeline thread that runs the journal stage: acknowledgements wait for it. */
    public static boolean isJournaling()
    {
        return JOURNALING == ROLE.get();
    }
}
