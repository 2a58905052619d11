package io.chronofabric.engine.internal.observability;

import java.nio.file.Path;

import io.chronofabric.engine.api.EngineFailedException;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.journal.FreeSpace;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Free space on the journal's file system against {@code journal.min-free-bytes}: checked before the engine starts
 * (it refuses to start below it) and by the performance monitor while it runs (a WARN when it falls below, repeated
 * every tenth check while it lasts, an INFO when it recovers). A write the disk cannot back fails the journal, so
 * the warning comes while there is still room to act. Each check also measures how fast the free space shrinks, and
 * from it the time until the space above {@code journal.min-free-bytes} is gone: a WARN when that is under
 * {@value #FULL_WARNING_SECONDS} s (the write rate outruns retention), repeated like the other.
 */
public final class DiskSpaceWatch
{
    private static final Logger LOG = LogManager.getLogger(DiskSpaceWatch.class);
    private static final int REPEAT_EVERY = 10;
    /** A journal that fills its disk within this many seconds at the current rate is warned about. */
    public static final long FULL_WARNING_SECONDS = 3600;

    private final Path dir;
    private final long minFreeBytes;
    private int lowChecks;
    private int fillingChecks;
    private long lastFree = -1;
    private long lastNanos;
    private volatile double secondsUntilFull = Double.NaN;

    /** @param context the engine's settings: the journal folder and its minimum free space. */
    public DiskSpaceWatch(final EngineConfiguration context)
    {
        this.dir = context.journalDir();
        this.minFreeBytes = context.journalMinFreeBytes();
    }

    /**
     * @param dir a folder, or one not created yet: then the file system of its nearest existing ancestor, where it
     *            would be created.
     * @return bytes its file system has free for this process, or -1 when it cannot be read.
     */
    public static long freeBytes(final Path dir)
    {
        return FreeSpace.usableBytes(dir);
    }

    /**
     * The engine's refusal to start below {@code journal.min-free-bytes}; {@code run} says it before it touches the
     * journal too.
     *
     * @param context the engine's settings.
     * @throws EngineFailedException naming the free space and the setting.
     */
    public static void requireRoomToStart(final EngineConfiguration context)
    {
        final String shortOfSpace = shortOfSpace(context);
        if (null != shortOfSpace)
        {
            throw new EngineFailedException("refusing to start: " + shortOfSpace, null);
        }
    }

    /**
     * @param context the engine's settings.
     * @return null when the journal's file system has at least {@code journal.min-free-bytes} free, else why not.
     */
    public static String shortOfSpace(final EngineConfiguration context)
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

    /**
     * @return seconds until the journal's file system is down to {@code journal.min-free-bytes} at the rate its free
     *     space shrank over the last check interval; infinity when it is not shrinking, NaN before two checks.
     */
    public double secondsUntilFull()
    {
        return secondsUntilFull;
    }

    /** One check, on the monitor thread. */
    public void check()
    {
        final long free = freeBytes(dir);
        measureRate(free, System.nanoTime());
        if (0 == minFreeBytes)
        {
            return;
        }
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

    private void measureRate(final long free, final long now)
    {
        if (free < 0)
        {
            secondsUntilFull = Double.NaN;
            return;
        }
        if (lastFree >= 0 && now > lastNanos)
        {
            final double shrinkPerSecond = (lastFree - free) * 1e9 / (now - lastNanos);
            secondsUntilFull = shrinkPerSecond <= 0 ? Double.POSITIVE_INFINITY :
                Math.max(0, free - minFreeBytes) / shrinkPerSecond;
            if (secondsUntilFull < FULL_WARNING_SECONDS)
            {
                if (0 == fillingChecks++ % REPEAT_EVERY)
                {
                    LOG.warn("journal disk filling: {} bytes free in {} shrink by {} bytes/s, down to " +
                        "journal.min-free-bytes={} in {} s; set journal.retention.max-age-ms or max-bytes, or free " +
                        "space", free, dir.toAbsolutePath(), (long)shrinkPerSecond, minFreeBytes, (long)secondsUntilFull);
                }
            }
            else
            {
                fillingChecks = 0;
            }
        }
        lastFree = free;
        lastNanos = now;
    }
}
