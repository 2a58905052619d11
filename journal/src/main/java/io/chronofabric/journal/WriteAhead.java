package io.chronofabric.journal;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.Wire;
import net.openhft.posix.PosixAPI;

/**
 * Keeps the disk blocks and page-cache pages ahead of a queue's write position allocated, so that appends write into
 * pages that already exist. A write into a fresh page of a sparse roll file through Chronicle's mapping faults, and on
 * ext4 the fault allocates the block: measured on the development VM at 3 to 9 µs a page, 100 to 300 ns per 124-byte
 * record, a third of the pipeline thread's time and the source of its millisecond stalls. One positional write of
 * zeros of {@link #CHUNK_BYTES} costs a fraction of the faults it saves.
 *
 * <p>It runs on the appending thread, right after a document was written, and writes only whole chunks beyond the end
 * of that document that read back as zeros: no other thread writes the file (one appender per queue, one engine per
 * journal), so no byte changes its value. Zeros are what Chronicle expects past its write position (its next header
 * is claimed by a compare-and-swap from 0), and a reader sees them as the end of the queue. The appender's position
 * is trusted only right after a document was written: after a rolled-back document it reads 0. A failed write (a full
 * disk) is not an error here: the append that needs the page meets the disk itself and fails as before; the
 * write-ahead tries again further on.
 */
final class WriteAhead implements AutoCloseable
{
    /** How far ahead of the write position the pages are kept allocated. */
    static final long AHEAD_BYTES = 256 * 1024;
    /** How much one positional write allocates. */
    static final int CHUNK_BYTES = 64 * 1024;
    /** Linux's {@code lseek} whence for the next offset holding data (OpenHFT's {@code WhenceFlag} maps it wrongly). */
    private static final int SEEK_DATA = 3;
    /** {@code lseek(SEEK_DATA)}'s error when no data follows the offset. */
    private static final int ENXIO = 6;
    private static final int O_RDONLY = 0;

    private final ByteBuffer zeros = ByteBuffer.allocateDirect(CHUNK_BYTES);
    private final ByteBuffer existing = ByteBuffer.allocateDirect(CHUNK_BYTES);
    private int cycle = Integer.MIN_VALUE;
    private FileChannel channel;
    private int descriptor = -1;
    private long allocatedTo;
    private boolean paused;

    /**
     * Right after a document was written: extends the allocated region when the write position came within
     * {@link #AHEAD_BYTES} of its end, following the appender into each new roll file.
     *
     * @param appender the queue's appender, on its own thread, between documents.
     */
    void afterAppend(final ExcerptAppender appender)
    {
        if (null == appender)
        {
            return;
        }
        try
        {
            extend(appender);
        }
        catch (final RuntimeException ex)
        {
            // Chronicle refused a position or file (a closed or rolling appender): the append path reports its own
            paused = true;
        }
    }

    private void extend(final ExcerptAppender appender)
    {
        final Wire wire = appender.wire();
        if (null == wire)
        {
            return;
        }
        final long position = wire.bytes().writePosition();
        if (position + AHEAD_BYTES <= allocatedTo && appender.cycle() == cycle)
        {
            return;
        }
        if (appender.cycle() != cycle && !follow(appender))
        {
            return;
        }
        if (paused)
        {
            return;
        }
        allocatedTo = Math.max(allocatedTo, chunkStart(position));
        try
        {
            while (allocatedTo < position + AHEAD_BYTES)
            {
                if (isZero(allocatedTo))
                {
                    zeros.clear();
                    while (zeros.hasRemaining())
                    {
                        channel.write(zeros, allocatedTo + zeros.position());
                    }
                }
                allocatedTo += CHUNK_BYTES;
            }
        }
        catch (final IOException ex)
        {
            // a full disk: try again a chunk further on; the appends meet the disk themselves meanwhile
            allocatedTo = chunkStart(position) + AHEAD_BYTES;
        }
    }

    /**
     * Whether the chunk at this offset holds only zeros (or lies past the end of the file). Only such a chunk is
     * written, so the write-ahead never changes a byte's value whatever position Chronicle reports: a document, an
     * index array or a header in the chunk leaves it as it is. A chunk without data blocks (a hole of the sparse file,
     * what the chunks ahead nearly always are) is known to be zeros from {@code lseek(SEEK_DATA)} without reading it:
     * reading a 64 KiB hole on ext4 measured 170-190 us on the development VM, the lseek under 1 us. Other chunks, or
     * where lseek is not available, are read and compared.
     */
    private boolean isZero(final long offset) throws IOException
    {
        if (isHole(offset))
        {
            return true;
        }
        existing.clear();
        while (existing.hasRemaining())
        {
            if (channel.read(existing, offset + existing.position()) < 0)
            {
                break;
            }
        }
        final int end = existing.position();
        for (int i = 0; i + Long.BYTES <= end; i += Long.BYTES)
        {
            if (0 != existing.getLong(i))
            {
                return false;
            }
        }
        return true;
    }

    /** @return true when the file has no data in the chunk at this offset; false when it has, or cannot tell. */
    private boolean isHole(final long offset)
    {
        if (descriptor < 0)
        {
            return false;
        }
        try
        {
            final PosixAPI posix = PosixAPI.posix();
            final long data = posix.lseek(descriptor, offset, SEEK_DATA);
            return data < 0 ? ENXIO == posix.lastError() : data >= offset + CHUNK_BYTES;
        }
        catch (final RuntimeException | LinkageError ex)
        {
            closeDescriptor(); // no native lseek here: read the chunks instead
            return false;
        }
    }

    /** The start of the chunk after the one holding the position: the chunk holding it may have records. */
    private static long chunkStart(final long position)
    {
        return (position / CHUNK_BYTES + 1) * CHUNK_BYTES;
    }

    private boolean follow(final ExcerptAppender appender)
    {
        closeChannel();
        cycle = appender.cycle();
        allocatedTo = 0;
        paused = false;
        final File file = appender.currentFile();
        if (null == file)
        {
            paused = true;
            return false;
        }
        try
        {
            channel = FileChannel.open(file.toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE);
            descriptor = openForSeek(file);
            return true;
        }
        catch (final IOException | RuntimeException ex)
        {
            paused = true;
            return false;
        }
    }

    /** @return a read-only descriptor of the file for {@code lseek}, -1 when the native call is not available. */
    private static int openForSeek(final File file)
    {
        try
        {
            return Math.max(-1, PosixAPI.posix().open(file.getPath(), O_RDONLY, 0));
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return -1;
        }
    }

    private void closeDescriptor()
    {
        if (descriptor >= 0)
        {
            try
            {
                PosixAPI.posix().close(descriptor);
            }
            catch (final RuntimeException | LinkageError ignored)
            {
                // the descriptor only answered lseek; the records are in Chronicle's mapping
            }
            descriptor = -1;
        }
    }

    private void closeChannel()
    {
        closeDescriptor();
        if (null != channel)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignored)
            {
                // nothing was promised about the zeros; the records are in Chronicle's mapping
            }
            channel = null;
        }
    }

    @Override
    public void close()
    {
        closeChannel();
    }
}
