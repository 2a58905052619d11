package io.chronofabric.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static io.chronofabric.cli.UsageErrors.assertOneLine;
import static io.chronofabric.cli.UsageErrors.assertRefused;
import static io.chronofabric.cli.UsageErrors.words;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code diagnose} refuses a timeout it cannot honour, and its timeout bounds the whole request: an endpoint that
 * answers at once but trickles its body is given up on when the time is up, with one line, exit code 1.
 */
class DiagnoseBadInputTest
{
    @Test
    void shouldRefuseANegativeTimeout()
    {
        assertRefused(words("--timeout-ms -5", "[1, 3600000]"), "diagnose", "--timeout-ms", "-5");
    }

    @Test
    void shouldRefuseZeroAndHugeTimeouts()
    {
        assertRefused(words("--timeout-ms 0", "[1, 3600000]"), "diagnose", "--timeout-ms", "0");
        assertRefused(words("--timeout-ms 9223372036854775807", "[1, 3600000]"), "diagnose", "--timeout-ms",
            Long.toString(Long.MAX_VALUE));
    }

    @Test
    void shouldGiveUpOnAnEndpointThatTricklesItsBodyWhenTheTimeoutIsUp() throws Exception
    {
        try (TricklingEndpoint endpoint = new TricklingEndpoint())
        {
            final long start = System.nanoTime();
            final UsageErrors.Result result = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> UsageErrors.run("diagnose", "--timeout-ms", "1000", "--url", endpoint.url()));
            final long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(Main.EXIT_FAILURE, result.code(), result::toString);
            assertOneLine(result, "timed out after 1000 ms", endpoint.url());
            assertTrue(millis >= 900, "waited the timeout, not less: " + millis + " ms");
        }
    }

    /** An endpoint with the engine's info but not the families diagnose reads (another version): one line, exit 2. */
    @Test
    void shouldRefuseAnEngineEndpointWithoutTheFamiliesItReadsInOneLine() throws Exception
    {
        try (CannedEndpoint endpoint = new CannedEndpoint(NodeScrape.ENGINE_INFO))
        {
            final UsageErrors.Result result = UsageErrors.run("diagnose", "--url", endpoint.url());
            assertEquals(Main.EXIT_USAGE, result.code(), result::toString);
            assertOneLine(result, endpoint.url(), "chronofabric_pipeline_threads is missing", "allowed");
        }
    }

    /**
     * diagnose, nodes and clock --url on an endpoint that answers with something else than an engine's metrics (a web
     * page, another program's Prometheus text) or on a port that cannot exist: one line, exit 2, never a stack trace.
     */
    @Test
    void shouldRefuseAnEndpointThatIsNotAnEngineInOneLine() throws Exception
    {
        for (final String text : new String[] {"<!DOCTYPE HTML>\n<html><body>hello</body></html>\n",
            "# HELP other_requests_total Requests.\n# TYPE other_requests_total counter\nother_requests_total 3\n"})
        {
            try (CannedEndpoint endpoint = new CannedEndpoint(text))
            {
                for (final String command : new String[] {"diagnose", "nodes", "clock"})
                {
                    final UsageErrors.Result result = UsageErrors.run(command, "--url", endpoint.url());
                    assertEquals(Main.EXIT_USAGE, result.code(), result::toString);
                    assertOneLine(result, endpoint.url(), "allowed");
                }
            }
        }
        for (final String command : new String[] {"diagnose", "nodes", "clock"})
        {
            assertRefused(words("--url", "99999"), command, "--url", "http://127.0.0.1:99999/metrics");
        }
        // something answers there, but not /metrics of an engine (a black-box round: diagnose exited 1 without
        // saying what is allowed)
        try (CannedEndpoint endpoint = new CannedEndpoint(NodeScrape.ENGINE_INFO))
        {
            final String missing = endpoint.url().replace("/metrics", "/nothere");
            for (final String command : new String[] {"diagnose", "nodes", "clock"})
            {
                final UsageErrors.Result result = UsageErrors.run(command, "--url", missing);
                assertEquals(Main.EXIT_USAGE, result.code(), result::toString);
                assertOneLine(result, missing, "answered HTTP 404", "allowed");
            }
        }
    }

    /** A host name that does not resolve is named as that, not as a refused connection. */
    @Test
    void shouldSayAHostNameDoesNotResolve() throws Exception
    {
        // where the resolver answers at once (no name server, or one that says NXDOMAIN for .invalid); one that
        // does not answer within the timeout makes it a timeout, said as that
        final long start = System.nanoTime();
        boolean resolved;
        try
        {
            java.net.InetAddress.getByName("no-such-host.invalid");
            resolved = true;
        }
        catch (final java.net.UnknownHostException expected)
        {
            resolved = false;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(!resolved && System.nanoTime() - start < 1_000_000_000L,
            "this host's resolver answers no-such-host.invalid at once with no such host");
        final String url = "http://no-such-host.invalid:47322/metrics";
        final UsageErrors.Result result = UsageErrors.run("diagnose", "--url", url, "--timeout-ms", "3000");
        assertEquals(Main.EXIT_FAILURE, result.code(), result::toString);
        assertOneLine(result, url, "the host name no-such-host.invalid does not resolve");
    }

    /** A local HTTP endpoint that sends its headers at once, then its body one byte every 200 ms. */
    private static final class TricklingEndpoint implements AutoCloseable
    {
        private final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final Thread thread = new Thread(this::serve, "trickling-endpoint");

        TricklingEndpoint() throws IOException
        {
            thread.setDaemon(true);
            thread.start();
        }

        String url()
        {
            return "http://127.0.0.1:" + server.getLocalPort() + "/metrics";
        }

        private void serve()
        {
            try (Socket socket = server.accept())
            {
                skipRequest(socket.getInputStream());
                final OutputStream out = socket.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: 100000\r\n" +
                    "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                for (int i = 0; i < 100_000 && !Thread.currentThread().isInterrupted(); i++)
                {
                    out.write('#');
                    out.flush();
                    Thread.sleep(200);
                }
            }
            catch (final IOException | InterruptedException ex)
            {
                // the client went away or the test is over
            }
        }

        private static void skipRequest(final InputStream in) throws IOException
        {
            final byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            int matched = 0;
            while (matched < end.length)
            {
                final int b = in.read();
                if (b < 0)
                {
                    return;
                }
                matched = b == end[matched] ? matched + 1 : b == end[0] ? 1 : 0;
            }
        }

        @Override
        public void close() throws IOException
        {
            thread.interrupt();
            server.close();
        }
    }
}
