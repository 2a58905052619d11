package io.chronofabric.node;

/**
 * A node's listen port is held by another socket (another process, most often): the node cannot receive its peers'
 * streams there. Its message names the port and what is allowed, on one line.
 */
public final class ListenPortInUseException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param endpoint the listen endpoint whose port is taken.
     */
    ListenPortInUseException(final Endpoint endpoint)
    {
        super("UDP port " + endpoint.port() + " on " + endpoint.host() + " is in use by another process; allowed: " +
            "a free port");
    }
}
