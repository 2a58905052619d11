package io.chronofabric.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

/** A local HTTP endpoint on a free loopback port that answers {@code /metrics} with fixed Prometheus text. */
final class CannedEndpoint implements AutoCloseable
{
    private final HttpServer server;

    /** @param text what {@code /metrics} answers, with status 200. */
    CannedEndpoint(final String text) throws IOException
    {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange ->
        {
            final byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        });
        server.start();
    }

    /** @return the endpoint's URL. */
    String url()
    {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics";
    }

    @Override
    public void close()
    {
        server.stop(0);
    }
}
