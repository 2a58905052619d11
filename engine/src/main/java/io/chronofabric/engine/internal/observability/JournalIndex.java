package io.chronofabric.engine.internal.observability;

import java.nio.file.Path;

import io.chronofabric.journal.JournalQueues;
import net.openhft.chronicle.queue.ChronicleQueue;

/**
 * The journal's last Chronicle Queue index, read at scrape time through a read-only queue of its own: the scrape
 * never touches the journal stage's appender.
 */
final class JournalIndex implements AutoCloseable
{
    private final Path dir;
    private ChronicleQueue queue;
    private boolean closed;

    /** @param dir the journal folder. */
    JournalIndex(final Path dir)
    {
        this.dir = dir;
    }

    /** @return the index of the last record, or -1 when the journal is empty or cannot be read. */
    synchronized long lastIndex()
    {
        if (closed)
        {
            try (ChronicleQueue once = JournalQueues.openForRead(dir))
            {
                return Math.max(-1, once.lastIndex());
            }
            catch (final RuntimeException ex)
            {
                return -1;
            }
        }
        try
        {
            if (null == queue)
            {
                queue = JournalQueues.openForRead(dir);
            }
            return Math.max(-1, queue.lastIndex());
        }
        catch (final RuntimeException ex)
        {
            return -1;
        }
    }

    /** Closes the queue it keeps open; later reads open one for the moment. */
    @Override
    public synchronized void close()
    {
        closed = true;
        if (null != queue)
        {
            queue.close();
            queue = null;
        }
    }
}
