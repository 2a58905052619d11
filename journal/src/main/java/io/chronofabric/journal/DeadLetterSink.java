package io.chronofabric.journal;

/**
 * Where dead letters are recorded: {@link DeadLetterJournal} on a journal; a test captures them instead.
 * Single-threaded (the delivery thread).
 */
public interface DeadLetterSink extends AutoCloseable
{
    /**
     * Appends one dead letter.
     *
     * @param messageId    the message's id.
     * @param type         the message's type.
     * @param subscriberId the subscriber it failed for, or {@link DeadLetterJournal#WHOLE_MESSAGE}.
     * @param reason       why.
     * @param attempts     delivery attempts made.
     * @param epochNanos   when it was decided.
     */
    void append(long messageId, int type, int subscriberId, DeadLetterReason reason, int attempts, long epochNanos);

    /**
     * Makes the dead letters appended so far as durable as the journal's policy says; at the end of each delivery
     * batch, before the settlement log records them as settled.
     */
    void sync();

    /** Closes it. */
    @Override
    void close();
}
