package io.chronofabric.engine.api;

/**
 * A subscriber's callback, invoked on the delivery thread for each message of the subscribed type, in order.
 * An exception is counted and logged; it never stops the pipeline and never removes the message from the journal.
 */
@FunctionalInterface
public interface MessageHandler
{
    /**
     * @param message the delivered message, valid only during this call.
     * @throws Exception to report a failure for this message.
     */
    void onMessage(Message message) throws Exception;
}
