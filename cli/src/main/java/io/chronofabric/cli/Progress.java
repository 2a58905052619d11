package io.chronofabric.cli;

import java.io.PrintWriter;

/**
 * A progress line on stderr for long runs: written at most once a second, only once a run has lasted a second,
 * so short runs and scripted use stay quiet.
 */
final class Progress
{
    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final PrintWriter err;
    private final long total;
    private final long startNanos = System.nanoTime();
    private long lastPrintNanos = startNanos;
    private boolean printed;

    Progress(final PrintWriter err, final long total)
    {
        this.err = err;
        this.total = total;
    }

    void update(final long done)
    {
        final long now = System.nanoTime();
        if (now - lastPrintNanos < INTERVAL_NANOS)
        {
            return;
        }
        lastPrintNanos = now;
        printed = true;
        final double seconds = (now - startNanos) / 1e9;
        err.printf("\rprogress: %,d / %,d messages (%.0f%%), %,.0f msg/s   ", done, total, 100.0 * done / total,
            done / seconds);
        err.flush();
    }

    /** The run failed: erase the progress line, so that the error printed next stands alone. */
    void abandon()
    {
        if (printed)
        {
            err.print("\r" + " ".repeat(80) + "\r");
            err.flush();
        }
    }

    void finish()
    {
        if (printed)
        {
            err.println();
            err.flush();
        }
    }
}
