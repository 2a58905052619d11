package io.chronofabric.cli.journal;

import java.nio.file.Path;

import io.chronofabric.journal.JournalCorruptionException;
import io.chronofabric.journal.TraceEntry;
import io.chronofabric.journal.TraceReader;

/**
 * Walks a journal's latency trace entry by entry with the same distrust as {@link RecordScan}: a corrupt trace
 * document is a finding and the scan goes on with the next document; any other failure ends the scan.
 */
final class TraceScan implements AutoCloseable
{
    private final TraceEntry entry = new TraceEntry();
    private final TraceReader reader;
    private final Problems problems;
    private RuntimeException openFailure;
    private long lastCorruptIndex = -1;
    private boolean stopped;
    private long entries;

    /**
     * @param journalDir a journal folder; a missing trace reads as empty.
     * @param problems   where corrupt or unreadable trace documents are reported.
     */
    TraceScan(final Path journalDir, final Problems problems)
    {
        this.problems = problems;
        TraceReader opened = null;
        if (TraceReader.exists(journalDir))
        {
            try
            {
                opened = new TraceReader(journalDir);
            }
            catch (final RuntimeException ex)
            {
                openFailure = ex;
            }
        }
        this.reader = opened;
    }

    /**
     * @return the next valid entry, or null at the end of the trace (or once it became unreadable).
     */
    TraceEntry next()
    {
        if (null != openFailure)
        {
            problems.add("trace", -1, "unreadable", "cannot open the trace: " + openFailure);
            openFailure = null;
            stopped = true;
        }
        while (!stopped && null != reader)
        {
            try
            {
                if (!reader.next(entry))
                {
                    return null;
                }
                entries++;
                return entry;
            }
            catch (final JournalCorruptionException ex)
            {
                if (null != ex.getCause())
                {
                    stop("unreadable after " + entries + " entries: " + ex.getCause());
                }
                else if (ex.index() <= lastCorruptIndex)
                {
                    stop("the trace reader did not advance past index " + Indexes.hex(lastCorruptIndex));
                }
                else
                {
                    lastCorruptIndex = ex.index();
                    problems.add("trace", ex.index(), "corrupt_trace", ex.reason());
                }
            }
            catch (final RuntimeException | InternalError ex)
            {
                stop("unreadable after " + entries + " entries: " + ex);
            }
        }
        return null;
    }

    private void stop(final String reason)
    {
        stopped = true;
        problems.add("trace", -1, "unreadable_trace", reason);
    }

    /** @return valid entries read so far. */
    long entries()
    {
        return entries;
    }

    /** @return true when the journal has a trace. */
    boolean exists()
    {
        return null != reader;
    }

    @Override
    public void close()
    {
        if (null != reader)
        {
            reader.close();
        }
    }
}
