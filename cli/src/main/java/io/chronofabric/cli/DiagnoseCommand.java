package io.chronofabric.cli;

import io.chronofabric.cli.common.Inputs;
import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;

import io.chronofabric.cli.analysis.Diagnostics;
import io.chronofabric.cli.analysis.Finding;
import io.chronofabric.cli.analysis.HealthSnapshot;
import io.chronofabric.cli.analysis.MetricsText;
import io.chronofabric.cli.analysis.ScrapedHealth;
import io.chronofabric.cli.analysis.Severity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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
        "${DEFAULT-VALUE}).", defaultValue = MetricsEndpoint.DEFAULT_URL)
    private String url;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "How long the whole request may take, reading " +
        "the metrics included, in [1, 3600000] (default: ${DEFAULT-VALUE}).", defaultValue = "5000")
    private long timeoutMillis;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    private boolean json;

    @Override
    public Integer call() throws InterruptedException
    {
        final URI uri = MetricsEndpoint.uri(spec, "--url", url);
        Inputs.inRange(spec, "--timeout-ms", timeoutMillis, 1, MetricsEndpoint.MAX_TIMEOUT_MILLIS, "milliseconds");
        final PrintWriter err = spec.commandLine().getErr();
        final MetricsText metrics;
        try
        {
            metrics = MetricsEndpoint.scrapeEngine(uri, timeoutMillis);
        }
        catch (final MetricsEndpoint.UnreadableException ex)
        {
            err.println("chronofabric: " + ex.getMessage());
            return Main.EXIT_FAILURE;
        }
        catch (final MetricsEndpoint.NotAnEngineException ex)
        {
            err.println("chronofabric: " + ex.getMessage());
            return Main.EXIT_USAGE;
        }
        final HealthSnapshot snapshot;
        try
        {
            snapshot = ScrapedHealth.of(metrics);
        }
        catch (final IllegalArgumentException ex)
        {
            // it serves the engine's info but not what diagnose reads: another version, or another engine's exporter
            err.println("chronofabric: " + uri + " is " + ex.getMessage() + "; allowed: " + MetricsEndpoint.ALLOWED);
            return Main.EXIT_USAGE;
        }
        final List<Finding> findings = Diagnostics.analyze(snapshot);
        final PrintWriter out = spec.commandLine().getOut();
        out.print(json ? Json.render(HealthReport.toMap(findings)) : HealthReport.toTable(findings));
        out.flush();
        return Severity.CRITICAL == Diagnostics.worst(findings) ? Main.EXIT_FAILURE : 0;
    }
}
