package io.chronofabric.node;

/** Where a node stands with one peer. */
public enum PeerState
{
    /** Not heard from yet since this node started, for less than {@code peer.timeout-ms}. */
    CONNECTING,
    /** Heard from within {@code peer.timeout-ms}; streams flow both ways. */
    ACTIVE,
    /**
     * Not heard from for {@code peer.timeout-ms} (or never, that long after this node started): down or partitioned;
     * resumed from the high-water mark later.
     */
    UNREACHABLE,
    /** Fell {@code peer.max-lag} behind under {@code peer.lag-policy=quarantine}: nothing is shipped to it. */
    QUARANTINED,
    /**
     * Refused: it restarted on another journal than the one whose messages this node holds, or sent a record this
     * node cannot take (capacities that differ). Nothing is taken from it or shipped to it, and it is told why, until
     * it restarts as a process this node can take from (its journal back, the capacities matched).
     */
    REFUSED;

    /** @return the lower-case name, as metrics and reports show it. */
    public String label()
    {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
