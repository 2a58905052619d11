package io.chronofabric.node;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import io.aeron.driver.status.SystemCounterDescriptor;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.engine.internal.observability.Families;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The node's Prometheus families, read at scrape time from the peers' snapshots and Aeron's own counters, served on
 * the engine's {@code /metrics}: per-peer state, lag, RTT, clock offset, resends, duplicates dropped, clock
 * rejections; Aeron's loss repair (NAKs, retransmits, gap fills).
 */
final class NodeCollector implements MultiCollector
{
    private static final double NANOS_PER_SECOND = 1e9;
    private static final PeerState[] STATES = PeerState.values();

    private final Node node;
    private final PrometheusRegistry registry;

    private NodeCollector(final Node node, final PrometheusRegistry registry)
    {
        this.node = node;
        this.registry = registry;
    }

    /** @return the registered collector, or null when the engine serves no metrics registry. */
    static NodeCollector register(final Node node, final Engine engine)
    {
        if (null == engine.metrics())
        {
            return null;
        }
        final NodeCollector collector = new NodeCollector(node, engine.metrics().registry());
        collector.registry.register(collector);
        return collector;
    }

    void unregister()
    {
        registry.unregister(this);
    }

    /**
     * @param node a running node.
     * @return its families as they are now, fixed: for metrics written after the node closed.
     */
    static MultiCollector asTheyAre(final Node node)
    {
        final MetricSnapshots now = new NodeCollector(node, null).collect();
        return () -> now;
    }

    @Override
    public MetricSnapshots collect()
    {
        final List<PeerStatus> peers = node.peers();
        final List<MetricSnapshot> snapshots = new ArrayList<>();
        final Families families = new Families(snapshots);
        final List<Labels> byPeer = new ArrayList<>();
        final List<Labels> byPeerAndState = new ArrayList<>();
        final List<Double> inState = new ArrayList<>();
        final List<Labels> byPeerAndQuantile = new ArrayList<>();
        final List<Double> rtt = new ArrayList<>();
        for (final PeerStatus peer : peers)
        {
            final String id = Integer.toString(peer.peer());
            byPeer.add(Labels.of("peer", id));
            for (final PeerState each : STATES)
            {
                byPeerAndState.add(Labels.of("peer", id, "state", each.label()));
                inState.add(each == peer.state() ? 1.0 : 0.0);
            }
            byPeerAndQuantile.add(Labels.of("peer", id, "quantile", "0.5"));
            rtt.add(seconds(peer.rttP50Nanos()));
            byPeerAndQuantile.add(Labels.of("peer", id, "quantile", "0.99"));
            rtt.add(seconds(peer.rttP99Nanos()));
        }
        families.gauge("peer_state", "1 for the state each peer is in: connecting, active, unreachable, quarantined, " +
            "refused.", byPeerAndState, inState);
        families.gauge("peer_lag_messages", "This node's messages the peer has not journaled.", byPeer,
            each(peers, PeerStatus::lagMessages));
        families.gauge("peer_lag_bytes", "Journal bytes of those messages (estimated from the mean frame shipped to " +
            "it, or to any peer; 0 until one was shipped).",
            byPeer, each(peers, PeerStatus::lagBytes));
        families.gauge("peer_clock_offset_seconds", "The peer's clock minus this node's, from the ping whose error " +
            "bound is the tightest now.", byPeer, each(peers, p -> p.clockOffsetNanos() / NANOS_PER_SECOND));
        families.gauge("peer_clock_offset_error_seconds", "Error bound of the clock offset: half the round trip of " +
            "the ping it came from, plus 1 ms per second since (drift); -1 before the first.", byPeer,
            each(peers, p -> seconds(p.offsetErrorNanos())));
        families.gauge("peer_rtt_seconds", "Round-trip time of the clock pings to the peer, by quantile; -1 before " +
            "the first.", byPeerAndQuantile, rtt);
        families.counter("peer_received", "The peer's messages journaled here since start.", byPeer,
            each(peers, PeerStatus::received));
        families.counter("peer_shipped", "This node's messages shipped to the peer, resends included.", byPeer,
            each(peers, PeerStatus::shipped));
        families.counter("peer_duplicates_dropped", "The peer's messages that arrived again and were dropped: the " +
            "journal already held them.", byPeer, each(peers, PeerStatus::duplicatesDropped));
        families.counter("peer_clock_rejections", "The peer's messages refused as more than hlc.max-offset-ms ahead " +
            "of this node's clock.", byPeer, each(peers, PeerStatus::clockRejections));
        families.counter("peer_resends_requested", "Times this node asked the peer to resend from its high-water " +
            "mark.", byPeer, each(peers, PeerStatus::resendsRequested));
        families.counter("peer_resends_served", "Times the peer asked this node to resend.", byPeer,
            each(peers, PeerStatus::resendsServed));
        families.gauge("node_stopped", "1 once this node stopped (Node.failure()): it takes and ships nothing more, " +
            "and its peer series stand as they were then; its log's 'node N stopped:' line says why.",
            null == node.failure() ? 0 : 1);
        final long naksSent = node.aeronCounter(SystemCounterDescriptor.NAK_MESSAGES_SENT);
        if (naksSent >= 0) // not when the node's Aeron client has closed: a counter is never reported as -1
        {
            families.counter("aeron_naks_sent", "NAKs this node's media driver sent: loss it asked to repair.",
                naksSent);
            families.counter("aeron_naks_received", "NAKs this node's media driver received.",
                node.aeronCounter(SystemCounterDescriptor.NAK_MESSAGES_RECEIVED));
            families.counter("aeron_retransmits_sent", "Retransmits this node's media driver sent.",
                node.aeronCounter(SystemCounterDescriptor.RETRANSMITS_SENT));
            families.counter("aeron_loss_gap_fills", "Gaps this node's media driver filled without data.",
                node.aeronCounter(SystemCounterDescriptor.LOSS_GAP_FILLS));
        }
        return new MetricSnapshots(snapshots);
    }

    private static double seconds(final long nanos)
    {
        return nanos < 0 ? -1 : nanos / NANOS_PER_SECOND;
    }

    private static List<Double> each(final List<PeerStatus> peers, final ToDoubleFunction<PeerStatus> value)
    {
        final List<Double> values = new ArrayList<>(peers.size());
        for (final PeerStatus peer : peers)
        {
            values.add(value.applyAsDouble(peer));
        }
        return values;
    }
}
