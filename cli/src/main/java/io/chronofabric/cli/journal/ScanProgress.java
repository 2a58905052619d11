package io.chronofabric.cli.journal;

import java.io.PrintWriter;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr for scans of large journals, drawn by the progressbar library on its own thread, without
 * colour codes, so that a redirected stderr stays readable. Shown only above {@link #THRESHOLD} records, so small
 * journals, scripts and JSON output stay quiet; stdout is never touched.
 */
final class ScanProgress implements AutoCloseable
{
    /** Scans of at most this many records show no bar. */
    static final long THRESHOLD = 100_000;
    private static final int STEP_MASK = 0xFFF;
    private static final int WIDTH = 100;

    private final ProgressBar bar;
    private final PrintWriter err;
    private long done;

    private ScanProgress(final ProgressBar bar, final PrintWriter err)
    {
        this.bar = bar;
        this.err = err;
    }

    /**
     * @param err   the command's error stream.
     * @param task  what is being done, e.g. {@code verify}.
     * @param total records expected; no bar at or below {@link #THRESHOLD}.
     * @return the progress, to step and close.
     */
    static ScanProgress start(final PrintWriter err, final String task, final long total)
    {
        if (total <= THRESHOLD)
        {
            return new ScanProgress(null, err);
        }
        final ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" msg", 1)
            .setStyle(ProgressBarStyle.UNICODE_BLOCK).showSpeed().setConsumer(new DelegatingProgressBarConsumer(line ->
            {
                err.print('\r');
                err.print(line);
                err.flush();
            }, WIDTH)).build();
        return new ScanProgress(bar, err);
    }

    /** Counts one record; the bar is moved every few thousand. */
    void step()
    {
        if (null != bar && 0 == (++done & STEP_MASK))
        {
            bar.stepTo(done);
        }
    }

    @Override
    public void close()
    {
        if (null != bar)
        {
            bar.stepTo(done);
            bar.close();
            err.println();
            err.flush();
        }
    }
}
