package io.chronofabric.engine.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

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
        for (final HoldOverflowPolicy policy : values())
        {
            if (policy.label().equals(name.trim().toLowerCase(Locale.ROOT).replace('_', '-')))
            {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown hold overflow policy '" + name + "'; allowed: " + allowed());
    }

    /** @return the accepted names, comma separated. */
    public static String allowed()
    {
        return Arrays.stream(values()).map(HoldOverflowPolicy::label).collect(Collectors.joining(", "));
    }

    /** @return the lower-case name with '-', as profiles write it. */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
