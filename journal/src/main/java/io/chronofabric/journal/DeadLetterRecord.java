package io.chronofabric.journal;

/**
 * A dead letter as read back from the journal.
 *
 * @param messageId    the message's id (the message itself is in the main journal).
 * @param type         the message's type.
 * @param subscriberId the subscriber it failed for, or {@link DeadLetterJournal#WHOLE_MESSAGE}.
 * @param reason       why it was dead-lettered.
 * @param attempts     delivery attempts made.
 * @param epochNanos   when it was decided.
 */
public record DeadLetterRecord(long messageId, int type, int subscriberId, DeadLetterReason reason, int attempts,
    long epochNanos)
{
}
