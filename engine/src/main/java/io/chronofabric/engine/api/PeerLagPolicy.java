package io.chronofabric.engine.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

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
        for (final PeerLagPolicy policy : values())
        {
            if (policy.label().equals(name.trim().toLowerCase(Locale.ROOT).replace('_', '-')))
            {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown peer lag policy '" + name + "'; allowed: " + allowed());
    }

    /** @return the accepted names, comma separated. */
    public static String allowed()
    {
        return Arrays.stream(values()).map(PeerLagPolicy::label).collect(Collectors.joining(", "));
    }

    /** @return the lower-case name with '-', as profiles write it. */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
