package io.chronofabric.engine.internal.clock;

import java.time.Instant;

/**
 * Comparing and printing HLC timestamps held as (wall nanoseconds, logical) pairs.
 */
public final class HlcTimestamps
{
    private HlcTimestamps()
    {
    }

    /**
     * @param wallA    first wall component.
     * @param logicalA first logical component.
     * @param wallB    second wall component.
     * @param logicalB second logical component.
     * @return negative, zero or positive as A is before, equal to or after B.
     */
    public static int compare(final long wallA, final long logicalA, final long wallB, final long logicalB)
    {
        final int byWall = Long.compare(wallA, wallB);
        return 0 != byWall ? byWall : Long.compare(logicalA, logicalB);
    }

    /**
     * @param wall    wall component, epoch nanoseconds.
     * @param logical logical component.
     * @return ISO-8601 instant with nanoseconds, then {@code #logical}, e.g. {@code 2026-11-24T02:00:00.123456789Z#3}.
     */
    public static String format(final long wall, final long logical)
    {
        return Instant.ofEpochSecond(0, wall) + "#" + logical;
    }
}
