package io.chronofabric.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;

import io.chronofabric.cli.analysis.MetricsText;
import io.chronofabric.cli.analysis.NodeHealth;
import io.chronofabric.cli.analysis.PeerDiagnosis;
import io.chronofabric.cli.analysis.PeerLimits;
import io.chronofabric.cli.analysis.ScrapedNode;
import io.chronofabric.cli.common.ExitCodes;
import io.chronofabric.cli.common.Inputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chronofabric nodes}: the peers of a running node, from one scrape of its {@code /metrics}: state, lag, RTT,
 * clock offset, received, shipped, duplicates dropped, resends, clock rejections per peer, then Aeron's loss repair.
 * A peer unreachable, quarantined, refused, lagging, or with its clock further off than the max offset is flagged
 * with one line, and so is a node still starting (its peers not registered yet) or stopped. Exit code 0 when
 * nothing is flagged (or there are no peers), 1 when something is, 2 for bad input: an invalid
 * option, or an endpoint that cannot be read or is not a ChronoFabric one (exit 1 is kept for flags, so that a
 * script can tell an unhealthy deployment from a wrong URL).
 */
@Command(name = "nodes", mixinStandardHelpOptions = true,
    description = "The peers of a running node from its /metrics endpoint: state, lag, RTT, clock offset, " +
        "received, shipped, duplicates, resends and clock rejections per peer, then Aeron's NAKs, retransmits and " +
        "gap fills; flags a peer unreachable, quarantined, refused, lagging or with its clock beyond the max offset. " +
        "Exit code 0: no flag; 1: a peer flagged; 2: bad input or an endpoint that cannot be read.")
public final class NodesCommand implements Callable<Integer>
{
    /** The line that stands for the table when an engine serves no peer families. */
    static final String NOT_A_NODE = "no peers: this engine is not a node of a deployment";
    /** The line that stands for the table when a node serves its Aeron counters but has no peer. */
    static final String NO_PEERS = "no peers: this node has no peer configured";

    @Spec
    private CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", description = "The node's metrics endpoint (default: " +
        "${DEFAULT-VALUE}).", defaultValue = MetricsEndpoint.DEFAULT_URL)
    private String url;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "How long the whole request may take, reading " +
        "the metrics included, in [1, 3600000] (default: ${DEFAULT-VALUE}).", defaultValue = "5000")
    private long timeoutMillis;

    @Option(names = "--max-offset-ms", paramLabel = "MS", description = "The node's hlc.max-offset-ms, which its " +
        "endpoint does not expose: a peer clock further off is flagged, in [1, 3600000] (default: the engine's " +
        "default, 500).")
    private Long maxOffsetMillis;

    @Option(names = "--json", description = "Print one JSON object: peers, aeron, flags, limits.")
    private boolean json;

    @Override
    public Integer call() throws InterruptedException
    {
        final URI uri = MetricsEndpoint.uri(spec, "--url", url);
        Inputs.inRange(spec, "--timeout-ms", timeoutMillis, 1, MetricsEndpoint.MAX_TIMEOUT_MILLIS, "milliseconds");
        final PeerLimits limits = null == maxOffsetMillis ? PeerLimits.defaults() : PeerLimits.maxOffsetMillis(
            Inputs.inRange(spec, "--max-offset-ms", maxOffsetMillis, 1, MetricsEndpoint.MAX_TIMEOUT_MILLIS,
            "milliseconds"), "--max-offset-ms");
        final PrintWriter err = spec.commandLine().getErr();
        final MetricsText metrics;
        try
        {
            metrics = MetricsEndpoint.scrapeEngine(uri, timeoutMillis);
        }
        catch (final MetricsEndpoint.UnreadableException | MetricsEndpoint.NotAnEngineException ex)
        {
            err.println("chronofabric: " + ex.getMessage());
            return ExitCodes.USAGE;
        }
        final NodeHealth node = ScrapedNode.of(metrics);
        final List<String> flags = PeerDiagnosis.flags(node, limits);
        final String note = !node.peers().isEmpty() ? null : node.isStarting() ? node.startingLine() :
            node.isNode() ? NO_PEERS : NOT_A_NODE;
        final PrintWriter out = spec.commandLine().getOut();
        if (json)
        {
            out.print(Json.render(NodesReport.toMap(node, limits, flags, note)));
        }
        else
        {
            out.print(null == note ? NodesReport.toTable(node, limits, flags) : note + System.lineSeparator());
        }
        out.flush();
        return flags.isEmpty() ? 0 : ExitCodes.FAILURE;
    }
}
