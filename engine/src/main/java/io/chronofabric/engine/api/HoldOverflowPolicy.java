package io.chronofabric.engine.api;

/**
 * What the sequencer does when the hold buffer (messages waiting for dependencies) is full. Both are counted.
 */
public enum HoldOverflowPolicy
{
    /** Publishes that declare dependencies are refused while the buffer is full; a message already in flight that must wait is dead-lettered with reason hold_overflow. */
    REJECT_NEW,
    /** The oldest held message, and what depends on it, is dead-lettered with reason hold_overflow to make room. */
    DEAD_LETTER_OLDEST;

    /**
     * @param name a policy name, case-insensitive, '-' for '_'.
     * @return the policy.
     * @throws IllegalArgumentException naming the allowed values.
     */
    public static HoldOverflowPolicy parse(final String name)
    {
        return EnumLabels.parse(HoldOverflowPolicy.class, name, "hold overflow policy");
    }

    /** @return the accepted names, comma separated. */
    public static String allowed()
    {
        return EnumLabels.allowed(HoldOverflowPolicy.class);
    }

    /** @return the lower-case name with '-', as profiles write it. */
    public String label()
    {
        return EnumLabels.label(this);
    }
}
