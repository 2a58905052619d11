package io.chronofabric.node;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.Map;

import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A listen port another process takes after the node was reserved (whose probe found it free) and before the node
 * binds it: the start is refused with one line saying that the port is in use, like the probe's, not with Aeron's
 * registration error, and the node id is let go.
 */
class ListenPortTakenAtStartTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldRefuseTheStartNamingThePortWhenItWasTakenAfterTheReservation() throws Exception
    {
        final int port = InProcessNodes.freePort();
        final int peerPort = InProcessNodes.freePort();
        try (Engine engine = InProcessNodes.engine(tmp, 1, Map.of()))
        {
            final NodeConfiguration configuration = NodeConfiguration.builder()
                .listen(new Endpoint("127.0.0.1", port)).peer(2, new Endpoint("127.0.0.1", peerPort))
                .aeronBaseDir(tmp.resolve("aeron")).build(engine.context());
            final NodeReservation reservation = Node.reserve(configuration);
            try (DatagramChannel taker = DatagramChannel.open())
            {
                taker.bind(new InetSocketAddress("127.0.0.1", port));
                final ListenPortInUseException refused = assertThrows(ListenPortInUseException.class,
                    () -> Node.start(reservation, engine).close());
                assertTrue(refused.getMessage().contains("UDP port " + port) &&
                    refused.getMessage().contains("in use by another process"), refused.getMessage());
                assertTrue(refused.getMessage().lines().count() == 1, refused.getMessage());
            }
            // the id was let go: the same node starts once the port is free
            Node.start(configuration, engine).close();
        }
    }
}
