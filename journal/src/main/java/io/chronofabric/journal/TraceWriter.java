package io.chronofabric.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;


import static io.chronofabric.journal.TraceLayout.*;

/**
 * Writes latency trace entries to the trace queue, batched: entries collect in a preallocated buffer and
 * {@link #flush()} writes them as one document (also done automatically every {@link TraceLayout#MAX_ENTRIES}).
 * Single-threaded: the appender belongs to the thread that first writes. Allocation-free per entry.
 */
public final class TraceWriter implements TraceSink
{
    private final DurableQueue queue;
    private final byte[] scratch = new byte[HEADER_LENGTH + MAX_ENTRIES * ENTRY_LENGTH];
    private final ByteBuffer buffer = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private int count;

    /**
     * @param journalDir the journal folder; the trace goes into its {@code trace} folder.
     * @param rollCycle  the Chronicle roll cycle name.
     * @param durability the journal's policy, which the trace follows: each flush is as durable as a journal batch.
     */
    public TraceWriter(final Path journalDir, final String rollCycle, final Durability durability)
    {
        this(journalDir, rollCycle, durability, JournalQueues.DEFAULT_BLOCK_SIZE);
    }

    /**
     * @param journalDir the journal folder; the trace goes into its {@code trace} folder.
     * @param rollCycle  the Chronicle roll cycle name.
     * @param durability the journal's policy, which the trace follows: each flush is as durable as a journal batch.
     * @param blockSize  the memory-mapped block of the queue ({@link JournalQueues#blockSize(long, int)}).
     */
    public TraceWriter(final Path journalDir, final String rollCycle, final Durability durability,
        final long blockSize)
    {
        this.queue = new DurableQueue(TraceLayout.traceDir(journalDir), rollCycle, durability, blockSize,
            scratch.length);
    }

    /**
     * Adds one delivered message's timestamps; writes a document when the batch is full.
     *
     * @param id          message id.
     * @param published   publish (intended send) time.
     * @param journaled   end of the journal stage.
     * @param sequenced   end of the sequencer stage.
     * @param routed      end of the router stage.
     * @param delivered   end of delivery.
     * @param flags       {@link TraceLayout} flag bits.
     * @param subscribers subscribers invoked.
     */
    public void add(final long id, final long published, final long journaled, final long sequenced,
        final long routed, final long delivered, final int flags, final int subscribers)
    {
        final int offset = HEADER_LENGTH + count * ENTRY_LENGTH;
        buffer.putLong(offset + ID, id)
            .putLong(offset + PUBLISHED, published)
            .putLong(offset + JOURNALED, journaled)
            .putLong(offset + SEQUENCED, sequenced)
            .putLong(offset + ROUTED, routed)
            .putLong(offset + DELIVERED, delivered)
            .putInt(offset + FLAGS, flags)
            .putInt(offset + SUBSCRIBERS, subscribers);
        if (MAX_ENTRIES == ++count)
        {
            flush();
        }
    }

    /**
     * Writes the entries collected so far as one document, as durable as the journal's policy says; nothing when
     * there are none. The entries are written once: a write that fails (a full disk) may have committed the document
     * before it failed (Chronicle's index update comes after the header), so a later flush does not write them again,
     * which would trace their messages twice; the failure goes on, and the engine stops.
     */
    public void flush()
    {
        if (0 == count)
        {
            return;
        }
        final int length = HEADER_LENGTH + count * ENTRY_LENGTH;
        crc.reset();
        crc.update(scratch, HEADER_LENGTH, length - HEADER_LENGTH);
        buffer.put(0, (byte)VERSION).put(1, (byte)0).putShort(COUNT_OFFSET, (short)count)
            .putInt(CRC_OFFSET, (int)crc.getValue());
        count = 0;
        queue.write(scratch, 0, length);
        queue.syncOrFail();
    }

    /**
     * Has a mapper map the trace's next block ahead of its appender ({@link BlockMapper}). Call before the first
     * entry.
     *
     * @param mapper the mapper.
     * @return this writer.
     */
    public TraceWriter mapAheadWith(final BlockMapper mapper)
    {
        mapper.mapAheadOf(queue);
        return this;
    }

    /** Prepares the first document on the calling thread (see {@link DurableQueue#prepare()}); writes nothing. */
    @Override
    public void prepare()
    {
        queue.prepare();
    }

    /** Flushes what is pending and closes the trace queue. */
    @Override
    public void close()
    {
        flush();
        queue.close();
    }
}
