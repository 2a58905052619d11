package io.chronofabric.journal;

import java.nio.file.Path;

/**
 * The one error for a journal that cannot be used as it is: a record that cannot be trusted (unknown version, bad
 * CRC, truncated or inconsistent), a document of a queue beside it (trace, settlement log, dead letters) that cannot
 * be trusted, a file that is not a Chronicle Queue file (garbage, empty, truncated), a queue Chronicle fails to
 * read (its failure is the cause), a valid record larger than the reader's configured capacity, or a file a kill left
 * while Chronicle was creating it ({@link #unfinished()}: not damage, set aside by the next engine start). It always
 * says where: the Chronicle Queue index of the record or document, or the file and byte offset, so an operator can
 * find it; a record it concerns is never handed to a reader as if it were valid.
 */
public final class JournalCorruptionException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final long index;
    private final transient Path file;
    private final long offset;
    private final String reason;
    private final boolean overCapacity;
    private final boolean unfinished;

    /**
     * A corrupt journal record.
     *
     * @param index  the Chronicle Queue index of the record.
     * @param reason what is wrong with it.
     */
    public JournalCorruptionException(final long index, final String reason)
    {
        this("corrupt journal record at index " + formatIndex(index) + ": " + reason, index, null, -1, reason, false);
    }

    /**
     * A file of a journal folder that cannot be read as what it should be.
     *
     * @param file   the file.
     * @param offset the byte offset in it where the damage is.
     * @param reason what is wrong with it.
     */
    public JournalCorruptionException(final Path file, final long offset, final String reason)
    {
        this("corrupt journal file " + file + " at byte offset " + offset + ": " + reason, -1, file, offset, reason,
            false);
    }

    private JournalCorruptionException(final String message, final long index, final Path file, final long offset,
        final String reason, final boolean overCapacity)
    {
        this(message, index, file, offset, reason, overCapacity, null);
    }

    private JournalCorruptionException(final String message, final long index, final Path file, final long offset,
        final String reason, final boolean overCapacity, final Throwable cause)
    {
        this(message, index, file, offset, reason, overCapacity, false, cause);
    }

    private JournalCorruptionException(final String message, final long index, final Path file, final long offset,
        final String reason, final boolean overCapacity, final boolean unfinished, final Throwable cause)
    {
        super(message, cause);
        this.index = index;
        this.file = file;
        this.offset = offset;
        this.reason = reason;
        this.overCapacity = overCapacity;
        this.unfinished = unfinished;
    }

    /**
     * A file that a process killed while Chronicle was creating it left unfinished, and that holds nothing: not
     * damage, but Chronicle (and so every reader) cannot open its queue until an engine start sets it aside
     * ({@link JournalFileCheck#setAsideUnfinished}).
     *
     * @param file   the file.
     * @param reason what it holds, and why that is an unfinished creation.
     * @return the exception, {@link #unfinished()}.
     */
    static JournalCorruptionException unfinished(final Path file, final String reason)
    {
        return new JournalCorruptionException("unfinished journal file " + file + ": " + reason, -1, file, 0, reason,
            false, true, null);
    }

    /**
     * A file a journal folder's queue cannot do without, missing.
     *
     * @param file   the file.
     * @param reason why the queue needs it, and what its absence costs.
     * @return the exception.
     */
    static JournalCorruptionException missing(final Path file, final String reason)
    {
        return new JournalCorruptionException("missing journal file " + file + ": " + reason, -1, file, 0, reason,
            false);
    }

    /**
     * A journal folder whose queues contradict each other, each readable on its own.
     *
     * @param journalDir the folder.
     * @param reason     what contradicts what, and what made such a folder.
     * @return the exception.
     */
    public static JournalCorruptionException inconsistent(final Path journalDir, final String reason)
    {
        return new JournalCorruptionException("inconsistent journal folder " + journalDir + ": " + reason, -1,
            journalDir, 0, reason, false);
    }

    /**
     * A corrupt document of one of the queues beside the journal's records.
     *
     * @param what     what the document is, e.g. {@code settlement document}.
     * @param queueDir the queue's folder, e.g. {@code data/journal/settled}.
     * @param index    the document's index in that queue.
     * @param reason   what is wrong with it.
     * @return the exception.
     */
    public static JournalCorruptionException document(final String what, final Path queueDir, final long index,
        final String reason)
    {
        return new JournalCorruptionException("corrupt " + what + " at index " + formatIndex(index) + " of " +
            queueDir + ": " + reason, index, null, -1, reason, false);
    }

    /**
     * A queue that Chronicle itself fails to read (damage in its framing or index that made it throw rather than hand
     * over a document, or trip one of its assertions where those are enabled); the failure is the cause.
     *
     * @param queueDir   the queue's folder.
     * @param afterIndex the index of the last document read before the failure, -1 for none.
     * @param cause      Chronicle's failure.
     * @return the exception.
     */
    public static JournalCorruptionException unreadable(final Path queueDir, final long afterIndex,
        final Throwable cause)
    {
        final String reason = "Chronicle fails to read it " + (afterIndex < 0 ? "before the first document" :
            "after index " + formatIndex(afterIndex)) + ": " + cause;
        return new JournalCorruptionException("unreadable journal queue " + queueDir + ": " + reason, afterIndex, null,
            -1, reason, false, cause);
    }

    /**
     * A valid journal record that this reader's capacity cannot hold: the journal was written with larger settings.
     *
     * @param index  the Chronicle Queue index of the record.
     * @param reason how large the record is, and which setting to raise to what.
     * @return the exception.
     */
    public static JournalCorruptionException overCapacity(final long index, final String reason)
    {
        return new JournalCorruptionException("journal record at index " + formatIndex(index) + " is larger than " +
            "the configured capacity: " + reason, index, null, -1, reason, true);
    }

    /**
     * @return the Chronicle Queue index of the record or document, -1 for a damaged file.
     */
    public long index()
    {
        return index;
    }

    /**
     * @return the damaged file, or null when the problem is a record or document.
     */
    public Path file()
    {
        return file;
    }

    /**
     * @return the byte offset of the damage in {@link #file()}, -1 when the problem is a record or document.
     */
    public long offset()
    {
        return offset;
    }

    /**
     * @return what is wrong, without the index or file.
     */
    public String reason()
    {
        return reason;
    }

    /**
     * @return true when the record is valid but larger than the reader's capacity; the reason names the setting.
     */
    public boolean overCapacity()
    {
        return overCapacity;
    }

    /**
     * @return true when the file is one a crash left while Chronicle was creating it, holding nothing: the next engine
     *     start sets it aside ({@link JournalFileCheck#setAsideUnfinished}); not damage.
     */
    public boolean unfinished()
    {
        return unfinished;
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
