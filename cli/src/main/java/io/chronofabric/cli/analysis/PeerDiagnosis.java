package io.chronofabric.cli.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * What is wrong with a node's peers: the node stopped; a peer unreachable, quarantined or refused, a peer lagging
 * (behind while not active, or further behind than {@link PeerLimits#lagThreshold()}), a peer whose clock is further
 * off than the max offset.
 * {@code nodes} flags each such peer with one line; {@code diagnose} reports them as findings in area
 * {@code peers}. Pure analysis of a {@link NodeHealth}: no I/O.
 */
public final class PeerDiagnosis
{
    private static final String AREA = "peers";
    private static final Set<String> DOWN = Set.of("unreachable", "quarantined", "refused");

    private PeerDiagnosis()
    {
    }

    /**
     * @param node   the node's facts.
     * @param limits the limits.
     * @return one line per peer with a problem: {@code peer ID: why; why}, in the peers' order.
     */
    public static List<String> flags(final NodeHealth node, final PeerLimits limits)
    {
        final List<String> flags = new ArrayList<>();
        if (node.isStarting())
        {
            flags.add(node.startingLine());
        }
        if (node.stopped())
        {
            flags.add(NodeHealth.stoppedLine());
        }
        for (final NodeHealth.Peer peer : node.peers())
        {
            final List<String> why = new ArrayList<>();
            if (DOWN.contains(peer.state()))
            {
                why.add(peer.state());
            }
            addIfPresent(why, lag(peer, limits));
            addIfPresent(why, offset(peer, limits));
            if (!why.isEmpty())
            {
                flags.add("peer " + peer.peer() + ": " + String.join("; ", why));
            }
        }
        return flags;
    }

    /**
     * Adds the peer findings ({@code peer_state}, {@code peer_lag}, {@code peer_clock_offset}) when the node has
     * peers; nothing otherwise.
     *
     * @param node     the node's facts.
     * @param limits   the limits.
     * @param findings where the findings go.
     */
    static void analyze(final NodeHealth node, final PeerLimits limits, final List<Finding> findings)
    {
        if (node.isStarting())
        {
            findings.add(new Finding(Severity.INFO, AREA, "peer_state", node.startingLine(),
                "run it again in a moment"));
            return;
        }
        if (node.stopped())
        {
            findings.add(new Finding(Severity.CRITICAL, AREA, "node_stopped", NodeHealth.stoppedLine(),
                "read the cause in the node's log: a peer refused it, its journal is behind what a peer holds, or " +
                "its media driver closed; then restart it with --resume as the cause says"));
        }
        if (node.peers().isEmpty())
        {
            return;
        }
        final String down = node.peers().stream().filter(p -> DOWN.contains(p.state()))
            .map(p -> "peer " + p.peer() + " " + p.state()).collect(Collectors.joining(", "));
        final long connecting = node.peers().stream().filter(p -> "connecting".equals(p.state())).count();
        final String states = node.peers().stream().map(p -> p.peer() + " " + p.state())
            .collect(Collectors.joining(", "));
        findings.add(new Finding(!down.isEmpty() ? Severity.CRITICAL : connecting > 0 ? Severity.INFO : Severity.OK,
            AREA, "peer_state", (down.isEmpty() ? "" : down + "; ") + "peers: " + states, !down.isEmpty() ?
            "unreachable: check that the peer runs and that its --listen endpoint is reachable from here (address, " +
            "firewall); it resumes from its high-water mark when back. quarantined: it fell peer.max-lag behind " +
            "under peer.lag-policy=quarantine and nothing is shipped to it until it asks for a resend: restart it " +
            "or raise peer.max-lag. refused: it restarted on another journal, or sent records this node cannot take " +
            "(the node's log says which, and the peer stopped saying why): restart it on its own journal with " +
            "--resume, with the deployment's capacities" : connecting > 0 ? "a connecting peer has not been heard " +
            "from since this node started: check that it runs" : "none needed"));
        final String lagging = problems(node, limits, PeerDiagnosis::lag);
        final long mostBehind = node.peers().stream().mapToLong(NodeHealth.Peer::lagMessages).max().orElse(0);
        findings.add(new Finding(lagging.isEmpty() ? Severity.OK : Severity.WARN, AREA, "peer_lag",
            lagging.isEmpty() ? "no peer is lagging: at most " + mostBehind + " message(s) behind (lagging over " +
            limits.lagThreshold() + ", or behind while not active)" : lagging, lagging.isEmpty() ? "none needed" :
            "a peer that is not active catches up from its high-water mark once back; an active one this far " +
            "behind is slow: check its disk, CPUs and the network, or lower the load; at peer.max-lag " +
            "peer.lag-policy applies (block pauses local publishers, quarantine stops shipping to it)"));
        final String offsets = problems(node, limits, PeerDiagnosis::offset);
        findings.add(new Finding(offsets.isEmpty() ? Severity.OK : Severity.WARN, AREA, "peer_clock_offset",
            offsets.isEmpty() ? "every measured peer clock is within " + PeerLimits.millis(limits.maxOffset()) +
            " (" + limits.maxOffsetSource() + ")" : offsets + " (" + limits.maxOffsetSource() + ")",
            offsets.isEmpty() ? "none needed" : "synchronise the nodes' clocks (chrony or NTP, slewing rather than " +
            "stepping), or raise hlc.max-offset-ms to the real skew: messages from a node further ahead are " +
            "refused (chronofabric_peer_clock_rejections_total)"));
    }

    private static String problems(final NodeHealth node, final PeerLimits limits,
        final BiFunction<NodeHealth.Peer, PeerLimits, String> problem)
    {
        return node.peers().stream().map(p -> {
            final String why = problem.apply(p, limits);
            return null == why ? null : "peer " + p.peer() + " " + why;
        }).filter(line -> null != line).collect(Collectors.joining(", "));
    }

    /** @return why the peer counts as lagging, or null when it does not. */
    private static String lag(final NodeHealth.Peer peer, final PeerLimits limits)
    {
        // the bytes are estimated from the frames shipped: with none shipped to any peer yet there is no estimate
        final String behind = "lagging: " + peer.lagMessages() + " message(s) (" + (peer.lagBytesKnown() ?
            peer.lagBytes() + " bytes" : "bytes not estimated: nothing shipped yet") + ") behind";
        if (peer.lagMessages() > limits.lagThreshold())
        {
            return behind + ", over " + limits.lagThreshold();
        }
        return peer.lagMessages() > 0 && !"active".equals(peer.state()) ? behind + " while " + peer.state() : null;
    }

    /** @return why the peer's clock is too far off, or null when it is not (or not measured yet). */
    private static String offset(final NodeHealth.Peer peer, final PeerLimits limits)
    {
        if (!peer.offsetKnown() || Math.abs(peer.clockOffset()) <= limits.maxOffset())
        {
            return null;
        }
        // the node refuses a peer's messages only when its clock is beyond the max offset by more than the error bound
        final boolean certain = Math.abs(peer.clockOffset()) - peer.clockOffsetError() > limits.maxOffset();
        // only a clock ahead is refused, by the node behind it: a peer behind means the peer refuses this node
        final String refused = peer.clockOffset() > 0 ? "ahead: this node " + (certain ? "refuses" : "may refuse") +
            " its messages" : "behind: it " + (certain ? "refuses" : "may refuse") + " this node's messages";
        return String.format("clock offset %+.2f ms (± %.2f ms) beyond the max offset %s, %s%s",
            peer.clockOffset() * 1e3, peer.clockOffsetError() * 1e3, PeerLimits.millis(limits.maxOffset()), refused,
            certain ? "" : " (within the measurement's error bound: possibly not; the node judges each message's " +
            "stamp meanwhile)");
    }

    private static void addIfPresent(final List<String> into, final String why)
    {
        if (null != why)
        {
            into.add(why);
        }
    }
}
