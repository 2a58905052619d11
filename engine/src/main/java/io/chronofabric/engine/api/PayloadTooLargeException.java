package io.chronofabric.engine.api;

/**
 * A payload larger than the configured capacity. The message is rejected whole, never truncated, and is neither
 * journaled nor delivered.
 */
public final class PayloadTooLargeException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param type     the message type.
     * @param capacity the configured payload capacity in bytes.
     * @param detail   what was known about the size.
     */
    public PayloadTooLargeException(final int type, final int capacity, final String detail)
    {
        super("payload of message type " + type + " exceeds the payload capacity of " + capacity + " bytes (" + detail +
            "); the message was rejected, not truncated; raise payload.capacity to send it");
    }
}
