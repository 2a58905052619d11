package io.chronofabric.engine.crash;

import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

import io.chronofabric.journal.JournalQueues;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The process {@link UnfinishedCreationTest} kills in the middle of a document: a Chronicle writer on one of a
 * journal's queue folders opens the queue as the engine does, starts a document (in a new cycle's roll file, which
 * Chronicle creates and completes first), writes part of it, prints {@code kill-me} and blocks before the document's
 * header is published.
 */
public final class AppendingVictim
{
    private AppendingVictim()
    {
    }

    /**
     * @param args the queue folder.
     */
    public static void main(final String[] args)
    {
        try (ChronicleQueue queue = JournalQueues.openForWrite(Path.of(args[0]), "FAST_DAILY");
             ExcerptAppender appender = queue.createAppender())
        {
            final DocumentContext document = appender.writingDocument();
            document.wire().bytes().writeLong(0x0102_0304_0506_0708L).writeLong(42);
            System.out.println("kill-me");
            System.out.flush();
            while (true)
            {
                LockSupport.park();
            }
        }
    }
}
