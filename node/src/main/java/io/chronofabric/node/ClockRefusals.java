package io.chronofabric.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The origin ids of one peer's messages this node refused for their clock (more than {@code hlc.max-offset-ms}
 * ahead) and acknowledged to the peer, kept in {@code clock-refused-PEER} in the journal folder. The journal holds
 * only what was accepted, yet an acknowledged refusal is accounted for: the peer never offers it again, and its
 * retention may delete it. Without this file a restarted node would count the peer's stream short for good (the peer
 * would see those messages lagging for ever) and, with refusals at the end of what it received, resume the peer's
 * stream from too far back and take messages it had refused.
 * <p>
 * A refusal is recorded when it is acknowledged, that is once every message of the peer before it is journaled, and
 * before the acknowledgement goes out: so every id in the file lies below messages that are all journaled or recorded
 * here, and the high-water mark at start is the higher of the journal's and the file's last id. A refusal not yet
 * acknowledged when the process died is offered again by the peer and refused again. Under
 * {@code journal.durability=sync} each record is forced to disk, as the journal's writes are.
 */
final class ClockRefusals implements AutoCloseable
{
    static final String PREFIX = "clock-refused-";

    private final Path file;
    private final FileChannel channel;
    private final boolean sync;
    private final ByteBuffer id = ByteBuffer.allocate(Long.BYTES);
    private long count;
    private long last;

    private ClockRefusals(final Path file, final FileChannel channel, final boolean sync, final long count,
        final long last)
    {
        this.file = file;
        this.channel = channel;
        this.sync = sync;
        this.count = count;
        this.last = last;
    }

    /**
     * @param journalDir the node's journal folder.
     * @param peer       the peer.
     * @param sync       force each record to disk ({@code journal.durability=sync}).
     * @return the peer's refusals recorded so far; a tail torn or never written by a crash is cut off.
     * @throws IllegalStateException when the file cannot be read or written, or its ids do not increase.
     */
    static ClockRefusals open(final Path journalDir, final int peer, final boolean sync)
    {
        final Path file = journalDir.resolve(PREFIX + peer);
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            final long[] countAndLast = read(file, channel);
            channel.truncate(countAndLast[0] * Long.BYTES);
            channel.position(countAndLast[0] * Long.BYTES);
            return new ClockRefusals(file, channel, sync, countAndLast[0], countAndLast[1]);
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(channel);
            throw new IllegalStateException("cannot read or write the clock refusals " + file + ": " + ex.getMessage(),
                ex);
        }
    }

    /**
     * @return how many ids the file holds and the last of them; reading stops at a torn last id and at an id 0 (a
     *     tail the file system extended but the crash kept from being written: origin ids start at 1).
     */
    private static long[] read(final Path file, final FileChannel channel) throws IOException
    {
        final ByteBuffer block = ByteBuffer.allocate(Long.BYTES * 1024);
        long count = 0;
        long last = 0;
        long position = 0;
        while (true)
        {
            block.clear();
            final int read = channel.read(block, position);
            if (read < Long.BYTES)
            {
                return new long[] {count, last};
            }
            block.flip();
            while (block.remaining() >= Long.BYTES)
            {
                final long originId = block.getLong();
                if (0 == originId)
                {
                    return new long[] {count, last};
                }
                if (originId <= last)
                {
                    throw new IllegalStateException("origin id " + originId + " after " + last + " in " + file +
                        ": the ids must increase");
                }
                last = originId;
                count++;
            }
            position += read - block.remaining();
        }
    }

    /** @return the peer's messages refused here and acknowledged to it, all runs. */
    long count()
    {
        return count;
    }

    /** @return the highest of their origin ids, 0 when none. */
    long last()
    {
        return last;
    }

    /** Records that the peer's message {@code originId}, refused for its clock, is acknowledged to it. */
    void acknowledged(final long originId)
    {
        id.clear();
        id.putLong(originId).flip();
        try
        {
            while (id.hasRemaining())
            {
                channel.write(id);
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
        count++;
        last = originId;
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
