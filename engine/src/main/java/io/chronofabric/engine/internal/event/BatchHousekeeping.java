package io.chronofabric.engine.internal.event;

/**
 * A stage with work to do at the end of each batch that no message waits for (touching the journal's next page,
 * sampling the clocks): its thread runs it once every stage of the thread has seen the batch end, so that in a fused
 * layout the batch's messages are delivered first.
 */
public interface BatchHousekeeping
{
    /** The batch ended and every stage on this thread has seen it. */
    void afterBatch();
}
