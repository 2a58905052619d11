package io.chronofabric.cli;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Canned {@code /metrics} text of a node, written as the Prometheus Java client 1.x's text writer writes it (what
 * {@code NodeCollector} and the engine serve): a {@code # HELP} and a {@code # TYPE} line per family, families in
 * name order, counters with {@code _total}, labels in name order, values as {@link Double#toString} writes them,
 * families without samples left out.
 */
final class NodeScrape
{
    /** The engine's info family, which every ChronoFabric endpoint serves. */
    static final String ENGINE_INFO = """
        # HELP chronofabric_engine_info The engine's profile, thread layout, wait strategy and node id (0: not a node of a deployment).
        # TYPE chronofabric_engine_info gauge
        chronofabric_engine_info{node="0",profile="default",thread_layout="single",wait_strategy="sleeping"} 1
        """;

    /**
     * One peer as the node's families report it.
     *
     * @param peer        its node id.
     * @param state       connecting, active, unreachable or quarantined.
     * @param lag         messages behind.
     * @param offset      clock offset, seconds.
     * @param offsetError its error bound, seconds; -1 before the first ping.
     * @param rttP50      median RTT, seconds; -1 before the first ping.
     * @param rttP99      99th percentile RTT, seconds; -1 before the first ping.
     */
    record Peer(int peer, String state, long lag, double offset, double offsetError, double rttP50, double rttP99)
    {
        /** @return a peer in state {@code state}, {@code lag} behind, its clock {@code offset} off. */
        static Peer of(final int peer, final String state, final long lag, final double offset)
        {
            return new Peer(peer, state, lag, offset, 6.0e-5, 1.25e-4, 3.0e-4);
        }

        /** @return an active peer, caught up, its clock 20 us ahead. */
        static Peer healthy(final int peer)
        {
            return of(peer, "active", 0, 2.0e-5);
        }
    }

    private NodeScrape()
    {
    }

    /** @return the text of a node with these peers (and Aeron's counters), beside the engine's info. */
    static String node(final Peer... peers)
    {
        return merge(ENGINE_INFO, peers);
    }

    /**
     * @param engineText an engine's whole scrape.
     * @param peers      the node's peers.
     * @return the scrape with the node's families added, in name order as the writer orders them.
     */
    static String merge(final String engineText, final Peer... peers)
    {
        final Map<String, String> families = new TreeMap<>();
        for (final String block : engineText.split("(?m)^(?=# HELP )"))
        {
            if (!block.isBlank())
            {
                families.put(block.substring("# HELP ".length(), block.indexOf(' ', "# HELP ".length())), block);
            }
        }
        families.putAll(nodeFamilies(List.of(peers)));
        return String.join("", families.values());
    }

    private static Map<String, String> nodeFamilies(final List<Peer> peers)
    {
        final Map<String, String> families = new TreeMap<>();
        final StringBuilder states = new StringBuilder();
        final StringBuilder rtt = new StringBuilder();
        for (final Peer peer : peers)
        {
            for (final String state : List.of("connecting", "active", "unreachable", "quarantined"))
            {
                states.append(sample("chronofabric_peer_state", "peer=\"" + peer.peer() + "\",state=\"" + state + "\"",
                    state.equals(peer.state()) ? 1 : 0));
            }
            rtt.append(sample("chronofabric_peer_rtt_seconds", "peer=\"" + peer.peer() + "\",quantile=\"0.5\"",
                peer.rttP50()));
            rtt.append(sample("chronofabric_peer_rtt_seconds", "peer=\"" + peer.peer() + "\",quantile=\"0.99\"",
                peer.rttP99()));
        }
        if (!peers.isEmpty())
        {
            family(families, "chronofabric_peer_state", "gauge", states.toString());
            family(families, "chronofabric_peer_rtt_seconds", "gauge", rtt.toString());
            perPeer(families, "chronofabric_peer_lag_messages", "gauge", peers, p -> p.lag());
            perPeer(families, "chronofabric_peer_lag_bytes", "gauge", peers, p -> p.lag() * 48);
            perPeer(families, "chronofabric_peer_clock_offset_seconds", "gauge", peers, Peer::offset);
            perPeer(families, "chronofabric_peer_clock_offset_error_seconds", "gauge", peers, Peer::offsetError);
            perPeer(families, "chronofabric_peer_received_total", "counter", peers, p -> 10_000 + p.peer());
            perPeer(families, "chronofabric_peer_shipped_total", "counter", peers, p -> 12_000 + p.peer());
            perPeer(families, "chronofabric_peer_duplicates_dropped_total", "counter", peers, p -> 3);
            perPeer(families, "chronofabric_peer_clock_rejections_total", "counter", peers, p -> 0);
            perPeer(families, "chronofabric_peer_resends_requested_total", "counter", peers, p -> 1);
            perPeer(families, "chronofabric_peer_resends_served_total", "counter", peers, p -> 2);
        }
        family(families, "chronofabric_aeron_naks_sent_total", "counter", sample("chronofabric_aeron_naks_sent_total",
            null, 4));
        family(families, "chronofabric_aeron_naks_received_total", "counter",
            sample("chronofabric_aeron_naks_received_total", null, 5));
        family(families, "chronofabric_aeron_retransmits_sent_total", "counter",
            sample("chronofabric_aeron_retransmits_sent_total", null, 6));
        family(families, "chronofabric_aeron_loss_gap_fills_total", "counter",
            sample("chronofabric_aeron_loss_gap_fills_total", null, 0));
        return families;
    }

    private static void perPeer(final Map<String, String> families, final String name, final String type,
        final List<Peer> peers, final ToDoubleFunction<Peer> value)
    {
        final StringBuilder samples = new StringBuilder();
        for (final Peer peer : peers)
        {
            samples.append(sample(name, "peer=\"" + peer.peer() + "\"", value.applyAsDouble(peer)));
        }
        family(families, name, type, samples.toString());
    }

    private static void family(final Map<String, String> families, final String name, final String type,
        final String samples)
    {
        families.put(name, "# HELP " + name + " Canned for tests.\n# TYPE " + name + " " + type + "\n" + samples);
    }

    private static String sample(final String name, final String labels, final double value)
    {
        return name + (null == labels ? "" : "{" + labels + "}") + " " + value + "\n";
    }
}
