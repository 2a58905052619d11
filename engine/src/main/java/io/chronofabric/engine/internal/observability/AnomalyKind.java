package io.chronofabric.engine.internal.observability;

/**
 * What the message flow tracer found wrong with a message.
 */
public enum AnomalyKind
{
    /** A message stayed in one stage longer than {@code tracing.stuck-ms}. */
    STUCK("stuck"),
    /** A hop between two stages (or a subscriber's handler) took longer than {@code tracing.slow-hop-us}. */
    SLOW_HOP("slow_hop"),
    /** A message was dead-lettered instead of delivered (as a whole, or for one subscriber). */
    DEAD_LETTER("dead_letter");

    private final String label;

    AnomalyKind(final String label)
    {
        this.label = label;
    }

    /** @return the name used in metric labels, logs and JSON, e.g. {@code slow_hop}. */
    public String label()
    {
        return label;
    }
}
