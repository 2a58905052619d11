package io.chronofabric.cli.clock;

import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;

import io.chronofabric.engine.api.SystemWallClock;

/**
 * Wall against monotonic over one interval, for the engine's wall clock ({@link SystemWallClock}: the monotonic
 * clock plus an offset re-anchored to {@code currentTimeMillis} whenever it strays by a millisecond) and for the
 * JVM's {@code CLOCK_REALTIME} ({@link Instant#now()}), and how far the engine's wall clock is from
 * {@code CLOCK_REALTIME} at the end.
 *
 * @param intervalMillis                the interval asked for.
 * @param drifts                        the drift of each wall clock.
 * @param engineMinusRealtimeNanos      the engine's wall clock minus {@code CLOCK_REALTIME} at the end, nanoseconds.
 * @param engineMinusRealtimeUncertaintyNanos how far off that may be from the brackets alone.
 */
public record DriftMeasurement(long intervalMillis, List<WallDrift> drifts, long engineMinusRealtimeNanos,
    long engineMinusRealtimeUncertaintyNanos)
{
    /** The engine's wall clock's name in the output. */
    public static final String ENGINE_WALL = "SystemWallClock";
    /** {@code CLOCK_REALTIME}'s name in the output. */
    public static final String REALTIME = "CLOCK_REALTIME";

    private static final LongSupplier ENGINE = SystemWallClock.INSTANCE::epochNanos;
    private static final LongSupplier JVM_REALTIME = DriftMeasurement::realtimeNanos;

    /**
     * Samples both wall clocks, sleeps for the interval, samples them again.
     *
     * @param intervalMillis how long to wait between the samples.
     * @return the drifts.
     * @throws InterruptedException when interrupted while waiting.
     */
    public static DriftMeasurement measure(final long intervalMillis) throws InterruptedException
    {
        WallOffset.sample(ENGINE, WallOffset.TRIES);
        WallOffset.sample(JVM_REALTIME, WallOffset.TRIES);
        final WallOffset engineStart = WallOffset.sample(ENGINE, WallOffset.TRIES);
        final WallOffset realtimeStart = WallOffset.sample(JVM_REALTIME, WallOffset.TRIES);
        Thread.sleep(intervalMillis);
        final WallOffset engineEnd = WallOffset.sample(ENGINE, WallOffset.TRIES);
        final WallOffset realtimeEnd = WallOffset.sample(JVM_REALTIME, WallOffset.TRIES);
        return new DriftMeasurement(intervalMillis, List.of(WallDrift.between(ENGINE_WALL, engineStart, engineEnd),
            WallDrift.between(REALTIME, realtimeStart, realtimeEnd)),
            engineEnd.wallMinusMonotonicNanos() - realtimeEnd.wallMinusMonotonicNanos(),
            (engineEnd.bracketNanos() + realtimeEnd.bracketNanos() + 1) / 2);
    }

    private static long realtimeNanos()
    {
        final Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
