package io.chronofabric.engine;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import io.chronofabric.journal.JournalInUseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An engine whose metrics endpoint cannot be served is refused before it creates anything: the journal folder it
 * would have made is not left behind (it was, empty, when the refusal came after the journal opened).
 */
class MetricsPortInUseTest
{
    @TempDir
    Path dir;

    @Test
    void aStartRefusedForItsMetricsPortLeavesNoJournalFolder() throws Exception
    {
        final Path journal = dir.resolve("journal");
        try (ServerSocket taken = new ServerSocket())
        {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            final RuntimeException refused = assertThrows(RuntimeException.class, () -> ChronoFabric.start(
                EngineTestSupport.context(journal).metricsHost("127.0.0.1").metricsPort(taken.getLocalPort())));
            assertTrue(refused.getMessage().contains(String.valueOf(taken.getLocalPort())), refused::getMessage);
        }
        assertFalse(Files.exists(journal), "no journal folder is created for an engine that did not start");
    }

    /** A second engine on a journal in use, with the same metrics port as the first, is refused for the journal. */
    @Test
    void aSecondEngineOnAJournalInUseIsRefusedForTheJournalNotForItsMetricsPort() throws Exception
    {
        final Path journal = dir.resolve("shared");
        final int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            port = probe.getLocalPort();
        }
        try (ChronoFabric first = ChronoFabric.start(EngineTestSupport.context(journal).metricsHost("127.0.0.1")
            .metricsPort(port)))
        {
            assertThrows(JournalInUseException.class, () -> ChronoFabric.start(
                EngineTestSupport.context(journal).metricsHost("127.0.0.1").metricsPort(port)));
        }
    }
}
