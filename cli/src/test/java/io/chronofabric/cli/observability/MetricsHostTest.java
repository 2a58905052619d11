package io.chronofabric.cli.observability;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.api.ConfigurationException;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.config.ResolvedSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The metrics endpoint has no authentication, so it listens on loopback unless {@code metrics.host} says otherwise:
 * reachable on 127.0.0.1 and not on the machine's other addresses by default, and there too with 0.0.0.0. Only
 * this machine's own addresses are ever connected to.
 */
class MetricsHostTest
{
    @TempDir
    Path dir;

    @Test
    void shouldDefaultToLoopbackInTheContextAndInEveryProfile()
    {
        assertEquals("127.0.0.1", EngineConfiguration.builder().build().metricsHost());
        for (final String profile : Profiles.names())
        {
            assertEquals("127.0.0.1", Profiles.builder(profile).build().metricsHost(), profile);
        }
    }

    @Test
    void shouldTakeHostNamesAndIpLiteralsAsProfilesAndSetWriteThem()
    {
        for (final String host : new String[] {"0.0.0.0", "127.0.0.1", "::1", "[::1]", "::", "localhost",
            "metrics.example.internal", "192.0.2.10"})
        {
            final EngineConfiguration.Builder context = EngineConfiguration.builder();
            context.set("metrics.host", host);
            assertEquals(host, context.build().metricsHost());
        }
        final ResolvedSettings settings = Profiles.resolve("dev", Map.of("metrics.host", "0.0.0.0"));
        assertTrue(settings.entries().stream().anyMatch(entry -> "metrics.host".equals(entry.key()) &&
            "0.0.0.0".equals(entry.value()) && ResolvedSettings.Source.OVERRIDE == entry.source()));
    }

    @Test
    void shouldRejectWhatIsNeitherAHostNameNorAnIpLiteral()
    {
        for (final String host : new String[] {"", " ", "host name", "under_score", "http://127.0.0.1", "1.2.3.4.5",
            "127.0.0.1:9464", ":::1", "-dash.example"})
        {
            final ConfigurationException ex = assertThrows(ConfigurationException.class,
                () -> EngineConfiguration.builder().set("metrics.host", host), host);
            assertEquals("metrics.host", ex.key());
            assertTrue(ex.getMessage().contains("a host name or an IP literal"), ex.getMessage());
        }
    }

    @Test
    void shouldListenOnLoopbackOnlyByDefault() throws Exception
    {
        final int port = freePort();
        try (ChronoFabric engine = ChronoFabric.start(MetricsTestSupport.context(dir).metricsPort(port)))
        {
            assertTrue(MetricsTestSupport.scrape(port).contains("chronofabric_messages_published_total"));
            final Optional<InetAddress> other = otherAddressOfThisMachine();
            assumeTrue(other.isPresent(), "this machine has no address besides loopback");
            assertFalse(accepts(other.get(), port), "reachable on " + other.get().getHostAddress());
        }
    }

    @Test
    void shouldListenOnEveryInterfaceWhenToldTo() throws Exception
    {
        final Optional<InetAddress> other = otherAddressOfThisMachine();
        assumeTrue(other.isPresent(), "this machine has no address besides loopback");
        final int port = freePort();
        final EngineConfiguration.Builder context = MetricsTestSupport.context(dir).metricsPort(port);
        context.set("metrics.host", "0.0.0.0");
        try (ChronoFabric engine = ChronoFabric.start(context))
        {
            assertTrue(accepts(other.get(), port), "not reachable on " + other.get().getHostAddress());
            assertTrue(MetricsTestSupport.scrape(port).contains("chronofabric_messages_published_total"));
        }
    }

    @Test
    void shouldRefuseToStartOnAnAddressThatIsNotThisMachines()
    {
        // 203.0.113.0/24 is reserved for documentation: binding to it fails unless this machine has that address;
        // binding sends nothing
        final String foreign = "203.0.113.254";
        assumeFalse(isLocal(foreign), "this machine has " + foreign);
        final ConfigurationException ex = assertThrows(ConfigurationException.class, () -> ChronoFabric.start(
            MetricsTestSupport.context(dir).metricsHost(foreign).metricsPort(freePort())));
        assertTrue(ex.getMessage().contains("metrics.host=" + foreign), ex.getMessage());
    }

    /** A non-loopback IPv4 address of an interface of this machine that is up, or else the local host's address. */
    private static Optional<InetAddress> otherAddressOfThisMachine() throws IOException
    {
        for (final NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces()))
        {
            if (!network.isUp() || network.isLoopback())
            {
                continue;
            }
            for (final InetAddress address : Collections.list(network.getInetAddresses()))
            {
                if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress())
                {
                    return Optional.of(address);
                }
            }
        }
        final InetAddress local = InetAddress.getLocalHost();
        return local.isLoopbackAddress() || !isLocal(local.getHostAddress()) ? Optional.empty() : Optional.of(local);
    }

    private static boolean isLocal(final String address)
    {
        try
        {
            return null != NetworkInterface.getByInetAddress(InetAddress.getByName(address));
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static boolean accepts(final InetAddress address, final int port)
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress(address, port), 2_000);
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
