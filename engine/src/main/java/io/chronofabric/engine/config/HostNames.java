package io.chronofabric.engine.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Checks the syntax of a host setting without resolving it (a setter must not wait for DNS): a host name (labels of
 * letters, digits and hyphens, as RFC 2396 has them), an IPv4 literal, or an IPv6 literal, with or without brackets.
 */
public final class HostNames
{
    private HostNames()
    {
    }

    /**
     * @param host the text to check.
     * @return true when it is a host name or an IP literal.
     */
    public static boolean isHostOrAddress(final String host)
    {
        if (null == host || host.isBlank())
        {
            return false;
        }
        final String literal = host.startsWith("[") && host.endsWith("]") ? host : host.contains(":") ?
            "[" + host + "]" : host;
        try
        {
            // java.net.URI validates a server authority strictly: a host it cannot parse leaves getHost() null
            return null != new URI("http://" + literal + ":1/").getHost();
        }
        catch (final URISyntaxException ex)
        {
            return false;
        }
    }
}
