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
     * A write into a queue's memory mapping that the file system could not back (a full disk), which the JVM reports
     * as an {@link InternalError} at its next safepoint, possibly after the write's own handler had returned: which
     * queue it was cannot be told.
     *
     * @param cause the JVM's report.
     */
    public JournalWriteException(final Throwable cause)
    {
        super("writing to one of the journal's queues failed (the fault was reported after the write had returned, " +
            "so which queue is not known): " + cause, cause);
    }

    /**
     * @param failure a failure.
     * @return true when it, or one of its causes, is the JVM's report of a fault in a write into a memory mapping,
     *     which in the pipeline only the journal's queues do.
     */
    public static boolean isMappedWriteFault(final Throwable failure)
    {
        return anyCause(failure, cause -> cause instanceof InternalError &&
            String.valueOf(cause.getMessage()).contains("unsafe memory access"));
    }

    /**
     * @param failure a failure.
     * @return true when it, or one of its causes, is a failed journal write.
     */
    public static boolean isCauseOf(final Throwable failure)
    {
        return anyCause(failure, cause -> cause instanceof JournalWriteException);
    }

    /**
     * @param failure a failure.
     * @return true when the file system refused a write (one of its causes is an {@link java.io.IOException}, such as
     *     a full disk, or a fault in a write into a memory mapping): the host's condition, not a defect, so its
     *     messages say all there is and a stack trace is noise.
     */
    public static boolean isFileSystemFault(final Throwable failure)
    {
        // a channel closed under a write (or by an interrupt) is this process's doing
        return anyCause(failure, cause -> cause instanceof java.io.IOException &&
            !(cause instanceof java.nio.channels.ClosedChannelException)) || isMappedWriteFault(failure);
    }

    /**
     * @param failure a failure.
     * @return its message and its causes', one line: what a log shows of a {@link #isFileSystemFault file system
     *     fault} in place of a stack trace.
     */
    public static String causes(final Throwable failure)
    {
        final StringBuilder line = new StringBuilder();
        anyCause(failure, cause ->
        {
            final String text = String.valueOf(cause);
            if (line.indexOf(text) < 0)
            {
                line.append(line.length() > 0 ? " <- " : "").append(text);
            }
            return false;
        });
        return line.toString();
    }

    /** @return true when {@code failure} or one of its causes matches, walking the chain once (a cycle ends it). */
    private static boolean anyCause(final Throwable failure, final java.util.function.Predicate<Throwable> matches)
    {
        for (Throwable cause = failure; null != cause; cause = cause.getCause())
        {
            if (matches.test(cause))
            {
                return true;
            }
            if (cause == cause.getCause() || failure == cause.getCause())
            {
                break;
            }
        }
        return false;
    }
}
