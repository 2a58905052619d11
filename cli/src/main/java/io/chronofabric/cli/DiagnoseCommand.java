package io.chronofabric.cli;

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

import io.chronofabric.engine.metrics.Diagnostics;
import io.chronofabric.engine.metrics.Finding;
import io.chronofabric.engine.metrics.MetricsText;
import io.chronofabric.engine.metrics.ScrapedHealth;
import io.chronofabric.engine.metrics.Severity;
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
    @Spec
    private CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", description = "The engine's metrics endpoint (default: " +
        "${DEFAULT-VALUE}).", defaultValue = "http://127.0.0.1:9464/metrics")
    private String url;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "How long to wait for the endpoint (default: " +
        "${DEFAULT-VALUE}).", defaultValue = "5000")
    private long timeoutMillis;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    private boolean json;

    @Override
    public Integer call() throws InterruptedException
    {
        final URI uri = uri();
        final PrintWriter err = spec.commandLine().getErr();
        final String text;
        try
        {
            final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(timeoutMillis)).build();
            final HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMillis(timeoutMillis)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (200 != response.statusCode())
            {
                err.println("chronofabric: " + uri + " answered HTTP " + response.statusCode());
                return Main.EXIT_FAILURE;
            }
            text = response.body();
        }
        catch (final ConnectException | HttpTimeoutException ex)
        {
            err.println("chronofabric: cannot reach " + uri + " (" + ex + "); is an engine running with " +
                "--metrics-port (or metrics.port) on that port?");
            return Main.EXIT_FAILURE;
        }
        catch (final IOException ex)
        {
            err.println("chronofabric: cannot read " + uri + ": " + ex);
            return Main.EXIT_FAILURE;
        }
        final List<Finding> findings = Diagnostics.analyze(ScrapedHealth.of(MetricsText.parse(text)));
        final PrintWriter out = spec.commandLine().getOut();
        out.print(json ? Json.render(HealthReport.toMap(findings)) : HealthReport.toTable(findings));
        out.flush();
        return Severity.CRITICAL == Diagnostics.worst(findings) ? Main.EXIT_FAILURE : 0;
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
