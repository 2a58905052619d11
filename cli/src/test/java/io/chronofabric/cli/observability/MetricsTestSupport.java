package io.chronofabric.cli.observability;

import io.chronofabric.engine.internal.Engine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.config.WaitStrategyKind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Shared set-up for the metrics tests: a 2-core friendly context, publishing, waiting, and scraping over loopback.
 */
public final class MetricsTestSupport
{
    /** The message type the tests publish. */
    public static final int TYPE = 3;
    /** Writes a long: a stateless constant, so publishing allocates nothing. */
    public static final PayloadWriter<long[]> WRITER = (data, payload) -> payload.putLong(data[0]);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private MetricsTestSupport()
    {
    }

    public static EngineConfiguration.Builder context(final Path journalDir)
    {
        return EngineConfiguration.builder().profile("test").journalDir(journalDir)
            .waitStrategy(WaitStrategyKind.SLEEPING).ringSize(1024).payloadCapacity(64);
    }

    public static void publish(final Publisher publisher, final long count)
    {
        final long[] data = new long[1];
        for (long i = 0; i < count; i++)
        {
            data[0] = i;
            publisher.publish(TYPE, WRITER, data);
        }
    }

    public static void awaitDelivered(final Engine engine, final long count)
    {
        awaitTrue(() -> engine.counters().delivered().get() >= count, 30_000,
            () -> "delivered " + engine.counters().delivered().get() + " of " + count);
    }

    public static void awaitTrue(final BooleanSupplier condition, final long timeoutMillis, final Supplier<String> message)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("timed out after " + timeoutMillis + " ms: " + message.get());
            }
            try
            {
                Thread.sleep(2);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    /** GETs http://127.0.0.1:PORT/metrics as a plain client (no Accept header: the Prometheus text format). */
    public static String scrape(final int port) throws IOException, InterruptedException
    {
        final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response::body);
        return response.body();
    }
}
