package io.chronofabric.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.chronofabric.journal.DurableFiles;

/**
 * One peer's messages this node refused for their clock (more than {@code hlc.max-offset-ms} ahead), kept in
 * {@code clock-refused-PEER} in the journal folder. The journal holds only what was accepted, yet a refusal
 * acknowledged to the peer is accounted for: the peer never offers it again, and its retention may delete it. Without
 * this file a restarted node would count the peer's stream short for good (the peer would see those messages lagging
 * for ever) and, with refusals at the end of what it received, resume the peer's stream from too far back and take
 * messages it had refused.
 * <p>
 * The file is a sequence of 8-byte entries: a refused origin id (positive), appended as it is refused, before any
 * later message of the peer enters the ring; an acknowledged mark (negated origin id), appended when refusals are
 * acknowledged, before the acknowledgement goes out; and, first in a compacted file, a summary ({@link #SUMMARY}, then
 * the count of refusals at or below its mark, then the mark). At start the peer's mark is the higher of the journal's
 * high-water mark and the last acknowledged one: a refusal at or below it is accounted for (every message of the peer
 * before it was journaled or refused); one above it was never acknowledged, is dropped, and is offered again by the
 * peer. The file is made at the peer's first refusal, compacted to its summary at start, and to its summary and the refusals not yet acknowledged every
 * {@value #COMPACT_EVERY} entries. Under {@code journal.durability=sync} the entries are forced to disk before what
 * depends on them: a later message entering the ring, an acknowledgement going out.
 */
final class ClockRefusals implements AutoCloseable
{
    static final String PREFIX = "clock-refused-";
    /** The first entry of a compacted file; no origin id or mark is this value. */
    static final long SUMMARY = Long.MIN_VALUE;
    static final int COMPACT_EVERY = 1 << 16;

    private final Path file;
    private final boolean sync;
    private final long highWaterMark;
    private final ByteBuffer entry = ByteBuffer.allocate(Long.BYTES);
    private FileChannel channel;
    private long count;
    private long acknowledgedMark;
    private int entriesSinceCompaction;
    private boolean unforced;

    private ClockRefusals(final Path file, final boolean sync, final long highWaterMark, final long count)
    {
        this.file = file;
        this.sync = sync;
        this.highWaterMark = highWaterMark;
        this.count = count;
        this.acknowledgedMark = highWaterMark;
    }

    /**
     * @param journalDir           the node's journal folder.
     * @param peer                 the peer.
     * @param journalHighWaterMark the highest origin id of the peer's messages the journal holds.
     * @param sync                 force entries to disk ({@code journal.durability=sync}).
     * @return the peer's refusals accounted for; those above the mark, and a tail torn or left unwritten by a crash,
     *     are dropped.
     * @throws IllegalStateException when the file cannot be read or written, or its refused ids do not increase.
     */
    static ClockRefusals open(final Path journalDir, final int peer, final long journalHighWaterMark,
        final boolean sync)
    {
        final Path file = journalDir.resolve(PREFIX + peer);
        try
        {
            final long[] countAndMark = Files.exists(file) ? read(file, journalHighWaterMark) :
                new long[] {0, journalHighWaterMark};
            final ClockRefusals refusals = new ClockRefusals(file, sync, countAndMark[1], countAndMark[0]);
            if (Files.exists(file))
            {
                refusals.rewrite(new long[0], 0);
            }
            return refusals;
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new IllegalStateException("cannot read or write the clock refusals " + file + ": " + ex.getMessage(),
                ex);
        }
    }

