package io.chronofabric.cli;

import java.io.IOException;
import java.net.DatagramSocket;

/** Ports for tests that start nodes on loopback. */
public final class FreePorts
{
    private FreePorts()
    {
    }

    /** @return a UDP port free on this host a moment ago (a node listens on UDP). */
    public static int udp() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
