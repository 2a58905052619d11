package io.chronofabric.perf.report;

import java.io.IOException;
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
}
