package io.chronofabric.engine.api;

/**
 * The physical clock a {@link HybridClock} reads: wall time in epoch nanoseconds. Injectable so that tests can freeze
 * it, step it backwards or jump it forwards.
 */
@FunctionalInterface
public interface WallClock
{
    /**
     * @return the current wall time in nanoseconds since the Unix epoch.
     */
    long epochNanos();
}
