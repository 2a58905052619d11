package io.chronofabric.perf.systems;

import java.nio.file.Path;

import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.journal.Durability;
import io.chronofabric.journal.JournalQueues;
import io.chronofabric.journal.RecordLayout;
import io.chronofabric.perf.spi.SystemSpec;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * A raw Chronicle Queue appender: one document per message holding the given bytes, nothing else. Built with the
 * same builder settings (roll cycle, sync mode of the durability policy, block size) as ChronoFabric's journal,
 * straight on Chronicle's API. The appender is created on the thread of the first append, as Chronicle appenders
 * belong to one thread.
 */
final class RawJournal implements AutoCloseable
{
    private final ChronicleQueue queue;
    private final Path dir;
    private final Durability durability;
    private ExcerptAppender appender;

    RawJournal(final Path dir, final EngineConfiguration context)
    {
        this.dir = dir;
        this.durability = context.durability();
        // the block ChronoFabric's journal writer maps: journal.block-size, raised to hold four of its longest record
        this.queue = SingleChronicleQueueBuilder.single(dir.toFile()).rollCycle(RollCycles.valueOf(context.rollCycle()))
            .syncMode(durability.syncMode()).blockSize(JournalQueues.blockSize(context.journalBlockSize(),
                RecordLayout.recordLength(context.maxDependencies(), context.payloadCapacity()))).build();
    }

    void append(final byte[] bytes, final int length)
    {
        ExcerptAppender appender = this.appender;
        if (null == appender)
        {
            appender = queue.createAppender();
            this.appender = appender;
        }
        try (DocumentContext context = appender.writingDocument())
        {
            context.wire().bytes().write(bytes, 0, length);
        }
    }

    /** Makes the appended documents as durable as the policy asks (msync), as ChronoFabric does after each batch. */
    void sync()
    {
        if (Durability.NONE != durability && null != appender)
        {
            appender.sync();
        }
    }

    /** Closes the appender; call it on the appending thread. */
    void closeAppender()
    {
        if (null != appender)
        {
            appender.close();
            appender = null;
        }
    }

    /** Closes the queue and deletes its folder. */
    @Override
    public void close()
    {
        closeAppender();
        queue.close();
        SystemSpec.deleteRecursively(dir);
    }
}
