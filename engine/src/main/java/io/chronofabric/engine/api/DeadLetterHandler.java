package io.chronofabric.engine.api;

/**
 * Consumes dead letters, on the delivery thread, after they are journaled. A handler that throws is counted and
 * logged; dead letters are not retried.
 */
@FunctionalInterface
public interface DeadLetterHandler
{
    /**
     * @param deadLetter the dead letter, valid only during this call.
     */
    void onDeadLetter(DeadLetter deadLetter);
}
