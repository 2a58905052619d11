package io.chronofabric.node;

import java.util.List;
import java.util.function.ToDoubleFunction;

import io.aeron.driver.status.SystemCounterDescriptor;
import io.chronofabric.engine.internal.Engine;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The node's Prometheus families, read at scrape time from the peers' snapshots and Aeron's own counters, served on
 * the engine's {@code /metrics}: per-peer state, lag, RTT, clock offset, resends, duplicates dropped, clock
 * rejections; Aeron's loss repair (NAKs, retransmits, gap fills).
 */
final class NodeCollector implements MultiCollector
{
    private static final String PREFIX = "chronofabric_";
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

    @Override
    public MetricSnapshots collect()
    {
        final List<PeerStatus> peers = node.peers();
        final MetricSnapshots.Builder into = MetricSnapshots.builder();
        final GaugeSnapshot.Builder state = GaugeSnapshot.builder().name(PREFIX + "peer_state")
            .help("1 for the state each peer is in: connecting, active, unreachable, quarantined.");
        for (final PeerStatus peer : peers)
        {
            for (final PeerState each : STATES)
            {
                state.dataPoint(GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("peer", Integer.toString(peer.peer()), "state", each.label()))
                    .value(each == peer.state() ? 1 : 0).build());
            }
        }
        into.metricSnapshot(state.build());
        into.metricSnapshot(gauge(peers, "peer_lag_messages", "This node's messages the peer has not journaled.",
            PeerStatus::lagMessages));
        into.metricSnapshot(gauge(peers, "peer_lag_bytes", "Journal bytes of those messages (estimated from the " +
            "mean frame shipped).", PeerStatus::lagBytes));
        into.metricSnapshot(gauge(peers, "peer_clock_offset_seconds", "The peer's clock minus this node's, from " +
            "the lowest-RTT recent ping (error bound: half that RTT).", p -> p.clockOffsetNanos() / NANOS_PER_SECOND));
        into.metricSnapshot(gauge(peers, "peer_clock_offset_error_seconds", "Error bound of the clock offset: half " +
            "the round trip of the ping it came from; -1 before the first.", p -> p.offsetErrorNanos() /
            NANOS_PER_SECOND));
        final GaugeSnapshot.Builder rtt = GaugeSnapshot.builder().name(PREFIX + "peer_rtt_seconds")
            .help("Round-trip time of the clock pings to the peer, by quantile; -1 before the first.");
        for (final PeerStatus peer : peers)
        {
            rtt.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("peer", Integer.toString(peer.peer()),
                "quantile", "0.5")).value(seconds(peer.rttP50Nanos())).build());
            rtt.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("peer", Integer.toString(peer.peer()),
                "quantile", "0.99")).value(seconds(peer.rttP99Nanos())).build());
        }
        into.metricSnapshot(rtt.build());
        into.metricSnapshot(counter(peers, "peer_received", "The peer's messages journaled here since start.",
            PeerStatus::received));
        into.metricSnapshot(counter(peers, "peer_shipped", "This node's messages shipped to the peer, resends " +
            "included.", PeerStatus::shipped));
        into.metricSnapshot(counter(peers, "peer_duplicates_dropped", "The peer's messages that arrived again and " +
            "were dropped: the journal already held them.", PeerStatus::duplicatesDropped));
        into.metricSnapshot(counter(peers, "peer_clock_rejections", "The peer's messages refused as more than " +
            "hlc.max-offset-ms ahead of this node's clock.", PeerStatus::clockRejections));
        into.metricSnapshot(counter(peers, "peer_resends_requested", "Times this node asked the peer to resend " +
            "from its high-water mark.", PeerStatus::resendsRequested));
        into.metricSnapshot(counter(peers, "peer_resends_served", "Times the peer asked this node to resend.",
            PeerStatus::resendsServed));
        into.metricSnapshot(aeron("aeron_naks_sent", "NAKs this node's media driver sent: loss it asked to " +
            "repair.", SystemCounterDescriptor.NAK_MESSAGES_SENT));
        into.metricSnapshot(aeron("aeron_naks_received", "NAKs this node's media driver received.",
            SystemCounterDescriptor.NAK_MESSAGES_RECEIVED));
        into.metricSnapshot(aeron("aeron_retransmits_sent", "Retransmits this node's media driver sent.",
            SystemCounterDescriptor.RETRANSMITS_SENT));
        into.metricSnapshot(aeron("aeron_loss_gap_fills", "Gaps this node's media driver filled without data.",
            SystemCounterDescriptor.LOSS_GAP_FILLS));
        return into.build();
    }

    private static double seconds(final long nanos)
    {
        return nanos < 0 ? -1 : nanos / NANOS_PER_SECOND;
    }

    private static GaugeSnapshot gauge(final List<PeerStatus> peers, final String name, final String help,
        final ToDoubleFunction<PeerStatus> value)
    {
        final GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(PREFIX + name).help(help);
        for (final PeerStatus peer : peers)
        {
            builder.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("peer", Integer.toString(peer.peer())))
                .value(value.applyAsDouble(peer)).build());
        }
        return builder.build();
    }

    private static CounterSnapshot counter(final List<PeerStatus> peers, final String name, final String help,
        final ToDoubleFunction<PeerStatus> value)
    {
        final CounterSnapshot.Builder builder = CounterSnapshot.builder().name(PREFIX + name).help(help);
        for (final PeerStatus peer : peers)
        {
            builder.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("peer",
                Integer.toString(peer.peer()))).value(value.applyAsDouble(peer)).build());
        }
        return builder.build();
    }

    private CounterSnapshot aeron(final String name, final String help, final SystemCounterDescriptor counter)
    {
        return CounterSnapshot.builder().name(PREFIX + name).help(help)
            .dataPoint(CounterDataPointSnapshot.builder().value(node.aeronCounter(counter)).build()).build();
    }
}
