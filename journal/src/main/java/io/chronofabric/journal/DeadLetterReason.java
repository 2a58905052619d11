package io.chronofabric.journal;

import java.util.Locale;

/**
 * Why a message went to the dead-letter path instead of (or for one subscriber instead of) being delivered.
 */
public enum DeadLetterReason
{
    /** A declared dependency did not arrive within the hold timeout. */
    DEPENDENCY_TIMEOUT,
    /** A declared dependency was itself dead-lettered, so this message can never be causally complete. */
    DEPENDENCY_DEAD_LETTERED,
    /** The hold buffer was full and the overflow policy dead-lettered the oldest held message. */
    HOLD_OVERFLOW,
    /** The deadline passed before delivery and the deadline policy is expire. */
    EXPIRED,
    /** The subscriber failed on every attempt its retry policy allows. */
    RETRIES_EXHAUSTED,
    /** The retry policy's overall timeout passed before the subscriber succeeded. */
    RETRY_TIMEOUT,
    /** Messages queued behind a retrying subscriber exceeded its queue bound. */
    RETRY_QUEUE_FULL,
    /**
     * The engine closed while the message was held for a dependency that can no longer arrive (nothing is published
     * after close): dead-lettered so that nothing journaled is left unsettled.
     */
    ENGINE_CLOSED,
    /**
     * The message depends on one still being retried, and {@code dependents.queue-limit} dependents already wait
     * for such messages: memory stays bounded however long a retry lasts.
     */
    DEPENDENT_QUEUE_FULL;

    /** @return the lower-case name used in metrics labels and tool output, e.g. {@code dependency_timeout}. */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
