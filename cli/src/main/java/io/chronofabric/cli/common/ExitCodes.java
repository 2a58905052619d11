package io.chronofabric.cli.common;

/** The exit codes every command uses. */
public final class ExitCodes
{
    /** Bad arguments or configuration: one line on stderr names what was wrong and what is allowed. */
    public static final int USAGE = 2;
    /** A finding (e.g. corruption, a lost message) or a failed run. */
    public static final int FAILURE = 1;
    /**
     * A file the command was asked to write (a report, a metrics file, an interval log, a plot) could not be written:
     * one line names it and the error; what the command did is as its other output says.
     */
    public static final int OUTPUT_NOT_WRITTEN = 3;

    private ExitCodes()
    {
    }
}
