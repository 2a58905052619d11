package io.chronofabric.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;


import static io.chronofabric.journal.SettlementLayout.*;

/**
 * Appends settlement documents ({@link SettlementLayout}) under the journal's durability policy. What a batch settles
 * collects in preallocated arrays; {@link #write} turns the ids still above the watermark into ranges and appends one
 * document. Single-threaded (the delivery thread); allocation-free.
 */
public final class SettlementWriter implements SettlementSink
{

    private final DurableQueue queue;
    private final long[] settled = new long[MAX_SETTLED];
    private final long[] dead = new long[MAX_EVENTS];
    private final long[] partialIds = new long[MAX_EVENTS];
    private final int[] partialSubscribers = new int[MAX_EVENTS];
    private final int[] partialDelivered = new int[MAX_EVENTS];
    private final long[] retryIds = new long[MAX_EVENTS];
    private final int[] retrySubscribers = new int[MAX_EVENTS];
    private final int[] retryAttempts = new int[MAX_EVENTS];
    private final long[] refused = new long[MAX_EVENTS];
    private final byte[] scratch = new byte[MAX_LENGTH];
    private final ByteBuffer buffer = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private int settledCount;
    private int deadCount;
    private int partialCount;
    private int retryCount;
    private int refusedCount;

    /**
     * @param journalDir the journal folder; the log goes into its {@code settled} folder.
     * @param rollCycle  the Chronicle roll cycle name.
     * @param durability the journal's policy, which the log follows.
     */
    public SettlementWriter(final Path journalDir, final String rollCycle, final Durability durability)
    {
        this(journalDir, rollCycle, durability, JournalQueues.DEFAULT_BLOCK_SIZE);
    }

    /**
     * @param journalDir the journal folder; the log goes into its {@code settled} folder.
     * @param rollCycle  the Chronicle roll cycle name.
     * @param durability the journal's policy, which the log follows.
     * @param blockSize  the memory-mapped block of the queue ({@link JournalQueues#blockSize(long, int)}).
     */
    public SettlementWriter(final Path journalDir, final String rollCycle, final Durability durability,
        final long blockSize)
    {
        this.queue = new DurableQueue(SettlementLayout.settlementDir(journalDir), rollCycle, durability, blockSize,
            MAX_LENGTH);
    }

    /**
     * @param id a message settled for every subscriber.
     * @return false when the document is full: write, then add again.
     */
    public boolean settled(final long id)
    {
        if (MAX_SETTLED == settledCount)
        {
            return false;
        }
        settled[settledCount++] = id;
        return true;
    }

    /**
     * @param id a message delivered to no subscriber: its dependents are dead-lettered, also after a restart.
     * @return false when the document is full.
     */
    public boolean dead(final long id)
    {
        if (MAX_EVENTS == deadCount)
        {
            return false;
        }
        dead[deadCount++] = id;
        return true;
    }

    /**
     * @param id         a message still unsettled for some subscriber.
     * @param subscriber a subscriber it is settled for.
     * @param delivered  true when delivered to it, false when dead-lettered for it.
     * @return false when the document is full.
     */
    public boolean partial(final long id, final int subscriber, final boolean delivered)
    {
        if (MAX_EVENTS == partialCount)
        {
            return false;
        }
        partialIds[partialCount] = id;
        partialSubscribers[partialCount] = subscriber;
        partialDelivered[partialCount++] = delivered ? 1 : 0;
        return true;
    }

    /**
     * @param id         a message being retried for a subscriber.
     * @param subscriber the subscriber.
     * @param attempts   attempts made so far.
     * @return false when the document is full.
     */
    public boolean retry(final long id, final int subscriber, final int attempts)
    {
        if (MAX_EVENTS == retryCount)
        {
            return false;
        }
        retryIds[retryCount] = id;
        retrySubscribers[retryCount] = subscriber;
        retryAttempts[retryCount++] = attempts;
        return true;
    }

    /**
     * @param id an id never journaled (its publish was refused after it took the id) that the watermark passes.
     * @return false when the document is full.
     */
    public boolean refused(final long id)
    {
        if (MAX_EVENTS == refusedCount)
        {
            return false;
        }
        refused[refusedCount++] = id;
        return true;
    }

    /**
     * Appends one document with what was collected (settled ids at or below the watermark need no mention) and makes
     * it as durable as the journal's policy says.
     *
     * @param watermark every journaled id at or below it is settled.
     * @param high      the highest id settled so far.
     */
    public void write(final long watermark, final long high)
    {
        final int ranges = encodeRanges(watermark);
        int offset = HEADER_LENGTH + ranges * RANGE_LENGTH;
        for (int i = 0; i < deadCount; i++, offset += DEAD_LENGTH)
        {
            buffer.putLong(offset, dead[i]);
        }
        for (int i = 0; i < partialCount; i++, offset += PARTIAL_LENGTH)
        {
            buffer.putLong(offset, partialIds[i]).putInt(offset + 8, partialSubscribers[i])
                .putInt(offset + 12, partialDelivered[i]);
        }
        for (int i = 0; i < retryCount; i++, offset += RETRY_LENGTH)
        {
            buffer.putLong(offset, retryIds[i]).putInt(offset + 8, retrySubscribers[i]).putInt(offset + 12, retryAttempts[i]);
        }
        for (int i = 0; i < refusedCount; i++, offset += REFUSED_LENGTH)
        {
            buffer.putLong(offset, refused[i]);
        }
        // version 1 while no refused id is recorded: the same bytes, which the release before this one still reads
        buffer.put(0, (byte)(0 == refusedCount ? VERSION_WITHOUT_REFUSED : VERSION)).put(1, (byte)0)
            .putShort(REFUSED_OFFSET, (short)refusedCount)
            .putLong(WATERMARK_OFFSET, watermark).putLong(HIGH_OFFSET, high)
            .putInt(RANGES_OFFSET, ranges).putInt(DEAD_OFFSET, deadCount)
            .putInt(PARTIAL_OFFSET, partialCount).putInt(RETRY_OFFSET, retryCount);
        crc.reset();
        crc.update(scratch, WATERMARK_OFFSET, offset - WATERMARK_OFFSET);
        buffer.putInt(CRC_OFFSET, (int)crc.getValue());
        queue.write(scratch, 0, offset);
        queue.syncOrFail();
        settledCount = 0;
        deadCount = 0;
        partialCount = 0;
        retryCount = 0;
        refusedCount = 0;
    }

    /**
     * Has a mapper map the settlement log's next block ahead of its appender ({@link BlockMapper}). Call before the
     * first document.
     *
     * @param mapper the mapper.
     * @return this writer.
     */
    public SettlementWriter mapAheadWith(final BlockMapper mapper)
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

    /** Sorts the collected ids above the watermark into the scratch as ranges; returns how many. */
    private int encodeRanges(final long watermark)
    {
        int kept = 0;
        for (int i = 0; i < settledCount; i++)
        {
            if (settled[i] > watermark)
            {
                settled[kept++] = settled[i];
            }
        }
        Arrays.sort(settled, 0, kept);
        int ranges = 0;
        int offset = HEADER_LENGTH;
        for (int i = 0; i < kept; )
        {
            final long start = settled[i];
            long end = start;
            while (++i < kept && settled[i] <= end + 1)
            {
                end = settled[i];
            }
            buffer.putLong(offset, start).putLong(offset + 8, end);
            offset += RANGE_LENGTH;
            ranges++;
        }
        return ranges;
    }

    @Override
    public void close()
    {
        queue.close();
    }
}
