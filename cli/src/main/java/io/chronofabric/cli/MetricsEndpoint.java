package io.chronofabric.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.chronofabric.cli.analysis.MetricsText;
import io.chronofabric.cli.common.Inputs;
import io.chronofabric.engine.internal.observability.Families;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Reads a running engine's {@code /metrics} text once, for the commands that work from a scrape ({@code diagnose},
 * {@code nodes}): the URL checked as an option, the whole exchange bounded by one deadline, and every way it can fail
 * turned into one line naming the URL.
 */
final class MetricsEndpoint
{
    /** Where {@code run --metrics-port 9464} serves its metrics by default ({@code metrics.host} is loopback). */
    static final String DEFAULT_URL = "http://127.0.0.1:9464/metrics";
    /** The longest {@code --timeout-ms}: an hour, as for the engine's other millisecond settings. */
    static final long MAX_TIMEOUT_MILLIS = 3_600_000;
    static final String ALLOWED = "the /metrics of an engine run with --metrics-port";

    /** The endpoint could not be read; the message is the one line to print after {@code chronofabric: }. */
    static final class UnreadableException extends Exception
    {
        private static final long serialVersionUID = 1L;

        UnreadableException(final String message)
        {
            super(message);
        }
    }

    /** The endpoint answered, with something other than an engine's metrics: bad input, exit 2 for every command. */
    static final class NotAnEngineException extends Exception
    {
        private static final long serialVersionUID = 1L;

        NotAnEngineException(final String message)
        {
            super(message);
        }
    }

    private MetricsEndpoint()
    {
    }

    /**
     * Scrapes an engine's metrics.
     *
     * @param uri           the endpoint.
     * @param timeoutMillis how long the whole exchange, body included, may take.
     * @return the parsed metrics, which hold {@code chronofabric_engine_info}.
     * @throws UnreadableException  when it cannot be read ({@link #scrape}).
     * @throws NotAnEngineException when what it serves is not Prometheus text, or not a ChronoFabric engine's.
     * @throws InterruptedException when interrupted while waiting.
     */
    static MetricsText scrapeEngine(final URI uri, final long timeoutMillis)
        throws UnreadableException, NotAnEngineException, InterruptedException
    {
        final MetricsText metrics;
        try
        {
            metrics = MetricsText.parse(scrape(uri, timeoutMillis));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new NotAnEngineException(uri + " does not serve Prometheus text: " + ex.getMessage() + "; allowed: " +
                ALLOWED);
        }
        if (metrics.samples(Families.PREFIX + "engine_info").isEmpty())
        {
            throw new NotAnEngineException(uri + " is not a ChronoFabric metrics endpoint (" + Families.PREFIX +
                "engine_info is missing); allowed: " + ALLOWED);
        }
        return metrics;
    }

    /**
     * @param spec   the command.
     * @param option the option that gave the URL, e.g. {@code --url}.
     * @param url    the URL as given.
     * @return it, an http(s) URL with a host.
     * @throws picocli.CommandLine.ParameterException otherwise.
     */
    static URI uri(final CommandSpec spec, final String option, final String url)
    {
        try
        {
            final URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || null == uri.getHost())
            {
                throw new IllegalArgumentException("not an http(s) URL with a host");
            }
            if (uri.getPort() > 65_535)
            {
                throw new IllegalArgumentException("port " + uri.getPort() + " is above 65535");
            }
            return uri;
        }
        catch (final IllegalArgumentException ex)
        {
            throw Inputs.refused(spec, option + " " + url + " is invalid (" + ex.getMessage() +
                "); allowed: http://HOST:PORT/metrics");
        }
    }

    /**
     * @param uri           the endpoint.
     * @param timeoutMillis how long the whole exchange, body included, may take.
     * @return the body of its 200 answer.
     * @throws UnreadableException  when it cannot be reached or is not read in time.
     * @throws NotAnEngineException when it answers another status than 200: something else serves that URL.
     * @throws InterruptedException when interrupted while waiting.
     */
    static String scrape(final URI uri, final long timeoutMillis)
        throws UnreadableException, NotAnEngineException, InterruptedException
    {
        try
        {
            final HttpResponse<String> response = fetch(uri, timeoutMillis);
            if (200 != response.statusCode())
            {
                // something answers there, and not with an engine's metrics: the URL is wrong, not the engine down
                throw new NotAnEngineException(uri + " answered HTTP " + response.statusCode() + "; allowed: " +
                    ALLOWED);
            }
            return response.body();
        }
        catch (final TimeoutException | HttpTimeoutException ex)
        {
            throw new UnreadableException(uri + " timed out after " + timeoutMillis + " ms (--timeout-ms) before " +
                "its metrics were read in full; is an engine serving them there?");
        }
        catch (final ConnectException ex)
        {
            if (unresolved(ex))
            {
                throw new UnreadableException("cannot reach " + uri + ": the host name " + uri.getHost() +
                    " does not resolve");
            }
            throw new UnreadableException("cannot reach " + uri + " (" + reason(ex) + "); is an engine running " +
                "with --metrics-port (or metrics.port) on that port?");
        }
        catch (final IOException ex)
        {
            throw new UnreadableException("cannot read " + uri + ": " + reason(ex));
        }
    }

    /**
     * The HTTP client's own timeouts cover connecting and the response headers, not the body: an endpoint that sends
     * its headers and then trickles the body would hold the command indefinitely. So the whole exchange, body
     * included, is bounded by one deadline, and abandoned when it passes.
     */
    private static HttpResponse<String> fetch(final URI uri, final long timeoutMillis)
        throws IOException, InterruptedException, TimeoutException
    {
        final Duration timeout = Duration.ofMillis(timeoutMillis);
        final HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
        final CompletableFuture<HttpResponse<String>> response = client.sendAsync(
            HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
        try
        {
            return response.get(timeoutMillis, TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof IOException)
            {
                throw (IOException)ex.getCause();
            }
            throw new IOException(String.valueOf(ex.getCause()), ex.getCause());
        }
        finally
        {
            response.cancel(true);
        }
    }

    /** @return true when connecting failed because the host name did not resolve. */
    private static boolean unresolved(final Throwable failure)
    {
        for (Throwable cause = failure; null != cause; cause = cause.getCause())
        {
            if (cause instanceof java.net.UnknownHostException ||
                cause instanceof java.nio.channels.UnresolvedAddressException)
            {
                return true;
            }
            if (cause == cause.getCause())
            {
                break;
            }
        }
        return false;
    }

    private static String reason(final IOException ex)
    {
        return null == ex.getMessage() ? "connection refused or closed" : ex.getMessage();
    }
}
