package io.chronofabric.engine.api;

/**
 * A configuration value that cannot be used: names the key, the value and what is allowed.
 */
public final class ConfigurationException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * @param key     the setting's key, e.g. {@code ring.size}.
     * @param value   the rejected value.
     * @param allowed what the key accepts.
     */
    public ConfigurationException(final String key, final Object value, final String allowed)
    {
        super(key + "=" + value + " is invalid; allowed: " + allowed);
        this.key = key;
    }

    /**
     * @param message the whole message, for problems that are not about one value.
     * @param key     the key concerned.
     * @param cause   the underlying problem.
     */
    public ConfigurationException(final String message, final String key, final Throwable cause)
    {
        super(message, cause);
        this.key = key;
    }

    /** @return the key of the rejected setting. */
    public String key()
    {
        return key;
    }
}
