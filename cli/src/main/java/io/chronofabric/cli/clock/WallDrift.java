package io.chronofabric.cli.clock;

/**
 * How much a wall clock moved against the monotonic clock over an interval: the change of (wall - monotonic)
 * between its start and its end. On one host both usually follow the same NTP slewing, so this shows steps and
 * re-anchoring of the wall clock, not its error against true time; that needs an external reference (NTP or PTP
 * statistics, or a peer).
 *
 * @param clock            the wall clock's name.
 * @param elapsedNanos     the interval, by the monotonic clock.
 * @param driftNanos       the change of (wall - monotonic), nanoseconds; positive when the wall clock gained.
 * @param ppm              the same per million nanoseconds of interval.
 * @param uncertaintyNanos how far off the drift may be from the brackets alone: half of each bracket's width.
 */
public record WallDrift(String clock, long elapsedNanos, long driftNanos, double ppm, long uncertaintyNanos)
{
    /**
     * @param clock the wall clock's name.
     * @param start its offset at the start.
     * @param end   its offset at the end.
     * @return the drift between them.
     */
    public static WallDrift between(final String clock, final WallOffset start, final WallOffset end)
    {
        final long elapsed = end.monotonicNanos() - start.monotonicNanos();
        final long drift = end.wallMinusMonotonicNanos() - start.wallMinusMonotonicNanos();
        return new WallDrift(clock, elapsed, drift, elapsed > 0 ? drift * 1e6 / elapsed : 0,
            (start.bracketNanos() + end.bracketNanos() + 1) / 2);
    }
}
