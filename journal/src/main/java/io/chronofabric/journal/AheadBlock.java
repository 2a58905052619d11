package io.chronofabric.journal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.bytes.MappedFile;
import net.openhft.chronicle.core.io.ReferenceOwner;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.Wire;

/**
 * One queue's blocks around its appender, for a {@link BlockMapper}. The appending thread says which block it entered
 * ({@link #afterAppend}: whose mapping it took; once per block, a comparison per append otherwise); the mapper's
 * thread maps the block after it and holds a reservation (Chronicle's reference count) on both: the block ahead, so
 * that its mapping is there when the appender takes it, and the block the appender is in, so that when the appender
 * leaves it, its release is not the last one: the last release, and the objects Chronicle allocates for it, are the
 * mapper's (Chronicle's background releaser then unmaps the block).
 *
 * <p>The mapper never changes the file. Mapping a block past the file's end would make Chronicle extend the file from
 * the mapper's thread ({@code setLength} after reading its size), which could cut back what {@link WriteAhead} wrote
 * on the appending thread meanwhile. So the appending thread extends the file to cover the next block as it enters a
 * block (a sparse extension: no disk block, so no full-disk failure), and the mapper maps only a block the file
 * already covers. It touches no page either: faulting the pages in from here, by a write or a read, was measured
 * slower at full speed on two cores (`perf/README.md`), and a write fault on a hole of a full disk raises SIGBUS.
 *
 * <p>The appender's file and block reach the mapper under a sequence number (odd while they change), so the mapper
 * never acts on a file and block from two different moments.
 */
final class AheadBlock implements ReferenceOwner
{
    private final BlockMapper mapper;
    private final Path dir;

    // written by the appending thread, read by the mapper: odd sequence while the pair changes
    private volatile long sequence;
    private volatile MappedFile appenderFile;
    private volatile long appenderBlock = -1;
    // the appending thread's own
    private MappedFile lastFile;
    private long lastBlock = -1;

    // the mapper's, under this object's lock
    private final Held current = new Held();
    private final Held ahead = new Held();
    private boolean closed;
    private long failures;

    AheadBlock(final BlockMapper mapper, final Path dir)
    {
        this.mapper = mapper;
        this.dir = dir;
    }

    /**
     * On the appending thread, right after a document was written: when the appender entered a block it was not in,
     * extends the file over the block after it and wakes the mapper to map that block. Never throws.
     *
     * @param appender the queue's appender.
     */
    void afterAppend(final ExcerptAppender appender)
    {
        try
        {
            final Wire wire = appender.wire();
            final Bytes<?> bytes = null == wire ? null : wire.bytes();
            if (!(bytes instanceof MappedBytes))
            {
                return;
            }
            // the block whose mapping the appender holds, not the one its position is in: each mapping reaches into
            // the next block (Chronicle's overlap), so the appender takes the next block's only past that
            final BytesStore<?, ?> store = bytes.bytesStore();
            if (!(store instanceof MappedBytesStore))
            {
                return;
            }
            final MappedFile file = ((MappedBytes)bytes).mappedFile();
            final long block = ((MappedBytesStore)store).start() / file.chunkSize();
            if (file == lastFile && block == lastBlock)
            {
                return;
            }
            lastFile = file;
            lastBlock = block;
            coverNextBlock(file, block);
            sequence++;
            appenderFile = file;
            appenderBlock = block;
            sequence++;
            mapper.wake();
        }
        catch (final IOException | RuntimeException ex)
        {
            // a closing or rolling appender, or a file that cannot grow: the appender maps its blocks itself, as
            // without the mapper; its next block tells again where it is
        }
    }

    /** Extends the file, never shrinks it, to the length Chronicle needs to map the block after this one. */
    private static void coverNextBlock(final MappedFile file, final long block) throws IOException
    {
        final long needed = lengthToMap(file, block + 1);
        final RandomAccessFile raf = file.raf();
        if (raf.length() < needed)
        {
            raf.setLength(needed);
        }
    }

    /** @return the file length Chronicle needs to map this block (its block and the overlap into the next). */
    private static long lengthToMap(final MappedFile file, final long block)
    {
        return (block + 1) * file.chunkSize() + file.overlapSize();
    }

    /** On the mapper's thread: holds the block the appender entered last and maps the one after it, if not done. */
    synchronized void mapNext() throws IOException
    {
        final long before = sequence;
        final MappedFile file = appenderFile;
        final long block = appenderBlock;
        if (closed || 0 != (before & 1) || before != sequence || null == file || block < 0)
        {
            return; // closed, nothing entered yet, or the appender is moving: its wake-up after the move comes next
        }
        final long chunk = file.chunkSize();
        final long start = block * chunk;
        if (ahead.is(file, start + chunk))
        {
            return;
        }
        if (ahead.is(file, start))
        {
            current.release(this);
            current.takeFrom(ahead); // the appender entered the block mapped ahead: the usual case
        }
        else if (!current.is(file, start))
        {
            current.release(this);
            hold(current, file, block); // the appender's own mapping: a reservation more
        }
        ahead.release(this);
        hold(ahead, file, block + 1);
    }

    /**
     * Reserves the block's mapping, mapping it if Chronicle has not, as long as the file covers it (so that Chronicle
     * does not resize the file from this thread) and is not being released (a roll, a close); else holds nothing.
     */
    private void hold(final Held into, final MappedFile file, final long block) throws IOException
    {
        final long start = block * file.chunkSize();
        if (start >= file.capacity() || !reserved(file))
        {
            return;
        }
        try
        {
            if (file.actualSize() >= lengthToMap(file, block))
            {
                into.hold(file.acquireByteStore(this, start), file, start);
            }
        }
        finally
        {
            file.release(this);
        }
    }

    private boolean reserved(final MappedFile file)
    {
        try
        {
            return file.tryReserve(this);
        }
        catch (final IllegalStateException ex)
        {
            return false; // closed meanwhile: the appender left it
        }
    }

    /**
     * @param failure why mapping ahead failed: the block is left to the appender. Logged the 1st, 2nd, 4th, 8th... time
     *                for this queue: never silent, never a flood.
     */
    synchronized void failed(final Throwable failure)
    {
        failures++;
        if (0 == (failures & (failures - 1)))
        {
            BlockMapper.log().warn("mapping ahead of the appender of {} failed ({} times so far); its appender maps " +
                "that block itself", dir, failures, failure);
        }
    }

    /** @return true when the block after the one the appender entered last is mapped and held (tests). */
    synchronized boolean isAhead()
    {
        final MappedFile file = appenderFile;
        return null != file && ahead.is(file, (appenderBlock + 1) * file.chunkSize());
    }

    /** Releases the blocks held and maps no more: the queue is closing (any thread). */
    synchronized void close()
    {
        closed = true;
        appenderFile = null;
        try
        {
            ahead.release(this);
        }
        finally
        {
            current.release(this);
        }
    }

    /** A block this mapper holds a reservation on. */
    private static final class Held
    {
        private MappedBytesStore store;
        private MappedFile file;
        private long start = -1;

        boolean is(final MappedFile inFile, final long at)
        {
            return null != store && inFile == file && at == start;
        }

        void hold(final MappedBytesStore held, final MappedFile inFile, final long at)
        {
            store = held;
            file = inFile;
            start = at;
        }

        void takeFrom(final Held other)
        {
            hold(other.store, other.file, other.start);
            other.hold(null, null, -1);
        }

        void release(final ReferenceOwner owner)
        {
            if (null != store)
            {
                final MappedBytesStore releasing = store;
                hold(null, null, -1);
                releasing.release(owner);
            }
        }
    }
}
