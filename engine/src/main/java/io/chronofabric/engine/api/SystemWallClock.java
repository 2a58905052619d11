package io.chronofabric.engine.api;

import net.openhft.chronicle.core.time.SystemTimeProvider;

/**
 * The host's wall clock with nanosecond resolution and no allocation per read, through Chronicle Core's
 * {@link SystemTimeProvider} (wall time anchored to {@code currentTimeMillis}, refined with {@code nanoTime}).
 */
public final class SystemWallClock implements WallClock
{
    /** The single instance. */
    public static final SystemWallClock INSTANCE = new SystemWallClock();

    private SystemWallClock()
    {
    }

    @Override
    public long epochNanos()
    {
        return SystemTimeProvider.CLOCK.currentTimeNanos();
    }
}
