package io.chronofabric.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The origin ids of one peer's messages this node refused for their clock (more than {@code hlc.max-offset-ms}
 * ahead), kept in {@code clock-refused-PEER} in the journal folder. The journal holds only what was accepted, and a
 * refused message below the peer's high-water mark is never offered again: without this file a restarted node would
 * count the peer's stream short for good, and the peer would see those messages as lagging for ever.
 * <p>
 * Each id is appended as it is refused, before any later message of the peer enters the ring, so a crash cannot leave
 * a later message journaled and its refused predecessor unrecorded. The ids increase: at start those above the
 * high-water mark the journal holds are cut off, since the peer offers those again.
 */
final class ClockRefusals implements AutoCloseable
{
    static final String PREFIX = "clock-refused-";

    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer id = ByteBuffer.allocate(Long.BYTES);
    private final long atStart;

    private ClockRefusals(final Path file, final FileChannel channel, final long atStart)
    {
        this.file = file;
        this.channel = channel;
        this.atStart = atStart;
    }

    /**
     * @param journalDir    the node's journal folder.
     * @param peer          the peer.
     * @param highWaterMark the highest origin id of the peer's messages the journal holds.
     * @return the peer's refusals, those above {@code highWaterMark} dropped.
     * @throws IllegalStateException when the file cannot be read or written, or its ids do not increase.
     */
    static ClockRefusals open(final Path journalDir, final int peer, final long highWaterMark)
    {
        final Path file = journalDir.resolve(PREFIX + peer);
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            final long kept = keptThrough(file, channel, highWaterMark);
            channel.truncate(kept * Long.BYTES);
            channel.position(kept * Long.BYTES);
            return new ClockRefusals(file, channel, kept);
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(channel);
            throw new IllegalStateException("cannot read or write the clock refusals " + file + ": " + ex.getMessage(),
                ex);
        }
    }

    /** @return how many ids from the file's start are at or below {@code highWaterMark}; a torn last id is dropped. */
    private static long keptThrough(final Path file, final FileChannel channel, final long highWaterMark)
        throws IOException
    {
        final ByteBuffer block = ByteBuffer.allocate(Long.BYTES * 1024);
        long kept = 0;
        long previous = 0;
        long position = 0;
        while (true)
        {
            block.clear();
            final int read = channel.read(block, position);
            if (read < Long.BYTES)
            {
                return kept;
            }
            block.flip();
            while (block.remaining() >= Long.BYTES)
            {
                final long originId = block.getLong();
                if (originId <= previous)
                {
                    throw new IllegalStateException("origin id " + originId + " after " + previous + " in " + file +
                        ": the ids must increase");
                }
                if (originId > highWaterMark)
                {
                    return kept;
                }
                previous = originId;
                kept++;
            }
            position += read - block.remaining();
        }
    }

    /** @return the peer's messages refused at or below the high-water mark the journal held at start. */
    long atStart()
    {
        return atStart;
    }

    /** Records that the peer's message {@code originId} was refused for its clock. */
    void refused(final long originId)
    {
        id.clear();
        id.putLong(originId).flip();
        try
        {
            while (id.hasRemaining())
            {
                channel.write(id);
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
