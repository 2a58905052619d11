package io.chronofabric.node;

/**
 * A UDP endpoint a node listens on or reaches a peer at.
 *
 * @param host a host name or IP address.
 * @param port a UDP port, 1..65535.
 */
public record Endpoint(String host, int port)
{
    /** The form {@link #parse} accepts, for error messages. */
    public static final String FORMAT = "HOST:PORT with PORT in [1, 65535]";

    /**
     * @param host a host name or IP address.
     * @param port a UDP port, 1..65535.
     */
    public Endpoint
    {
        if (null == host || host.isBlank() || port < 1 || port > 65_535)
        {
            throw new IllegalArgumentException("endpoint '" + host + ":" + port + "' must be " + FORMAT);
        }
    }

    /**
     * @param text {@code HOST:PORT}.
     * @return the endpoint.
     * @throws IllegalArgumentException naming the text and the allowed form.
     */
    public static Endpoint parse(final String text)
    {
        final int colon = null == text ? -1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1)
        {
            throw new IllegalArgumentException("endpoint '" + text + "' must be " + FORMAT);
        }
        try
        {
            return new Endpoint(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("endpoint '" + text + "' must be " + FORMAT);
        }
    }

    /** @return the Aeron UDP channel for this endpoint. */
    public String channel()
    {
        return "aeron:udp?endpoint=" + host + ":" + port;
    }

    @Override
    public String toString()
    {
        return host + ":" + port;
    }
}
