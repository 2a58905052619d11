package io.chronofabric.engine.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.chronofabric.engine.EngineContext;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Free space on the journal's file system against {@code journal.min-free-bytes}: checked before the engine starts
 * (it refuses to start below it) and by the performance monitor while it runs (a WARN when it falls below, repeated
 * every tenth check while it lasts, an INFO when it recovers). A write the disk cannot back fails the journal, so
 * the warning comes while there is still room to act.
 */
public final class DiskSpaceWatch
{
    private static final Logger LOG = LogManager.getLogger(DiskSpaceWatch.class);
    private static final int REPEAT_EVERY = 10;

    private final Path dir;
    private final long minFreeBytes;
    private int lowChecks;

    /** @param context the engine's settings: the journal folder and its minimum free space. */
    public DiskSpaceWatch(final EngineContext context)
    {
        this.dir = context.journalDir();
        this.minFreeBytes = context.journalMinFreeBytes();
    }

    /**
     * @param dir a folder.
     * @return bytes its file system has free for this process, or -1 when it cannot be read.
     */
    public static long freeBytes(final Path dir)
    {
        try
        {
            return Files.getFileStore(dir).getUsableSpace();
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    /**
     * @param context the engine's settings.
     * @return null when the journal's file system has at least {@code journal.min-free-bytes} free, else why not.
     */
    public static String shortOfSpace(final EngineContext context)
    {
        final long free = freeBytes(context.journalDir());
        if (0 == context.journalMinFreeBytes() || free < 0 || free >= context.journalMinFreeBytes())
        {
            return null;
        }
        return "the journal's file system (" + context.journalDir().toAbsolutePath() + ") has " + free +
            " bytes free, below journal.min-free-bytes=" + context.journalMinFreeBytes() +
            ": free some space, or lower the setting (0 turns the check off)";
    }

    /** One check, on the monitor thread. */
    public void check()
    {
        if (0 == minFreeBytes)
        {
            return;
        }
        final long free = freeBytes(dir);
        if (free >= 0 && free < minFreeBytes)
        {
            if (0 == lowChecks++ % REPEAT_EVERY)
            {
                LOG.warn("journal disk space low: {} bytes free in {}, below journal.min-free-bytes={}; the journal " +
                    "fails, and the engine refuses publishes, when the disk is full", free, dir.toAbsolutePath(),
                    minFreeBytes);
            }
        }
        else if (0 < lowChecks)
        {
            lowChecks = 0;
            LOG.info("journal disk space back above journal.min-free-bytes: {} bytes free", free);
        }
    }
}
