package io.chronofabric.engine.api;

/**
 * What the sequencer does when the hold buffer (messages waiting for dependencies) is full. Both are counted.
 */
public enum HoldOverflowPolicy
{
    /**
     * Publishes that declare dependencies are refused while the buffer is full. A message that declares dependencies
     * takes a place from its publish until the sequencer has admitted it (released at once when its dependencies are
     * already settled, or held), so a burst of more such messages than {@code hold.capacity} can be refused although
     * none of them will wait; a message already in flight that must wait is dead-lettered with reason hold_overflow.
     */
    REJECT_NEW,
    /**
     * The oldest held message is dead-lettered with reason hold_overflow to make room; what depends on it follows, as
     * dependents of any dead-lettered message do, with reason dependency_dead_lettered.
     */
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
