package io.chronofabric.engine.internal.observability;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * {@code /-/healthy}: 200 while the engine accepts publishes, 503 with the cause once it has failed closed (a full
 * disk, a failed stage) or closed, so that a load balancer or an orchestrator stops sending it work. Every other
 * path but {@code /metrics} is 404.
 */
final class HealthHandler implements HttpHandler
{
    static final String PATH = "/-/healthy";

    private final MonitoredEngine engine;

    HealthHandler(final MonitoredEngine engine)
    {
        this.engine = engine;
    }

    @Override
    public void handle(final HttpExchange exchange) throws IOException
    {
        final int status;
        final String body;
        if (!PATH.equals(exchange.getRequestURI().getPath()))
        {
            status = 404;
            body = "not found: /metrics and " + PATH + " are served\n";
        }
        else if (null != engine.failure())
        {
            status = 503;
            body = "unhealthy: the engine refuses publishes: " + engine.failure() + "\n";
        }
        else if (engine.isClosed())
        {
            status = 503;
            body = "unhealthy: the engine is closed\n";
        }
        else
        {
            status = 200;
            body = "healthy\n";
        }
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(bytes);
        }
    }
}
