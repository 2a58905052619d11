package io.chronofabric.cli.analysis;

/**
 * Where a peer counts as lagging or its clock as too far off. A node's {@code /metrics} exposes neither
 * {@code hlc.max-offset-ms} nor {@code peer.max-lag}, so the limits are the engine's default offset (or one given on
 * the command line) and a fixed lag threshold, and every report says which.
 *
 * @param maxOffset       the largest clock offset, in seconds, that is not flagged.
 * @param maxOffsetSource where it came from, for the report.
 * @param lagThreshold    a peer further behind than this many messages is lagging whatever its state.
 */
public record PeerLimits(double maxOffset, String maxOffsetSource, long lagThreshold)
{
    /** Messages behind beyond which an active peer counts as lagging. */
    public static final long LAG_THRESHOLD = 100_000;
    /** The engine's default {@code hlc.max-offset-ms}. */
    public static final long DEFAULT_MAX_OFFSET_MILLIS = 500;

    /** @return the engine's default max offset, and the fixed lag threshold. */
    public static PeerLimits defaults()
    {
        return new PeerLimits(DEFAULT_MAX_OFFSET_MILLIS / 1e3, "the hlc.max-offset-ms default; the endpoint does " +
            "not expose the setting", LAG_THRESHOLD);
    }

    /**
     * @param millis the max offset, in milliseconds.
     * @param source where it came from, e.g. {@code --max-offset-ms}.
     * @return those limits, with the fixed lag threshold.
     */
    public static PeerLimits maxOffsetMillis(final long millis, final String source)
    {
        return new PeerLimits(millis / 1e3, source, LAG_THRESHOLD);
    }

    /** @return one line: the limits and where they came from. */
    public String describe()
    {
        return String.format("limits: clock offset beyond %s (%s); lag over %d messages, or any lag while a peer " +
            "is not active", millis(maxOffset), maxOffsetSource, lagThreshold);
    }

    static String millis(final double seconds)
    {
        return String.format("%.0f ms", seconds * 1e3);
    }
}
