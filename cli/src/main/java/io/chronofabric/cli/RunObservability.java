package io.chronofabric.cli;

import io.chronofabric.cli.common.Inputs;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.perf.report.OutputFiles;
import io.prometheus.metrics.model.registry.MultiCollector;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.Stage;
import io.chronofabric.engine.internal.observability.AnomalyKind;
import io.chronofabric.engine.internal.observability.AnomalyMonitor;
import io.chronofabric.cli.analysis.Diagnostics;
import io.chronofabric.engine.internal.observability.EngineMetrics;
import io.chronofabric.cli.analysis.Finding;
import io.chronofabric.cli.analysis.HealthSnapshots;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The observability options of {@code run} (a picocli mixin): metrics endpoint, final metrics file, health report and
 * message flow tracing, and what they add to the run's output.
 */
final class RunObservability
{
    @Option(names = "--metrics-port", paramLabel = "PORT", description = "Serve Prometheus metrics on " +
        "http://HOST:PORT/metrics while the run lasts, HOST being metrics.host (127.0.0.1 unless set with --set); " +
        "sets metrics.port.")
    private Integer metricsPort;

    @Option(names = "--metrics-out", paramLabel = "FILE", description = "Once the run has drained, write the final " +
        "metrics (the Prometheus text a scrape gets) to FILE: its counters agree with the summary.")
    private Path metricsOut;

    @Option(names = "--diagnose", description = "After the run, print a health report: findings with severity and " +
        "fix (with --json: under \"diagnosis\").")
    private boolean diagnose;

    @Option(names = "--trace", description = "Trace message flow: log stuck messages and slow hops as they happen " +
        "(sets tracing.enabled=true; thresholds tracing.stuck-ms, tracing.slow-hop-us).")
    private boolean trace;

    private List<Finding> diagnosis;
    private String finalMetrics;
    private Map<String, Object> anomalies;
    private int servedPort = -1;

    /**
     * Checks the options before the run: the metrics file is written only once the run has drained, too late to
     * find out that its folder is missing.
     *
     * @param spec the run command, for usage errors.
     */
    void check(final CommandSpec spec)
    {
        if (null != metricsPort)
        {
            Inputs.inRange(spec, "--metrics-port", metricsPort, 0, 65_535, "a TCP port (0 for none)");
        }
        if (null != metricsOut)
        {
            Inputs.outputFile(spec, "--metrics-out", metricsOut);
        }
    }

    /** @param context the run's settings, after the profile and --set: the options override both. */
    void configure(final EngineConfiguration.Builder context)
    {
        if (null != metricsPort)
        {
            context.metricsPort(metricsPort);
        }
        if (trace)
        {
            context.tracingEnabled(true);
        }
    }

    /** @param engine the run's engine, just started. @param err where the endpoint is announced. */
    void started(final Engine engine, final PrintWriter err)
    {
        if (null != engine.metrics())
        {
            servedPort = engine.metrics().port();
            final String host = engine.context().metricsHost();
            err.println("chronofabric: serving metrics on http://" + (host.contains(":") && !host.startsWith("[") ?
                "[" + host + "]" : host) + ":" + servedPort + "/metrics");
            err.flush();
        }
    }

    /**
     * @param engine      the run's engine, closed (drained): collects the report's additions.
     * @param nodeMetrics the node's families as they were when it closed; null when the run was no node.
     */
    void finished(final Engine engine, final MultiCollector nodeMetrics)
    {
        if (diagnose)
        {
            diagnosis = Diagnostics.analyze(HealthSnapshots.of(engine));
        }
        if (null != metricsOut)
        {
            try (EngineMetrics metrics = EngineMetrics.unserved(engine, engine.monitor()))
            {
                if (null != nodeMetrics)
                {
                    metrics.registry().register(nodeMetrics);
                }
                finalMetrics = metrics.scrapeText();
            }
        }
        final AnomalyMonitor monitor = engine.monitor().anomalies();
        if (null != monitor)
        {
            anomalies = new LinkedHashMap<>();
            for (final AnomalyKind kind : AnomalyKind.values())
            {
                final Map<String, Long> stages = new LinkedHashMap<>();
                for (final Stage stage : Stage.values())
                {
                    stages.put(stage.label(), monitor.total(kind, stage));
                }
                anomalies.put(kind.label(), stages);
            }
        }
    }

    /** @param report the run's summary: adds the endpoint, the flow anomalies and the diagnosis. */
    void addTo(final RunReport report)
    {
        if (0 < servedPort)
        {
            report.put("metrics_port", servedPort);
        }
        if (null != anomalies)
        {
            report.put("flow_anomalies", anomalies);
        }
        if (null != diagnosis)
        {
            report.put("diagnosis", HealthReport.toMap(diagnosis));
        }
    }

    /** @param out the table output: flow anomalies and the health report, after the summary. */
    void printTable(final PrintWriter out)
    {
        if (null != anomalies)
        {
            final StringBuilder line = new StringBuilder();
            anomalies.forEach((kind, stages) ->
            {
                line.append(line.length() > 0 ? "; " : "").append(kind).append(':');
                ((Map<?, ?>)stages).forEach((stage, count) -> line.append(' ').append(stage).append(' ').append(count));
            });
            out.printf("%-26s %s (see the WARN log)%n", "flow anomalies", line);
        }
        if (null != diagnosis)
        {
            out.println();
            out.print(HealthReport.toTable(diagnosis));
        }
    }

    /**
     * Writes the final metrics file, if asked for.
     *
     * @throws io.chronofabric.perf.report.OutputNotWrittenException when it cannot be written.
     */
    void writeMetrics()
    {
        if (null != finalMetrics)
        {
            OutputFiles.writeText(metricsOut, finalMetrics);
        }
    }

    /**
     * @param settings the settings of a warm-up engine, derived from the run's.
     * @return them with no endpoint, no monitor and no tracing.
     */
    static EngineConfiguration.Builder quietForWarmUp(final EngineConfiguration.Builder settings)
    {
        // not a node either: its scratch journal's retention waits for no peer
        return settings.metricsPort(0).monitorIntervalMillis(0).tracingEnabled(false).nodeId(0);
    }
}
