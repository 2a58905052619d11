package io.chronofabric.engine.api;

import io.chronofabric.journal.DeadLetterReason;

/**
 * What a dead-letter subscriber receives: the message that could not be delivered, to whom, and why. Like
 * {@link Message}, valid only during the handler call.
 */
public interface DeadLetter
{
    /** @return the message (its id, type, payload...). */
    Message message();

    /** @return the id of the subscriber it failed for, or -1 when it was dead-lettered before delivery. */
    int subscriberId();

    /** @return why. */
    DeadLetterReason reason();

    /** @return delivery attempts made. */
    int attempts();
}
