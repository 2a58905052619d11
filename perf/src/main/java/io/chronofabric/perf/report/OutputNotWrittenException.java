package io.chronofabric.perf.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A file a command was asked to write (a report, a metrics file, an interval log, a plot) could not be written: a
 * full disk or an I/O error. Its message names the file and the error in one line; what the command did or measured
 * is as its other output says.
 */
public final class OutputNotWrittenException extends UncheckedIOException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param file  the file.
     * @param cause the failure.
     */
    public OutputNotWrittenException(final Path file, final IOException cause)
    {
        super("cannot write " + file + ": " + (null == cause.getMessage() ? cause.toString() : cause.getMessage()),
            cause);
    }

    /**
     * A command that failed for a reason of its own, already said, keeps its exit code, and this failure is one more
     * line; a command that did what it was asked fails with this (exit 3).
     *
     * @param exit the command's exit code without this failure.
     * @param err  where the command says what went wrong.
     * @return {@code exit}, when it is not 0.
     * @throws OutputNotWrittenException this, when {@code exit} is 0.
     */
    public int after(final int exit, final PrintWriter err)
    {
        if (0 == exit)
        {
            throw this;
        }
        err.println("chronofabric: " + getMessage());
        err.flush();
        return exit;
    }
}
