package io.chronofabric.engine.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What happens to a message whose deadline has passed when it reaches a subscriber.
 */
public enum DeadlinePolicy
{
    /** Deliver it anyway; each late (message, subscriber) delivery counts one deadline miss and records its lateness. */
    DELIVER_LATE,
    /** Do not deliver it to that subscriber; dead-letter it with reason expired. */
    EXPIRE;

    /**
     * @param name a policy name, case-insensitive, '-' for '_'.
     * @return the policy.
     * @throws IllegalArgumentException naming the allowed values.
     */
    public static DeadlinePolicy parse(final String name)
    {
        for (final DeadlinePolicy policy : values())
        {
            if (policy.label().equals(name.trim().toLowerCase(Locale.ROOT).replace('_', '-')))
            {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown deadline policy '" + name + "'; allowed: " + allowed());
    }

    /** @return the accepted names, comma separated. */
    public static String allowed()
    {
        return Arrays.stream(values()).map(DeadlinePolicy::label).collect(Collectors.joining(", "));
    }

    /** @return the lower-case name with '-', as profiles write it. */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
