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
import net.openhft.chronicle.queue.impl.ExcerptContext;
import net.openhft.chronicle.wire.Wire;

/**
 * One queue's blocks around its appender, for a {@link BlockMapper}. The appending thread says which blocks it uses
 * ({@link #afterAppend}: the block whose mapping the appender took, and whether its index view trails in the block
 * before; a few field reads and comparisons per document, more once a block); the mapper's thread maps the block after
 * the appender's and holds a reservation (Chronicle's reference count) on it, on the appender's block, and on the one
 * before while the index view is still there. The block ahead, so that its mapping is there when the appender takes
 * it. The others, so that neither of the appender's views makes the last release of a block: Chronicle's index view
 * (a second view of the file, which finds the last sequence number before each document) trails the appender and
 * leaves a block after it, and that last release allocates on the appending thread (a 16-byte array clearing the
 * block's listeners). So the last release of every block, and the objects Chronicle allocates to map one (about
 * 1.5 KB), are the mapper's; Chronicle's background releaser then unmaps the block. An index view further back than
 * the block before (reading the file's header or an index array, briefly) is not held for: its release then
 * allocates on the appending thread, as without the mapper.
 *
 * <p>The mapper never changes the file. Mapping a block past the file's end would make Chronicle extend the file from
 * the mapper's thread ({@code setLength} after reading its size), which could cut back what {@link WriteAhead} wrote
 * on the appending thread meanwhile. So the appending thread extends the file to cover the next block as it enters a
 * block (a sparse extension: no disk block, so no full-disk failure), and the mapper maps only a block the file
 * already covers. It touches no page either: faulting the pages in from here, by a write or a read, was measured
 * slower at full speed on two cores (`perf/README.md`), and a write fault on a hole of a full disk raises SIGBUS.
 *
 * <p>The appender's file and blocks reach the mapper under a sequence number (odd while they change), so the mapper
 * never acts on a file and blocks from two different moments.
 */
final class AheadBlock implements ReferenceOwner
{
    /** Most blocks held per queue: the one before the appender's (while the index view is there), its, and the next. */
    static final int MOST_HELD = 3;

    private final BlockMapper mapper;
    private final Path dir;

    // written by the appending thread, read by the mapper: odd sequence while they change
    private volatile long sequence;
    private volatile MappedFile appenderFile;
    private volatile long appenderBlock = -1;
    private volatile long lowestBlock = -1;
    // the appending thread's own
    private MappedFile lastFile;
    private long lastBlock = -1;
    private long lastLowest = -1;

    // the mapper's, under this object's lock
    private final Held[] held = new Held[MOST_HELD];
    private boolean closed;
    private long failures;

    AheadBlock(final BlockMapper mapper, final Path dir)
    {
        this.mapper = mapper;
        this.dir = dir;
        for (int i = 0; i < held.length; i++)
        {
            held[i] = new Held();
        }
    }

    /**
     * On the appending thread, right after a document was written: when the appender entered a block it was not in,
     * or its index view left the block before, extends the file over the block after the appender's (once per block)
     * and wakes the mapper. Never throws.
     *
     * @param appender the queue's appender.
     */
    void afterAppend(final ExcerptAppender appender)
    {
        try
        {
            final Wire wire = appender.wire();
            final MappedBytesStore store = mappedStore(wire);
            if (null == store)
            {
                return;
            }
            // the block whose mapping the appender holds, not the one its position is in: each mapping reaches into
            // the next block (Chronicle's overlap), so the appender takes the next block's only past that
            final MappedFile file = ((MappedBytes)wire.bytes()).mappedFile();
            final long block = store.start() / file.chunkSize();
            final long lowest = indexTrails(appender, file, block) ? block - 1 : block;
            if (file == lastFile && block == lastBlock && lowest == lastLowest)
            {
                return;
            }
            final boolean entered = file != lastFile || block != lastBlock;
            lastFile = file;
            lastBlock = block;
            lastLowest = lowest;
            if (entered)
            {
                coverNextBlock(file, block); // tried once per block: a file that cannot grow costs no more than that
            }
            sequence++;
            appenderFile = file;
            appenderBlock = block;
            lowestBlock = lowest;
            sequence++;
            mapper.wake();
        }
        catch (final IOException | RuntimeException ex)
        {
            // a closing or rolling appender, or a file that cannot grow: the appender maps that block itself, as
            // without the mapper; its next block tells again where it is
        }
    }

