package io.chronofabric.engine.internal.event;

/**
 * A stage that must see the end of every batch, even one whose last slot carried no message (a rejected publish
 * travels as an invalid slot that stages otherwise skip).
 */
public interface BatchEndListener
{
    /** The batch ended on a slot that carried no message. */
    void onBatchEndWithoutMessage();
}