    /** @return the refusals accounted for and the mark: see the class comment. */
    private static long[] read(final Path file, final long journalHighWaterMark) throws IOException
    {
        final long[] entries = readEntries(file);
        int next = 0;
        long baseCount = 0;
        long lastAcknowledged = 0;
        if (entries.length >= 3 && SUMMARY == entries[0] && entries[1] >= 0 && entries[2] >= 0)
        {
            baseCount = entries[1];
            lastAcknowledged = entries[2];
            next = 3;
        }
        final int first = next;
        for (int i = first; i < entries.length; i++)
        {
            if (entries[i] < 0)
            {
                lastAcknowledged = Math.max(lastAcknowledged, -entries[i]);
            }
        }
        final long mark = Math.max(journalHighWaterMark, lastAcknowledged);
        long count = baseCount;
        long previous = 0 == first ? 0 : entries[2];
        for (int i = first; i < entries.length; i++)
        {
            final long value = entries[i];
            if (value > 0)
            {
                if (value <= previous)
                {
                    throw new IllegalStateException("refused origin id " + value + " after " + previous + " in " +
                        file + ": the ids must increase");
                }
                previous = value;
                if (value <= mark)
                {
                    count++;
                }
            }
        }
        return new long[] {count, mark};
    }

    /**
     * @return the entries, the summary's whole, then up to a torn last one or a 0 (a tail a crash left unwritten: no
     *     entry after the summary is 0).
     */
    private static long[] readEntries(final Path file) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        final long[] entries = new long[bytes.remaining() / Long.BYTES];
        int n = 0;
        if (bytes.remaining() >= 3 * Long.BYTES && SUMMARY == bytes.getLong(0))
        {
            for (; n < 3; n++)
            {
                entries[n] = bytes.getLong();
            }
        }
        while (bytes.remaining() >= Long.BYTES)
        {
            final long value = bytes.getLong();
            if (0 == value)
            {
                break;
            }
            entries[n++] = value;
        }
        return java.util.Arrays.copyOf(entries, n);
    }

    /** @return the mark the peer's stream resumes after, as far as refusals go: see the class comment. */
    long highWaterMark()
    {
        return highWaterMark;
    }

    /** @return the peer's refusals accounted for, all runs. */
    long count()
    {
        return count;
    }

    /** Records that the peer's message {@code originId} was refused for its clock, not yet acknowledged. */
    void refused(final long originId)
    {
        append(originId);
    }

    /**
     * Records that {@code refusals} more refusals, the last of them {@code lastOriginId}, are acknowledged from now on;
     * then forces what is unforced, before the acknowledgement goes out.
     */
    void acknowledged(final long lastOriginId, final int refusals)
    {
        append(-lastOriginId);
        count += refusals;
        acknowledgedMark = lastOriginId;
        force();
    }

    /** Under sync, forces the entries appended since the last force: before a later message enters the ring. */
    void force()
    {
        if (unforced)
        {
            try
            {
                channel.force(false);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot force the clock refusals " + file, ex);
            }
            unforced = false;
        }
    }

    /** @return true once enough entries were appended since the last compaction. */
    boolean dueForCompaction()
    {
        return entriesSinceCompaction >= COMPACT_EVERY;
    }

    /**
     * Rewrites the file as its summary and the refusals not yet acknowledged.
     *
     * @param unacknowledged the origin ids of the refusals not yet acknowledged, in order, in its first {@code n}.
     * @param n              how many.
     */
    void compact(final long[] unacknowledged, final int n)
    {
        try
        {
            rewrite(unacknowledged, n);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot compact the clock refusals " + file, ex);
        }
    }

    private void rewrite(final long[] unacknowledged, final int n) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate(Long.BYTES * (3 + n));
        bytes.putLong(SUMMARY).putLong(count).putLong(acknowledgedMark);
        for (int i = 0; i < n; i++)
        {
            bytes.putLong(unacknowledged[i]);
        }
        bytes.flip();
        // under sync the move too is forced: without it a power loss can bring the old file back, and the entries
        // appended after it lost
        DurableFiles.replace(file, bytes, sync);
        close(); // the replaced file's channel: appends go to the new one
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        entriesSinceCompaction = 0;
    }

    private void append(final long value)
    {
        if (null == channel)
        {
            // a peer this node never refused has no file: made at its first refusal
            compact(new long[0], 0);
        }
        entry.clear();
        entry.putLong(value).flip();
        try
        {
            while (entry.hasRemaining())
            {
                channel.write(entry);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot record a clock refusal in " + file, ex);
        }
        unforced = sync;
        entriesSinceCompaction++;
    }

    @Override
    public void close()
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
