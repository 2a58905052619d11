package io.chronofabric.journal;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.Wire;
import net.openhft.posix.PosixAPI;

/**
 * Keeps the disk blocks and page-cache pages ahead of a queue's write position allocated, so that appends write into
 * pages that already exist, and so that a full disk is met here, by a positional write that fails with an
 * {@link IOException}, and never by a write through Chronicle's mapping. A write into a fresh page of a sparse roll
 * file through the mapping faults: on ext4 the fault allocates the block, measured on the development VM at 3 to 9 µs
 * a page, 100 to 300 ns per 124-byte record, a third of the pipeline thread's time and the source of its millisecond
 * stalls; and where the file system has no block left the fault is a SIGBUS, which the JVM reports as an
 * {@link InternalError} some instructions later, after the document that met it may have been committed with bytes
 * missing. One positional write of zeros of {@link #CHUNK_BYTES} costs a fraction of the faults it saves.
 *
 * <p>It runs on the appending thread, right after a document was written, and writes only zeros where the file reads
 * back as zeros (a hole of the sparse file, or zero bytes): whole chunks beyond the end of that document, page by page
 * in a chunk that holds data (the start of a roll file, Chronicle's index arrays). No other thread writes the file
 * (one appender per queue, one engine per journal), so no byte changes its value. Zeros are what Chronicle expects
 * past its write position (its next header is claimed by a compare-and-swap from 0), and a reader sees them as the
 * end of the queue. The appender's position is trusted only right after a document was written: after a rolled-back
 * document it reads 0, and the pages from there that hold data are left as they are. A failed write (a full disk) is
 * kept as {@link #failure()}: the queue's next document must not be begun (its pages may not exist).
 */
final class WriteAhead implements AutoCloseable
{
    /** The least the pages ahead of the write position are kept allocated. */
    static final long AHEAD_BYTES = 256 * 1024;
    /** How much one positional write allocates. */
    static final int CHUNK_BYTES = 64 * 1024;
    /** The unit a chunk holding data is allocated in: a page, which a file system backs whole. */
    static final int PAGE_BYTES = 4096;
    /** The most an index array of any Chronicle roll cycle takes, written at the write position when one fills. */
    private static final int INDEX_ARRAY_BYTES = 128 * 1024;
    /** The head of a roll file allocated when the write-ahead follows into it: header, index2index, first index. */
    private static final long HEAD_BYTES = 1024 * 1024;

    private final ByteBuffer zeros = ByteBuffer.allocateDirect(CHUNK_BYTES);
    private final ByteBuffer existing = ByteBuffer.allocateDirect(CHUNK_BYTES);
    private int cycle = Integer.MIN_VALUE;
    private FileChannel channel;
    private int descriptor = -1;
    private long allocatedTo;
    private final long aheadBytes;
    private boolean paused;
    private boolean headPending;
    private IOException failure;

    /**
     * @param maxDocumentBytes the longest document the queue's owner appends: the region kept allocated holds two of
     *                         them and an index array beyond the write position, and at least {@link #AHEAD_BYTES}.
     */
    WriteAhead(final int maxDocumentBytes)
    {
        final long wanted = 2L * maxDocumentBytes + INDEX_ARRAY_BYTES;
        this.aheadBytes = Math.max(AHEAD_BYTES, (wanted + CHUNK_BYTES - 1) / CHUNK_BYTES * CHUNK_BYTES);
    }

    /**
     * @return what the write-ahead allocates in a new roll file: its head, and the region ahead of its first document.
     */
    long newFileBytes()
    {
        return HEAD_BYTES + aheadBytes;
    }

