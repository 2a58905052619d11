package io.chronofabric.cli;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chronofabric.cli.common.Inputs;
import io.chronofabric.engine.api.SystemWallClock;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.node.Endpoint;
import io.chronofabric.node.ListenPortInUseException;
import io.chronofabric.node.Node;
import io.chronofabric.node.NodeConfiguration;
import io.chronofabric.node.NodeReservation;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Option;

/**
 * {@code run}'s multi-node options: with {@code --node}, the run is one node of a deployment, exchanging its
 * journaled messages with its peers over Aeron.
 */
final class NodeOptions
{
    private static final long MAX_WAIT_MS = 3_600_000;
    private static final long MAX_CLOCK_OFFSET_MS = 3_600_000;
    private static final String PEER_FORMAT = "ID=HOST:PORT with ID in [1, 65535] and " + Endpoint.FORMAT;

    @Option(names = "--node", paramLabel = "ID", description = "Run as node ID (1..65535) of a deployment; needs " +
        "--listen and at least one --peer.")
    private Integer node;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Where this node receives its peers' " +
        "streams (UDP).")
    private String listen;

    @Option(names = "--peer", paramLabel = "ID=HOST:PORT", description = "A peer node and where it listens; " +
        "repeatable, once per peer.")
    private List<String> peers = new ArrayList<>();

    @Option(names = "--peer-wait-ms", paramLabel = "MS", description = "After publishing, how long to wait for " +
        "every peer's stream to be journaled and settled here, and ours there, 1..3600000 (default: " +
        "${DEFAULT-VALUE}).", defaultValue = "120000")
    private long peerWaitMs;

    @Option(names = "--clock-offset-ms", paramLabel = "MS", description = "Fault drill: run this node's wall clock " +
        "this far ahead (negative: behind), |MS| <= 3600000 (default: 0).", defaultValue = "0")
    private long clockOffsetMs;

    /** @return true when the run is a node of a deployment. */
    boolean enabled()
    {
        return null != node;
    }

    /**
     * Checks the options and sets the node id and clock on the engine's settings.
     *
     * @param spec     the command, for usage errors.
     * @param settings the engine's settings.
     * @return the node's builder, to conclude against the engine configuration; null when not a node.
     */
    NodeConfiguration.Builder configure(final CommandSpec spec, final EngineConfiguration.Builder settings)
    {
        Inputs.inRange(spec, "--clock-offset-ms", clockOffsetMs, -MAX_CLOCK_OFFSET_MS, MAX_CLOCK_OFFSET_MS,
            "milliseconds");
        Inputs.inRange(spec, "--peer-wait-ms", peerWaitMs, 1, MAX_WAIT_MS, "milliseconds");
        if (!enabled())
        {
            if (null != listen || !peers.isEmpty() || 0 != clockOffsetMs ||
                spec.commandLine().getParseResult().hasMatchedOption("--peer-wait-ms"))
            {
                throw Inputs.refused(spec, "--listen, --peer, --peer-wait-ms and --clock-offset-ms need --node ID");
            }
            return null;
        }
        Inputs.inRange(spec, "--node", node, 1, 0xFFFF, "node id");
        if (null == listen)
        {
            throw Inputs.refused(spec, "--node needs --listen HOST:PORT");
        }
        if (peers.isEmpty())
        {
            throw Inputs.refused(spec, "--node needs at least one --peer ID=HOST:PORT");
        }
        final NodeConfiguration.Builder builder = NodeConfiguration.builder();
        final Endpoint listening = listenEndpoint(spec);
        builder.listen(listening);
        final Map<Integer, Endpoint> byId = new LinkedHashMap<>();
        final Map<InetSocketAddress, Integer> byAddress = new HashMap<>();
        for (final String text : peers)
        {
            final int equals = text.indexOf('=');
            final int id = peerId(spec, text, equals);
            final Endpoint endpoint = peerEndpoint(spec, text, equals);
            if (id == node)
            {
                throw Inputs.refused(spec, "--peer " + text + " is this node's own id (--node " + node + "); " +
                    "allowed: the ids of the other nodes");
            }
            final Endpoint given = byId.putIfAbsent(id, endpoint);
            if (null != given)
            {
                throw Inputs.refused(spec, "--peer " + id + " is given twice (" + given + " and " + endpoint +
                    "); allowed: each peer once");
            }
            final InetSocketAddress address = peerAddress(spec, text, endpoint);
            final Integer other = listening.receivesFor(endpoint) ? Integer.valueOf(0) :
                byAddress.putIfAbsent(address, id);
            if (null != other)
            {
                throw Inputs.refused(spec, 0 == other ?
                    "--peer " + text + " is this node's own --listen endpoint; allowed: where the peer listens" :
                    "--peer " + text + " names the endpoint " + endpoint + " for peers " + other + " and " + id +
                    "; allowed: one endpoint per peer");
            }
            builder.peer(id, endpoint);
        }
        settings.nodeId(node);
        if (0 != clockOffsetMs)
        {
            final long offsetNanos = clockOffsetMs * 1_000_000L;
            settings.wallClock(() -> SystemWallClock.INSTANCE.epochNanos() + offsetNanos);
        }
        return builder;
    }

    private Endpoint listenEndpoint(final CommandSpec spec)
    {
        final Endpoint endpoint;
        try
        {
            endpoint = Endpoint.parse(listen);
        }
        catch (final IllegalArgumentException ex)
        {
            throw Inputs.invalid(spec, "--listen", listen, Endpoint.FORMAT);
        }
        try
        {
            endpoint.checkListenable();
        }
        catch (final IllegalArgumentException ex)
        {
            throw listenRefused(spec, ex);
        }
        return endpoint;
    }

    private ParameterException listenRefused(final CommandSpec spec, final IllegalArgumentException why)
    {
        return Inputs.refused(spec, "--listen " + listen + ": " + why.getMessage());
    }

    private static int peerId(final CommandSpec spec, final String text, final int equals)
    {
        try
        {
            final int id = Integer.parseInt(text.substring(0, Math.max(0, equals)));
            if (id >= 1 && id <= 0xFFFF)
            {
                return id;
            }
        }
        catch (final NumberFormatException ex)
        {
            // refused below, with the form allowed
        }
        throw Inputs.invalid(spec, "--peer", text, PEER_FORMAT);
    }

    private static Endpoint peerEndpoint(final CommandSpec spec, final String text, final int equals)
    {
        try
        {
            return Endpoint.parse(text.substring(equals + 1));
        }
        catch (final IllegalArgumentException ex)
        {
            throw Inputs.invalid(spec, "--peer", text, PEER_FORMAT);
        }
    }

    private static InetSocketAddress peerAddress(final CommandSpec spec, final String text, final Endpoint endpoint)
    {
        try
        {
            return endpoint.resolve();
        }
        catch (final IllegalArgumentException ex)
        {
            throw Inputs.refused(spec, "--peer " + text + ": " + ex.getMessage());
        }
    }

    /**
     * Before the journal is touched: takes the node id, refusing one another process runs
     * ({@link io.chronofabric.node.NodeInUseException}, exit 1), and refuses a {@code --listen} port another process
     * holds (exit 2).
     *
     * @param spec          the command, for its error.
     * @param configuration the node's configuration.
     * @return the reservation, to start the node with.
     */
    NodeReservation reserve(final CommandSpec spec, final NodeConfiguration configuration)
    {
        try
        {
            return Node.reserve(configuration);
        }
        catch (final IllegalArgumentException ex)
        {
            throw listenRefused(spec, ex);
        }
    }

    /**
     * Starts the reserved node; a listen port another process took since the reservation is refused as the
     * reservation refuses it.
     *
     * @param spec        the command, for its error.
     * @param reservation the node's reservation.
     * @param engine      the started engine.
     * @param setAside    where the run set the journal it found aside before this start, null when it did not: the
     *                    refusal says so, since this late it is not one that changed nothing.
     * @return the running node.
     */
    Node start(final CommandSpec spec, final NodeReservation reservation, final Engine engine, final String setAside)
    {
        try
        {
            return Node.start(reservation, engine);
        }
        catch (final ListenPortInUseException ex)
        {
            throw Inputs.refused(spec, "--listen " + listen + ": " + ex.getMessage() + " (taken after this run " +
                "checked it" + (null == setAside ? "" : "; the journal it found is kept as " + setAside) + ")");
        }
    }

    /** @return how long to wait for the peers after publishing. */
    Duration peerWait()
    {
        return Duration.ofMillis(peerWaitMs);
    }
}
