package io.chronofabric.cli;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.chronofabric.affinity.HostFiles;
import io.chronofabric.cli.clock.ClockProbe;
import io.chronofabric.cli.clock.ClockReport;
import io.chronofabric.cli.clock.ClockSource;
import io.chronofabric.cli.clock.ClockVerdict;
import io.chronofabric.cli.clock.DriftMeasurement;
import io.chronofabric.cli.clock.PeerClocks;
import io.chronofabric.cli.clock.ProbedClock;
import io.chronofabric.cli.clock.ReadCost;
import io.chronofabric.cli.common.Inputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chronofabric clock}: what the clocks the engine reads achieve on this host (the kernel's clock source;
 * each clock's read cost and granularity; wall against monotonic over an interval), optionally what a running
 * engine serves about its peers' clocks, and a verdict against the ±10 ns goal. Exit code 0, 1 when the engine's
 * endpoint cannot be read, 2 for bad input.
 */
@Command(name = "clock", mixinStandardHelpOptions = true,
    description = {"Measure the clocks the engine reads on this host: the clock source, the cost and granularity " +
        "of System.nanoTime, the engine's wall clock and its hybrid logical clock, and wall against monotonic " +
        "over an interval; with --url, a running engine's peer clock offsets, round trips and HLC lead.",
        "Ends with a verdict against the +/-10 ns goal."})
public final class ClockCommand implements Callable<Integer>
{
    private static final long MIN_INTERVAL_MILLIS = 10;
    private static final long MAX_INTERVAL_MILLIS = 600_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--interval-ms", paramLabel = "MS", defaultValue = "1000", description = "How long to watch " +
        "wall against monotonic, in [10, 600000] (default: ${DEFAULT-VALUE}).")
    private long intervalMillis;

    @Option(names = "--url", paramLabel = "URL", description = "A running engine's metrics endpoint, e.g. " +
        "http://127.0.0.1:9464/metrics: list its peers' clock offsets and round trips, and its HLC lead.")
    private String url;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "5000", description = "How long reading " +
        "--url may take, body included, in [1, 3600000] (default: ${DEFAULT-VALUE}).")
    private long timeoutMillis;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    private boolean json;

    @Override
    public Integer call() throws InterruptedException
    {
        Inputs.inRange(spec, "--interval-ms", intervalMillis, MIN_INTERVAL_MILLIS, MAX_INTERVAL_MILLIS,
            "milliseconds");
        Inputs.inRange(spec, "--timeout-ms", timeoutMillis, 1, MetricsEndpoint.MAX_TIMEOUT_MILLIS, "milliseconds");
        final URI uri = null == url ? null : MetricsEndpoint.uri(spec, "--url", url);
        final PeerClocks peers;
        try
        {
            peers = null == uri ? null : PeerClocks.of(MetricsEndpoint.scrapeEngine(uri, timeoutMillis));
        }
        catch (final MetricsEndpoint.UnreadableException ex)
        {
            spec.commandLine().getErr().println("chronofabric: " + ex.getMessage());
            return Main.EXIT_FAILURE;
        }
        catch (final MetricsEndpoint.NotAnEngineException ex)
        {
            spec.commandLine().getErr().println("chronofabric: " + ex.getMessage());
            return Main.EXIT_USAGE;
        }
        final ClockSource source = ClockSource.read(HostFiles.system());
        final List<ReadCost> costs = new ArrayList<>();
        for (final ProbedClock clock : ProbedClock.values())
        {
            costs.add(ClockProbe.measure(clock));
        }
        final DriftMeasurement drift = DriftMeasurement.measure(intervalMillis);
        final ClockReport report = new ClockReport(source, costs, drift, null == uri ? null : uri.toString(), peers,
            ClockVerdict.judge(ClockVerdict.GOAL_NANOS, costs, drift, peers));
        spec.commandLine().getOut().print(json ? Json.render(report.toMap()) : report.toText());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