    /**
     * Right after a document was written: extends the allocated region when the write position came within
     * the region kept allocated ahead of its end, following the appender into each new roll file.
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
        if (position + aheadBytes <= allocatedTo && appender.cycle() == cycle)
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
        if (null != failure)
        {
            return;
        }
        try
        {
            if (headPending)
            {
                // a new roll file: Chronicle laid out its header and first index arrays as holes, and writes index
                // entries into them through the mapping later on
                allocatedTo = allocate(0, Math.min(position, HEAD_BYTES));
                headPending = false;
            }
            // on from the page the position is in (past the head just allocated): a page holding data is left alone,
            // a page-aligned position's is not
            allocatedTo = Math.max(allocatedTo, pageStart(position));
            allocatedTo = allocate(allocatedTo, position + aheadBytes);
        }
        catch (final ClosedChannelException ex)
        {
            // an interrupted appending thread closed the channel: not a full disk; open the file again next time
            closeChannel();
            cycle = Integer.MIN_VALUE;
        }
        catch (final IOException ex)
        {
            // a full disk, or a file that cannot be written: the queue stops before its next document
            failure = ex;
        }
    }

    /**
     * Writes zeros over every chunk in [from, to) that reads as zeros, or page by page in a chunk that holds data.
     *
     * @return the end of the last chunk written: where the allocated region ends.
     */
    private long allocate(final long from, final long to) throws IOException
    {
        long offset = from;
        while (offset < to)
        {
            final long chunkEnd = chunkStart(offset);
            if (offset % CHUNK_BYTES == 0 && isZero(offset, CHUNK_BYTES))
            {
                writeZeros(offset, CHUNK_BYTES);
            }
            else
            {
                for (long page = offset; page < chunkEnd; page += PAGE_BYTES)
                {
                    if (isZero(page, PAGE_BYTES))
                    {
                        writeZeros(page, PAGE_BYTES);
                    }
                }
            }
            offset = chunkEnd;
        }
        return offset;
    }

    /**
     * @return true while it cannot follow the appender (its file could not be opened, Chronicle refused a position):
     *     nothing ahead is allocated, so a document's pages may not exist.
     */
    boolean isPaused()
    {
        return paused;
    }

    /**
     * @return why the pages ahead of the write position could not all be allocated (a full disk), null while they
     *     were: a document begun after a failure could meet the disk through the mapping.
     */
    IOException failure()
    {
        return failure;
    }

    private void writeZeros(final long offset, final int length) throws IOException
    {
        zeros.clear().limit(length);
        while (zeros.hasRemaining())
        {
            channel.write(zeros, offset + zeros.position());
        }
    }

    /**
     * Whether these bytes (a chunk or a page) hold only zeros (or lie past the end of the file). Only such bytes are
     * written, so the write-ahead never changes a byte's value whatever position Chronicle reports: a document, an
     * index array or a header leaves its pages as they are. Bytes without data blocks (a hole of the sparse file,
     * what the chunks ahead nearly always are) are known to be zeros from {@code lseek(SEEK_DATA)} without reading
     * them: reading a 64 KiB hole on ext4 measured 170-190 us on the development VM, the lseek under 1 us. Others, or
     * where lseek is not available, are read and compared.
     */
    private boolean isZero(final long offset, final int length) throws IOException
    {
        if (isHole(offset, length))
        {
            return true;
        }
        existing.clear().limit(length);
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

    /** @return true when the file has no data in these bytes; false when it has, or cannot tell. */
    private boolean isHole(final long offset, final int length)
    {
        if (descriptor < 0)
        {
            return false;
        }
        try
        {
            final PosixAPI posix = PosixAPI.posix();
            final long data = posix.lseek(descriptor, offset, FileExtents.SEEK_DATA);
            return data < 0 ? FileExtents.ENXIO == posix.lastError() : data >= offset + length;
        }
        catch (final RuntimeException | LinkageError ex)
        {
            closeDescriptor(); // no native lseek here: read the chunks instead
            return false;
        }
    }

    private static long pageStart(final long position)
    {
        return position / PAGE_BYTES * PAGE_BYTES;
    }

    /** The start of the chunk after the one holding the position. */
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
        headPending = true;
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
            return Math.max(-1, PosixAPI.posix().open(file.getPath(), FileExtents.O_RDONLY, 0));
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
