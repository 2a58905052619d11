package io.chronofabric.cli;

import io.chronofabric.cli.common.Inputs;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.chronofabric.cli.analysis.Diagnostics;
import io.chronofabric.cli.analysis.Finding;
import io.chronofabric.cli.analysis.MetricsText;
import io.chronofabric.cli.analysis.ScrapedHealth;
import io.chronofabric.cli.analysis.Severity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code chronofabric diagnose}: the health report of a running engine, read from its Prometheus endpoint (an engine
 * started with {@code --metrics-port}, or {@code metrics.port} in its profile). Exit code 1 when a finding is
 * critical or the endpoint cannot be read.
 */
@Command(name = "diagnose", mixinStandardHelpOptions = true,
    description = "Health report of a running engine from its /metrics endpoint: latency, memory and temporal " +
        "findings, each with a severity (ok, info, warn, critical) and a concrete fix.")
public final class DiagnoseCommand implements Callable<Integer>
{
    /** The longest --timeout-ms: an hour, as for the engine's other millisecond settings. */
    private static final long MAX_TIMEOUT_MILLIS = 3_600_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", description = "The engine's metrics endpoint (default: " +
        "${DEFAULT-VALUE}).", defaultValue = "http://127.0.0.1:9464/metrics")
    private String url;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "How long the whole request may take, reading " +
        "the metrics included, in [1, 3600000] (default: ${DEFAULT-VALUE}).", defaultValue = "5000")
    private long timeoutMillis;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    private boolean json;

    @Override
    public Integer call() throws InterruptedException
    {
        final URI uri = uri();
        Inputs.inRange(spec, "--timeout-ms", timeoutMillis, 1, MAX_TIMEOUT_MILLIS, "milliseconds");
        final PrintWriter err = spec.commandLine().getErr();
        final String text;
        try
        {
            final HttpResponse<String> response = fetch(uri);
            if (200 != response.statusCode())
            {
                err.println("chronofabric: " + uri + " answered HTTP " + response.statusCode());
                return Main.EXIT_FAILURE;
            }
            text = response.body();
        }
        catch (final TimeoutException | HttpTimeoutException ex)
        {
            err.println("chronofabric: " + uri + " timed out after " + timeoutMillis + " ms (--timeout-ms) before " +
                "its metrics were read in full; is an engine serving them there?");
            return Main.EXIT_FAILURE;
        }
        catch (final ConnectException ex)
        {
            err.println("chronofabric: cannot reach " + uri + " (" + reason(ex) + "); is an engine running " +
                "with --metrics-port (or metrics.port) on that port?");
            return Main.EXIT_FAILURE;
        }
        catch (final IOException ex)
        {
            err.println("chronofabric: cannot read " + uri + ": " + reason(ex));
            return Main.EXIT_FAILURE;
        }
        final List<Finding> findings = Diagnostics.analyze(ScrapedHealth.of(MetricsText.parse(text)));
        final PrintWriter out = spec.commandLine().getOut();
        out.print(json ? Json.render(HealthReport.toMap(findings)) : HealthReport.toTable(findings));
        out.flush();
        return Severity.CRITICAL == Diagnostics.worst(findings) ? Main.EXIT_FAILURE : 0;
    }

    /**
     * The HTTP client's own timeouts cover connecting and the response headers, not the body: an endpoint that sends
     * its headers and then trickles the body would hold the command indefinitely. So the whole exchange, body
     * included, is bounded by one deadline, and abandoned when it passes.
     */
    private HttpResponse<String> fetch(final URI uri) throws IOException, InterruptedException, TimeoutException
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

    private static String reason(final IOException ex)
    {
        return null == ex.getMessage() ? "connection refused or closed" : ex.getMessage();
    }

    private URI uri()
    {
        try
        {
            final URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || null == uri.getHost())
            {
                throw new IllegalArgumentException("not an http(s) URL with a host");
            }
            return uri;
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), "--url " + url + " is invalid (" + ex.getMessage() +
                "); allowed: http://HOST:PORT/metrics");
        }
    }
}
