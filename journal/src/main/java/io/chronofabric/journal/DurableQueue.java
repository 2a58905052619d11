package io.chronofabric.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.util.MicroTouched;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * A Chronicle Queue written by one thread under a {@link Durability} policy: the journal, its settlement log, its
 * latency trace and its dead letters all keep the journal's promise through it. The appender is created on the
 * writing thread at the first write (Chronicle appenders belong to their thread).
 *
 * <p>{@link #sync()} under {@link Durability#SYNC} fsyncs every roll file written since the last sync, whole:
 * Chronicle's {@code appender.sync()} msyncs only the memory-mapped chunk it is in, so records just before a chunk
 * boundary or a roll would be acknowledged before they were on disk. An fsync of the file writes back the pages
 * dirtied through its mappings. The current file is found again only when the appender's cycle changes.
 */
public final class DurableQueue implements AutoCloseable
{
    /** How far ahead a roll is looked for before a document: a thread may be held up that long after the check. */
    static final long ROLL_MARGIN_MILLIS = 1_000;

    private final Path dir;
    private final ChronicleQueue queue;
    private final Durability durability;
    private final WriteAhead ahead;
    private AheadBlock aheadBlock;
    private ExcerptAppender appender;
    private int syncedCycle = Integer.MIN_VALUE;
    private Path syncedFile;
    private FileChannel syncedChannel;
    private List<Path> lastSynced = List.of();

    /**
     * @param dir              the queue's folder, created if absent.
     * @param rollCycle        the Chronicle roll cycle name.
     * @param durability       what {@link #sync()} does.
     * @param blockSize        the memory-mapped block wanted ({@link JournalQueues#blockSize(long, int)}).
     * @param maxDocumentBytes the longest document the owner appends: the block holds at least four.
     */
    public DurableQueue(final Path dir, final String rollCycle, final Durability durability, final long blockSize,
        final int maxDocumentBytes)
    {
        this.dir = dir;
        this.durability = durability;
        this.queue = JournalQueues.openForWrite(dir, rollCycle, durability, blockSize, maxDocumentBytes);
        this.ahead = new WriteAhead(maxDocumentBytes);
    }

    /** @return the appender, created on the calling thread the first time. */
    public ExcerptAppender appender()
    {
        ExcerptAppender current = appender;
        if (null == current)
        {
            current = queue.createAppender();
            appender = current;
        }
        return current;
    }

    /**
     * Makes the first append as cheap as the next ones, writing nothing: creates the appender on the calling thread
     * (the thread that will append), opens a document in the current roll cycle, which creates and maps that cycle's
     * file and its index, allocates the pages ahead ({@link WriteAhead}), rolls the document back, and touches the
     * page ahead. Without it the first append on a fresh queue pays all of that, several milliseconds on the pipeline
     * thread.
     *
     * @throws JournalWriteException when the pages ahead cannot be allocated (a full disk).
     */
    public void prepare()
    {
        checkRoom();
        final ExcerptAppender current = appender();
        try (DocumentContext context = current.writingDocument())
        {
            // the write position is known while a document is open (after a rollback it reads 0)
            ahead.afterAppend(current);
            context.rollbackOnClose();
        }
        checkRoom();
        if (current instanceof MicroTouched)
        {
            ((MicroTouched)current).microTouch();
        }
    }

    /**
     * Appends one document.
     *
     * @param bytes  the document's bytes.
     * @param offset where they start.
     * @param length how many.
     * @throws JournalWriteException when the write fails (a full disk shows as an {@link InternalError} from the
     *     mapped write).
     */
    public void write(final byte[] bytes, final int offset, final int length)
    {
        checkRoom();
        try (DocumentContext context = appender().writingDocument())
        {
            context.wire().bytes().write(bytes, offset, length);
        }
        catch (final RuntimeException | Error ex)
        {
            throw new JournalWriteException(dir, ex);
        }
        afterAppend();
    }

    /**
     * Call before beginning a document: refuses it when the write-ahead could not allocate the pages ahead of the
     * write position ({@link WriteAhead}), so that a full disk fails the write here, with nothing of the document
     * written, instead of through the mapping, where a missing page is a SIGBUS the JVM reports only some instructions
     * later, possibly after the document was committed with bytes missing (or, where the JVM itself touches the page,
     * a crash). The first document of this queue's appender, one that rolls it into a new file (or may, within
     * {@link #ROLL_MARGIN_MILLIS}), whose pages the write-ahead cannot have allocated, and any while the write-ahead is
     * paused, are refused when the file system has less free than the write-ahead would allocate in a new file
     * ({@link WriteAhead#newFileBytes()}).
     *
     * @throws JournalWriteException naming the queue and the cause.
     */
    public void checkRoom()
    {
        final IOException failure = ahead.failure();
        if (null != failure)
        {
            throw new JournalWriteException(dir, failure);
        }
        // the first document of an appender opens (or creates) its roll file; a later one may roll into a new one,
        // and a paused write-ahead has allocated nothing ahead
        if (null == appender || ahead.isPaused() || mayRollSoon())
        {
            FreeSpace.require(dir, ahead.newFileBytes(), "a new roll file needs before its pages are allocated");
        }
    }

    /**
     * @return true when the appender's cycle is not the cycle of a moment {@link #ROLL_MARGIN_MILLIS} (at most a
     *     quarter cycle) from now: the document may roll into a new file, if not at once then should the thread be
     *     held up between this check and the document's start.
     */
    private boolean mayRollSoon()
    {
        if (!(queue instanceof SingleChronicleQueue single))
        {
            return false;
        }
        final long length = single.rollCycle().lengthInMillis();
        final long soon = single.time().currentTimeMillis() + Math.min(ROLL_MARGIN_MILLIS, length / 4);
        return appender.cycle() != (int)((soon - single.epoch()) / length);
    }

    /** @return false once the write-ahead met a full disk: nothing more may be written, nor a page touched. */
    public boolean hasRoom()
    {
        return null == ahead.failure();
    }

    /**
     * Right after a document was written through {@link #appender()} (not after one rolled back), on the appending
     * thread: keeps the file allocated ahead of the write position ({@link WriteAhead}), so the next appends do not
     * fault in fresh pages, and on entering a block has the next one mapped ({@link BlockMapper}). Never throws.
     */
    public void afterAppend()
    {
        ahead.afterAppend(appender);
        if (null != aheadBlock && null != appender)
        {
            aheadBlock.afterAppend(appender);
        }
    }

    /** @param block maps this queue's next block ahead of its appender ({@link BlockMapper#mapAheadOf}). */
    void mapAheadWith(final AheadBlock block)
    {
        this.aheadBlock = block;
    }

    /** @return true when this queue's block ahead of its appender is mapped ({@link BlockMapper}; tests). */
    boolean blockAheadMapped()
    {
        return null != aheadBlock && aheadBlock.isAhead();
    }

    /** @return the queue's folder. */
    public Path dir()
    {
        return dir;
    }

    /** @return true once something was appended through this queue. */
    public boolean hasAppended()
    {
        return null != appender;
    }

    /** @return the queue itself, for reads (index lookups). */
    public ChronicleQueue queue()
    {
        return queue;
    }

    /** @return the durability policy. */
    public Durability durability()
    {
        return durability;
    }

    /**
     * {@link #sync()}, with a failure reported as a {@link JournalWriteException} naming this queue.
     *
     * @throws JournalWriteException when the sync fails.
     */
    public void syncOrFail()
    {
        try
        {
            sync();
        }
        catch (final RuntimeException | Error ex)
        {
            throw new JournalWriteException(dir, ex);
        }
    }

    /**
     * Makes what was appended as durable as the policy promises: nothing for {@link Durability#NONE}; the start of
     * the write-back of the current chunk for {@link Durability#ASYNC}; for {@link Durability#SYNC}, returns once every
     * roll file written since the last sync is on disk.
     *
     * @throws UncheckedIOException when a roll file cannot be synced.
     */
    public void sync()
    {
        if (Durability.NONE == durability || null == appender)
        {
            return;
        }
        if (Durability.ASYNC == durability)
        {
            appender.sync();
            return;
        }
        try
        {
            syncWritten();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot sync the queue in " + dir + ": " + ex.getMessage(), ex);
        }
    }

    private void syncWritten() throws IOException
    {
        final int cycle = appender.cycle();
        if (cycle == syncedCycle)
        {
            syncedChannel.force(false);
            lastSynced = List.of(syncedFile);
            return;
        }
        // a roll since the last sync: the file it left holds records written since then, and so may every file
        // after it (the first sync: the appender's own, the newest); listing the folder is affordable once a roll
        final List<Path> files = JournalFiles.rollFiles(dir);
        final List<Path> written = new ArrayList<>();
        for (final Path file : null == syncedFile ? files.subList(files.size() - 1, files.size()) : files)
        {
            if (null == syncedFile || file.compareTo(syncedFile) >= 0)
            {
                written.add(file);
            }
        }
        for (final Path file : written)
        {
            if (file.equals(syncedFile))
            {
                syncedChannel.force(false);
            }
            else
            {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
                {
                    channel.force(false);
                }
            }
        }
        closeSyncedChannel();
        syncedFile = written.get(written.size() - 1);
        syncedChannel = FileChannel.open(syncedFile, StandardOpenOption.WRITE);
        syncedCycle = cycle;
        lastSynced = List.copyOf(written);
    }

    /** @return the roll files the last {@link Durability#SYNC} sync wrote back, for tests and diagnostics. */
    public List<Path> lastSynced()
    {
        return lastSynced;
    }

    @Override
    public void close()
    {
        try
        {
            if (null != aheadBlock)
            {
                aheadBlock.close();
            }
        }
        finally
        {
            closeWriting();
        }
    }

    private void closeWriting()
    {
        ahead.close();
        if (null != appender)
        {
            appender.close();
        }
        queue.close();
        try
        {
            closeSyncedChannel();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private void closeSyncedChannel() throws IOException
    {
        if (null != syncedChannel)
        {
            syncedChannel.close();
            syncedChannel = null;
        }
    }
}
