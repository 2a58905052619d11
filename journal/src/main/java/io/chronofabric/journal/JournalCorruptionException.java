package io.chronofabric.journal;

/**
 * A journaled record that cannot be trusted: unknown version, bad CRC, truncated or inconsistent.
 * It always names the Chronicle Queue index of the record, so an operator can find it; a corrupt record is never
 * handed to a reader as if it were valid.
 */
public final class JournalCorruptionException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final long index;
    private final String reason;

    /**
     * @param index  the Chronicle Queue index of the record.
     * @param reason what is wrong with it.
     */
    public JournalCorruptionException(final long index, final String reason)
    {
        super("corrupt journal record at index " + formatIndex(index) + ": " + reason);
        this.index = index;
        this.reason = reason;
    }

    /**
     * @return the Chronicle Queue index of the corrupt record.
     */
    public long index()
    {
        return index;
    }

    /**
     * @return what is wrong with the record, without the index.
     */
    public String reason()
    {
        return reason;
    }

    /**
     * Formats a queue index the way the tools print it: hexadecimal (cycle in the high bits) and decimal.
     *
     * @param index a Chronicle Queue index.
     * @return e.g. {@code 0x4e6a00000005 (86217173499909)}.
     */
    public static String formatIndex(final long index)
    {
        return "0x" + Long.toHexString(index) + " (" + index + ")";
    }
}