    /** @return true when the appender's index view is in the same file, in the block before the appender's. */
    private static boolean indexTrails(final ExcerptAppender appender, final MappedFile file, final long block)
    {
        if (!(appender instanceof ExcerptContext))
        {
            return false;
        }
        final Wire index = ((ExcerptContext)appender).wireForIndex();
        final MappedBytesStore store = mappedStore(index);
        return null != store && ((MappedBytes)index.bytes()).mappedFile() == file &&
            store.start() / file.chunkSize() == block - 1;
    }

    /** @return the mapped block a wire's bytes are in, or null when they are not a mapped file's. */
    private static MappedBytesStore mappedStore(final Wire wire)
    {
        final Bytes<?> bytes = null == wire ? null : wire.bytes();
        if (!(bytes instanceof MappedBytes))
        {
            return null;
        }
        final BytesStore<?, ?> store = bytes.bytesStore();
        return store instanceof MappedBytesStore ? (MappedBytesStore)store : null;
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

    /**
     * On the mapper's thread: holds every block from the lowest one the appender's views may still visit to the one
     * after the appender's (mapping it if not done), and releases the others.
     */
    synchronized void mapNext() throws IOException
    {
        final long before = sequence;
        final MappedFile file = appenderFile;
        final long block = appenderBlock;
        final long lowest = lowestBlock;
        if (closed || 0 != (before & 1) || before != sequence || null == file || block < 0)
        {
            return; // closed, nothing entered yet, or the appender is moving: its wake-up after the move comes next
        }
        final long chunk = file.chunkSize();
        final long high = block + 1;
        final long low = Math.max(Math.max(0, lowest), high + 1 - MOST_HELD);
        for (final Held one : held)
        {
            if (!one.isWithin(file, low * chunk, high * chunk))
            {
                one.release(this);
            }
        }
        // the block ahead first: it is the one the appender is about to need
        for (long at = high; at >= low; at--)
        {
            if (!holds(file, at * chunk))
            {
                hold(file, at);
            }
        }
    }

    private boolean holds(final MappedFile file, final long start)
    {
        for (final Held one : held)
        {
            if (one.is(file, start))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Reserves the block's mapping, mapping it if Chronicle has not, as long as the file covers it (so that Chronicle
     * does not resize the file from this thread) and is not being released (a roll, a close); else holds nothing.
     */
    private void hold(final MappedFile file, final long block) throws IOException
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
                free().hold(file.acquireByteStore(this, start), file, start);
            }
        }
        finally
        {
            file.release(this);
        }
    }

    /** @return a holder holding nothing: there is one, as mapNext releases first and wants at most three blocks. */
    private Held free()
    {
        for (final Held one : held)
        {
            if (one.isFree())
            {
                return one;
            }
        }
        throw new IllegalStateException("all " + MOST_HELD + " holders of " + dir + " are in use");
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
        return null != file && holds(file, (appenderBlock + 1) * file.chunkSize());
    }

    /** Releases the blocks held and maps no more: the queue is closing (any thread). */
    synchronized void close()
    {
        closed = true;
        appenderFile = null;
        releaseAll();
    }

    /** Releases every block held, each even when another's release throws; the first failure is rethrown. */
    private void releaseAll()
    {
        RuntimeException failure = null;
        for (final Held one : held)
        {
            try
            {
                one.release(this);
            }
            catch (final RuntimeException ex)
            {
                if (null == failure)
                {
                    failure = ex;
                }
                else
                {
                    failure.addSuppressed(ex);
                }
            }
        }
        if (null != failure)
        {
            throw failure;
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

        boolean isWithin(final MappedFile inFile, final long lowest, final long highest)
        {
            return null != store && inFile == file && start >= lowest && start <= highest;
        }

        boolean isFree()
        {
            return null == store;
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
