package io.chronofabric.journal;

import java.nio.file.Path;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.util.MicroTouched;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Appends {@link MessageRecord}s to a journal, one Chronicle Queue document each, in the {@link RecordLayout} format.
 * The appender is created by the first {@link #append} call, on the thread that appends: Chronicle appenders belong to
 * one thread. Allocation-free per record in steady state.
 */
public final class JournalWriter implements AutoCloseable
{
    private final DurableQueue queue;
    private final RecordCodec codec;

    /**
     * @param dir             the journal folder, created if absent.
     * @param rollCycle       the name of a Chronicle roll cycle, e.g. {@code FAST_DAILY}.
     * @param maxDependencies the most dependency ids a record may carry.
     * @param payloadCapacity the largest payload in bytes.
     */
    public JournalWriter(final Path dir, final String rollCycle, final int maxDependencies, final int payloadCapacity)
    {
        this(dir, rollCycle, Durability.NONE, maxDependencies, payloadCapacity);
    }

    /**
     * @param dir             the journal folder, created if absent.
     * @param rollCycle       the name of a Chronicle roll cycle, e.g. {@code FAST_DAILY}.
     * @param durability      what {@link #sync()} does.
     * @param maxDependencies the most dependency ids a record may carry.
     * @param payloadCapacity the largest payload in bytes.
     */
    public JournalWriter(final Path dir, final String rollCycle, final Durability durability, final int maxDependencies,
        final int payloadCapacity)
    {
        this(dir, rollCycle, durability, JournalQueues.DEFAULT_BLOCK_SIZE, maxDependencies, payloadCapacity);
    }

    /**
     * @param dir             the journal folder, created if absent.
     * @param rollCycle       the name of a Chronicle roll cycle, e.g. {@code FAST_DAILY}.
     * @param durability      what {@link #sync()} does.
     * @param blockSize       the memory-mapped block of the queue, raised to hold four of the longest record
     *                        ({@link JournalQueues#blockSize(long, int)}).
     * @param maxDependencies the most dependency ids a record may carry.
     * @param payloadCapacity the largest payload in bytes.
     */
    public JournalWriter(final Path dir, final String rollCycle, final Durability durability, final long blockSize,
        final int maxDependencies, final int payloadCapacity)
    {
        this.codec = new RecordCodec(maxDependencies, payloadCapacity);
        this.queue = new DurableQueue(dir, rollCycle, durability, blockSize, codec.scratch().length);
    }

    /**
     * Encodes and appends one record.
     *
     * @param record the record to journal.
     * @return the Chronicle Queue index it was written at.
     */
    public long append(final MessageRecord record)
    {
        final int length = codec.encode(record);
        final ExcerptAppender appender = queue.appender();
        try (DocumentContext context = appender.writingDocument())
        {
            context.wire().bytes().write(codec.scratch(), 0, length);
        }
        final long index = appender.lastIndexAppended();
        queue.afterAppend();
        return index;
    }

    /**
     * Makes what was appended so far as durable as the policy promises ({@link DurableQueue#sync()}). Call it at the
     * end of a batch.
     */
    public void sync()
    {
        queue.sync();
    }

    /**
     * Prepares the first append on the calling thread, the one that will append: see {@link DurableQueue#prepare()}.
     * Writes no record.
     */
    public void prepare()
    {
        queue.prepare();
    }

    /**
     * Touches the next page ahead of the write position, if not yet touched, so that the fault is taken now, between
     * batches, instead of inside a later append. Cheap when there is nothing to touch.
     *
     * @return true when a page was touched.
     */
    public boolean touchAhead()
    {
        return queue.hasAppended() && queue.appender() instanceof MicroTouched &&
            ((MicroTouched)queue.appender()).microTouch();
    }

    /** @return the durability policy. */
    public Durability durability()
    {
        return queue.durability();
    }

    /**
     * @return the index of the last record in the journal, or -1 when it is empty.
     */
    public long lastIndex()
    {
        final long last = queue.queue().lastIndex();
        return last < 0 ? -1 : last;
    }

    /**
     * @return the queue's folder.
     */
    public Path dir()
    {
        return queue.queue().file().toPath();
    }

    /**
     * Closes the appender and the queue; with Chronicle's memory-mapped files every appended record is in the page
     * cache by now and reaches the disk even if this process dies afterwards.
     */
    @Override
    public void close()
    {
        queue.close();
    }
}
