package io.chronofabric.node;

/** Where a node stands with one peer. */
public enum PeerState
{
    /** Not heard from yet since this node started. */
    CONNECTING,
    /** Heard from within {@code peer.timeout-ms}; streams flow both ways. */
    ACTIVE,
    /** Not heard from for {@code peer.timeout-ms}: down or partitioned; resumed from the high-water mark later. */
    UNREACHABLE,
    /** Fell {@code peer.max-lag} behind under {@code peer.lag-policy=quarantine}: nothing is shipped to it. */
    QUARANTINED;

    /** @return the lower-case name, as metrics and reports show it. */
    public String label()
    {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
