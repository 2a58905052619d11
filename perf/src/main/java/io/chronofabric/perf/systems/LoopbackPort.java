package io.chronofabric.perf.systems;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A UDP port on the loopback address that the operating system picked and that stays bound, so taken, until closed:
 * the kernel hands a bound port to no other socket, neither to another pick nor as the ephemeral source port of a
 * sending socket (a media driver's publication to a peer). Close it just before the endpoint that needs it binds.
 */
final class LoopbackPort implements AutoCloseable
{
    private final DatagramSocket socket;

    private LoopbackPort(final DatagramSocket socket)
    {
        this.socket = socket;
    }

    /** @return a port free now, held until {@link #close}. */
    static LoopbackPort reserve()
    {
        try
        {
            return new LoopbackPort(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot find a free UDP port on the loopback address", ex);
        }
    }

    /** @return the port. */
    int port()
    {
        return socket.getLocalPort();
    }

    /** Releases the port for the endpoint about to bind it. */
    @Override
    public void close()
    {
        socket.close();
    }
}
