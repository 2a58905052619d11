package io.chronofabric.cli.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chronofabric.engine.internal.observability.Families;

/**
 * Builds a {@link NodeHealth} from a {@code /metrics} text: the peer families a node serves
 * ({@code chronofabric_peer_*}, one series per peer) and Aeron's loss-repair counters. Peers are the ones
 * {@code chronofabric_peer_state} names, in the order it names them.
 */
public final class ScrapedNode
{
    private static final String P = Families.PREFIX;

    private ScrapedNode()
    {
    }

    /**
     * @param metrics the parsed text of a ChronoFabric {@code /metrics} endpoint.
     * @return its node facts; {@link NodeHealth#NONE} when it serves neither peer nor Aeron families and its engine
     *     is not a node; a starting node's when it is one ({@code chronofabric_engine_info{node}} not 0).
     */
    public static NodeHealth of(final MetricsText metrics)
    {
        final Map<String, String> states = new LinkedHashMap<>();
        for (final MetricsText.Sample sample : metrics.samples(P + "peer_state"))
        {
            final String peer = sample.labels().get("peer");
            if (null != peer)
            {
                states.putIfAbsent(peer, "unknown");
                if (1 == sample.value())
                {
                    states.put(peer, sample.labels().get("state"));
                }
            }
        }
        final List<NodeHealth.Peer> peers = new ArrayList<>();
        states.forEach((peer, state) -> peers.add(new NodeHealth.Peer(peer, state,
            count(metrics, "peer_lag_messages", peer), count(metrics, "peer_lag_bytes", peer),
            metrics.value(P + "peer_rtt_seconds", "peer", peer, "quantile", "0.5").orElse(-1),
            metrics.value(P + "peer_rtt_seconds", "peer", peer, "quantile", "0.99").orElse(-1),
            metrics.value(P + "peer_clock_offset_seconds", "peer", peer).orElse(0),
            metrics.value(P + "peer_clock_offset_error_seconds", "peer", peer).orElse(-1),
            count(metrics, "peer_received_total", peer), count(metrics, "peer_shipped_total", peer),
            count(metrics, "peer_duplicates_dropped_total", peer), count(metrics, "peer_resends_requested_total", peer),
            count(metrics, "peer_resends_served_total", peer), count(metrics, "peer_clock_rejections_total", peer))));
        final NodeHealth.Aeron aeron = metrics.value(P + "aeron_naks_sent_total").isPresent() ?
            new NodeHealth.Aeron(count(metrics, "aeron_naks_sent_total", null),
                count(metrics, "aeron_naks_received_total", null), count(metrics, "aeron_retransmits_sent_total", null),
                count(metrics, "aeron_loss_gap_fills_total", null)) : null;
        if (peers.isEmpty() && null == aeron)
        {
            // a node serves the engine's families a moment before its own, while it starts
            final String nodeId = metrics.samples(P + "engine_info").stream().map(s -> s.labels().get("node"))
                .filter(id -> null != id && !"0".equals(id)).findFirst().orElse(null);
            return null == nodeId ? NodeHealth.NONE : NodeHealth.starting(nodeId);
        }
        return new NodeHealth(peers, aeron, null, 1 == metrics.value(P + "node_stopped").orElse(0));
    }

    private static long count(final MetricsText metrics, final String name, final String peer)
    {
        return (long)(null == peer ? metrics.value(P + name) : metrics.value(P + name, "peer", peer)).orElse(0);
    }
}
