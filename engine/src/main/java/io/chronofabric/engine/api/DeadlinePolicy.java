package io.chronofabric.engine.api;

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
        return EnumLabels.parse(DeadlinePolicy.class, name, "deadline policy");
    }

    /** @return the accepted names, comma separated. */
    public static String allowed()
    {
        return EnumLabels.allowed(DeadlinePolicy.class);
    }

    /** @return the lower-case name with '-', as profiles write it. */
    public String label()
    {
        return EnumLabels.label(this);
    }
}
