package io.chronofabric.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One peer's messages this node refused for their clock (more than {@code hlc.max-offset-ms} ahead), kept in
 * {@code clock-refused-PEER} in the journal folder. The journal holds only what was accepted, yet a refusal
 * acknowledged to the peer is accounted for: the peer never offers it again, and its retention may delete it. Without
 * this file a restarted node would count the peer's stream short for good (the peer would see those messages lagging
 * for ever) and, with refusals at the end of what it received, resume the peer's stream from too far back and take
 * messages it had refused.
 * <p>
 * The file holds 8-byte entries: a refused origin id (positive), appended as it is refused, before any later message
 * of the peer enters the ring; and an acknowledged mark (negated), appended when a refusal is acknowledged, before the
 * acknowledgement goes out. At start the peer's mark is the higher of the journal's high-water mark and the last
 * acknowledged one: a refusal at or below it is accounted for (every message of the peer before it was journaled or
 * refused); one above it was never acknowledged, is cut off, and is offered again by the peer. Under
 * {@code journal.durability=sync} each entry is forced to disk, as the journal's writes are.
 */
final class ClockRefusals implements AutoCloseable
{
    static final String PREFIX = "clock-refused-";

    private final Path file;
    private final FileChannel channel;
    private final boolean sync;
    private final long highWaterMark;
    private final ByteBuffer entry = ByteBuffer.allocate(Long.BYTES);
    private long count;

    private ClockRefusals(final Path file, final FileChannel channel, final boolean sync, final long highWaterMark,
        final long count)
    {
        this.file = file;
        this.channel = channel;
        this.sync = sync;
        this.highWaterMark = highWaterMark;
        this.count = count;
    }

    /**
     * @param journalDir           the node's journal folder.
     * @param peer                 the peer.
     * @param journalHighWaterMark the highest origin id of the peer's messages the journal holds.
     * @param sync                 force each entry to disk ({@code journal.durability=sync}).
     * @return the peer's refusals accounted for; those above the mark, and a tail torn or left unwritten by a crash,
     *     are cut off.
     * @throws IllegalStateException when the file cannot be read or written, or its refused ids do not increase.
     */
    static ClockRefusals open(final Path journalDir, final int peer, final long journalHighWaterMark,
        final boolean sync)
    {
        final Path file = journalDir.resolve(PREFIX + peer);
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            final long mark = Math.max(journalHighWaterMark, lastAcknowledged(file, channel));
            final long[] keptAndCount = keptThrough(file, channel, mark);
            channel.truncate(keptAndCount[0] * Long.BYTES);
            channel.position(keptAndCount[0] * Long.BYTES);
            return new ClockRefusals(file, channel, sync, mark, keptAndCount[1]);
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(channel);
            throw new IllegalStateException("cannot read or write the clock refusals " + file + ": " + ex.getMessage(),
                ex);
        }
    }

    /** @return the highest acknowledged mark in the file, 0 when none. */
    private static long lastAcknowledged(final Path file, final FileChannel channel) throws IOException
    {
        final long[] last = {0};
        scan(file, channel, value ->
        {
            if (value < 0)
            {
                last[0] = Math.max(last[0], -value);
            }
            return true;
        });
        return last[0];
    }

    /**
     * @return the entries to keep (those before the first refused id above {@code mark}) and the refused ids among
     *     them.
     */
    private static long[] keptThrough(final Path file, final FileChannel channel, final long mark) throws IOException
    {
        final long[] keptAndCount = {0, 0};
        final long[] previous = {0};
        scan(file, channel, value ->
        {
            if (value > 0)
            {
                if (value <= previous[0])
                {
                    throw new IllegalStateException("refused origin id " + value + " after " + previous[0] + " in " +
                        file + ": the ids must increase");
                }
                if (value > mark)
                {
                    return false;
                }
                previous[0] = value;
                keptAndCount[1]++;
            }
            keptAndCount[0]++;
            return true;
        });
        return keptAndCount;
    }

    /** What {@link #scan} does with each entry; false stops it. */
    private interface EntryVisitor
    {
        boolean visit(long value);
    }

    /** Visits the entries in order; stops at a torn last entry and at a 0 (a tail a crash left unwritten). */
    private static void scan(final Path file, final FileChannel channel, final EntryVisitor visitor)
        throws IOException
    {
        final ByteBuffer block = ByteBuffer.allocate(Long.BYTES * 1024);
        long position = 0;
        while (true)
        {
            block.clear();
            final int read = channel.read(block, position);
            if (read < Long.BYTES)
            {
                return;
            }
            block.flip();
            while (block.remaining() >= Long.BYTES)
            {
                final long value = block.getLong();
                if (0 == value || !visitor.visit(value))
                {
                    return;
                }
            }
            position += read - block.remaining();
        }
    }

    /** @return the mark the peer's stream resumes after, as far as refusals go: see the class comment. */
    long highWaterMark()
    {
        return highWaterMark;
    }

    /** @return the peer's refusals acknowledged to it, all runs. */
    long count()
    {
        return count;
    }

    /** Records that the peer's message {@code originId} was refused for its clock, not yet acknowledged. */
    void refused(final long originId)
    {
        append(originId);
    }

    /** Records that the peer's message {@code originId}, refused for its clock, is acknowledged from now on. */
    void acknowledged(final long originId)
    {
        append(-originId);
        count++;
    }

    private void append(final long value)
    {
        entry.clear();
        entry.putLong(value).flip();
        try
        {
            while (entry.hasRemaining())
            {
                channel.write(entry);
            }
            if (sync)
            {
                channel.force(true);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot record a clock refusal in " + file, ex);
        }
    }

    @Override
    public void close()
    {
        closeQuietly(channel);
    }

    private static void closeQuietly(final FileChannel channel)
    {
        try
        {
            if (null != channel)
            {
                channel.close();
            }
        }
        catch (final IOException ignored)
        {
            // closing after a failure or at the end: nothing left to keep
        }
    }
}
