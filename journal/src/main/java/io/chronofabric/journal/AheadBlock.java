package io.chronofabric.journal;

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
 * ({@link #enteredBlock}: whose mapping it took; once per block, a comparison per append otherwise); the mapper's
 * thread maps the block after it and holds a reservation (Chronicle's reference count) on both: the block ahead, so
 * that its mapping is there when the appender takes it, and the block the appender is in, so that when the appender
 * leaves it, its release is not the last one and the unmapping, with the objects Chronicle allocates for it, happens
 * on the mapper's thread when it lets go.
 *
 * <p>The mapper only maps: it touches no page. Faulting the pages in from here, by a write (a compare-and-swap of 0
 * to 0) or a read, was measured slower at full speed on two cores: the appender's own fault on a page that
 * {@link WriteAhead} allocated costs little, the mapper's faults compete with it for the cores and the process's
 * memory map, and a write fault on a hole of a full disk raises SIGBUS on whatever thread makes it. The appender's
 * file and block reach the mapper under a sequence number (odd while they change), so the mapper never acts on a
 * file and block from two different moments.
 */
final class AheadBlock implements ReferenceOwner
{
    private final BlockMapper mapper;
    private final Path dir;

    // the appending thread's view, read by the mapper: odd sequence while the pair changes
    private volatile long sequence;
    private volatile MappedFile enteredFile;
    private volatile long enteredBlock = -1;
    private MappedFile lastFile;
    private long lastBlock = -1;

    // the mapper's state, under this object's lock
    private final Held current = new Held();
    private final Held ahead = new Held();
    private boolean closed;
    private long failures;
    private long blocksMapped;

    AheadBlock(final BlockMapper mapper, final Path dir)
    {
        this.mapper = mapper;
        this.dir = dir;
    }

    /**
     * On the appending thread, right after a document was written: wakes the mapper when the appender entered a block
     * it was not in, so that the block after it gets mapped.
     *
     * @param appender the queue's appender.
     */
    void enteredBlock(final ExcerptAppender appender)
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
            sequence++;
            enteredFile = file;
            enteredBlock = block;
            sequence++;
            mapper.wake();
        }
        catch (final RuntimeException ex)
        {
            // a closing or rolling appender: its next document tells again where it is
        }
    }

    /** On the mapper's thread: holds the block the appender entered last and maps the one after it, if not done. */
    synchronized void mapNext()
    {
        final long before = sequence;
        final MappedFile file = enteredFile;
        final long block = enteredBlock;
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
            ahead.release(this);
            if (!reserved(file))
            {
                return; // the file is being released (a roll, a close)
            }
            try
            {
                current.hold(file.acquireByteStore(this, start), file, start); // the appender's own mapping
            }
            catch (final java.io.IOException ex)
            {
                failed(ex);
            }
            finally
            {
                file.release(this);
            }
        }
        mapAhead(file, start + chunk);
    }

    private void mapAhead(final MappedFile file, final long start)
    {
        ahead.release(this);
        if (start >= file.capacity() || !reserved(file))
        {
            return; // past the file's end, or the file is being released (a roll, a close)
        }
        try
        {
            ahead.hold(file.acquireByteStore(this, start), file, start);
            blocksMapped++;
        }
        catch (final java.io.IOException ex)
        {
            failed(ex);
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
        final MappedFile file = enteredFile;
        return null != file && ahead.is(file, (enteredBlock + 1) * file.chunkSize());
    }

    /** @return blocks mapped ahead so far (tests, diagnostics). */
    synchronized long blocksMapped()
    {
        return blocksMapped;
    }

    /** Releases the blocks held and maps no more: the queue is closing (any thread). */
    synchronized void close()
    {
        closed = true;
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
