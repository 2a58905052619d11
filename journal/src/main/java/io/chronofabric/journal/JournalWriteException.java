package io.chronofabric.journal;

import java.nio.file.Path;

/**
 * A write to one of the journal's queues (the journal, the latency trace, the settlement log, the dead letters)
 * failed: a full disk (which a memory-mapped write reports as an {@link InternalError}, or SIGBUS), an I/O error, a
 * file that vanished. What the engine promised to record may not be recorded, so the engine fails as a journal
 * failure, whichever queue it was.
 */
public final class JournalWriteException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param dir   the queue's folder.
     * @param cause what Chronicle or the file system threw.
     */
    public JournalWriteException(final Path dir, final Throwable cause)
    {
        super("writing to " + dir + " failed: " + cause, cause);
    }

    /**
     * @param failure a failure.
     * @return true when it, or one of its causes, is a failed journal write.
     */
    public static boolean isCauseOf(final Throwable failure)
    {
        for (Throwable cause = failure; null != cause; cause = cause.getCause())
        {
            if (cause instanceof JournalWriteException)
            {
                return true;
            }
            if (cause == cause.getCause())
            {
                break;
            }
        }
        return false;
    }
}
