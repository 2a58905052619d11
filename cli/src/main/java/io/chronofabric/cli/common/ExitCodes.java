package io.chronofabric.cli.common;

/** The exit codes every command uses. */
public final class ExitCodes
{
    /** Bad arguments or configuration: one line on stderr names what was wrong and what is allowed. */
    public static final int USAGE = 2;
    /** A finding (e.g. corruption, a lost message) or a failed run. */
    public static final int FAILURE = 1;

    private ExitCodes()
    {
    }
}
