package io.chronofabric.journal;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Maps each queue's next Chronicle block before its appender reaches it, on a thread of its own, and makes the last
 * release of the blocks the appender left. Chronicle maps a queue file a block at a time ({@code journal.block-size}); the appender that
 * crosses into a new block otherwise maps it itself: an {@code mmap} and about 1.5 KB of Chronicle's objects on the
 * pipeline thread, once a block, and the last release of the block it left. Chronicle keeps the blocks it mapped, so the
 * appender finds this one mapped and takes it as it is ({@link AheadBlock}).
 *
 * <p>The thread sleeps until an appender enters a block ({@link AheadBlock#afterAppend}), and wakes ten times a second
 * otherwise to look (a safety net: a wake-up is not lost); it never spins. A queue's block is mapped once; a failure (a closing queue, an unreadable file) is logged (rate-limited per queue) and leaves
 * that block to the appender, which maps it itself as without this mapper.
 */
public final class BlockMapper implements AutoCloseable
{
    private static final Logger LOG = LogManager.getLogger(BlockMapper.class);
    /** Longest sleep between looks. */
    private static final long PARK_NANOS = 100_000_000L;
    /** How long {@link #close} waits for the thread to end. */
    private static final long STOP_MILLIS = 1_000;

    private final Thread thread;
    private volatile AheadBlock[] blocks = new AheadBlock[0];
    private volatile boolean running = true;

    /**
     * Starts the mapper's thread (a daemon: it holds nothing a process exit must wait for).
     *
     * @param threadName the thread's name.
     */
    public BlockMapper(final String threadName)
    {
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((dead, ex) -> LOG.error("{} stopped: appenders map their blocks " +
            "themselves from now on", dead.getName(), ex));
        thread.start();
    }

    /**
     * Maps the next block of this queue ahead of its appender from now on. Call before the queue's first append.
     *
     * @param queue a queue written by one thread.
     */
    public void mapAheadOf(final DurableQueue queue)
    {
        queue.mapAheadWith(register(new AheadBlock(this, queue.dir())));
    }

    private synchronized AheadBlock register(final AheadBlock block)
    {
        final AheadBlock[] grown = Arrays.copyOf(blocks, blocks.length + 1);
        grown[blocks.length] = block;
        blocks = grown;
        return block;
    }

    /** Wakes the thread: an appender entered a block. */
    void wake()
    {
        LockSupport.unpark(thread);
    }

    private void run()
    {
        while (running)
        {
            try
            {
                for (final AheadBlock block : blocks)
                {
                    mapNext(block);
                }
            }
            catch (final Throwable ex)
            {
                // not one queue's failure (those are each queue's, below): the appenders map their blocks themselves
                // meanwhile, and the mapper goes on
                LOG.warn("{}: failed between blocks; it goes on", thread.getName(), ex);
            }
            finally
            {
                LockSupport.parkNanos(this, PARK_NANOS);
            }
        }
    }

    private static void mapNext(final AheadBlock block)
    {
        try
        {
            block.mapNext();
        }
        catch (final Throwable ex)
        {
            // that queue's appender maps the block itself, as it would without this mapper; the others go on
            block.failed(ex);
        }
    }

    /** Stops the thread and waits for it; each queue releases the blocks held for it when it closes. */
    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join(STOP_MILLIS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive())
        {
            LOG.warn("{} did not stop within {} ms", thread.getName(), STOP_MILLIS);
        }
    }

    static Logger log()
    {
        return LOG;
    }
}
