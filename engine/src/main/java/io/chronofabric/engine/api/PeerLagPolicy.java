package io.chronofabric.engine.api;

/**
 * What a node does when a peer has fallen {@code peer.max-lag} messages behind this node's journal. Until then a slow
 * peer only grows its lag in the journal; it never slows the pipeline or loses a message.
 */
public enum PeerLagPolicy
{
    /** Local publishers wait (publish) or get {@link Publisher#RING_FULL} (tryPublish) until the peer is back under. */
    BLOCK,
    /**
     * The peer is quarantined: shipping to it stops, an alert is raised, and local publishing goes on. It is caught up
     * from the journal when it next asks for a resend.
     */
    QUARANTINE;

    /**
     * @param name a policy name, case-insensitive, '-' for '_'.
     * @return the policy.
     * @throws IllegalArgumentException naming the allowed values.
     */
    public static PeerLagPolicy parse(final String name)
    {
        return EnumLabels.parse(PeerLagPolicy.class, name, "peer lag policy");
    }

    /** @return the accepted names, comma separated. */
    public static String allowed()
    {
        return EnumLabels.allowed(PeerLagPolicy.class);
    }

    /** @return the lower-case name with '-', as profiles write it. */
    public String label()
    {
        return EnumLabels.label(this);
    }
}
