package io.chronofabric.cli.clock;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.TreeSet;

import io.chronofabric.cli.analysis.MetricsText;
import io.chronofabric.engine.internal.observability.Families;

/**
 * The clock facts a running engine serves: each peer's clock offset and round-trip time (the node layer's
 * {@code chronofabric_peer_clock_offset_seconds{peer}} and {@code chronofabric_peer_rtt_seconds{peer,quantile}}),
 * and the HLC's lead over the wall clock ({@code chronofabric_hlc_drift_seconds}).
 *
 * @param peers             the peers, ordered by id; empty when the engine serves none.
 * @param hlcDriftSeconds   the HLC's lead, or empty when the engine does not serve it.
 */
public record PeerClocks(List<Peer> peers, OptionalDouble hlcDriftSeconds)
{
    /** The offset family. */
    public static final String OFFSET = Families.PREFIX + "peer_clock_offset_seconds";
    /** The round-trip time family (a summary: quantile label). */
    public static final String RTT = Families.PREFIX + "peer_rtt_seconds";
    /** The HLC lead family. */
    public static final String HLC_DRIFT = Families.PREFIX + "hlc_drift_seconds";

    /**
     * One peer's clock, as this engine sees it.
     *
     * @param peer          the peer's node id, as the label gives it.
     * @param offsetSeconds its clock minus ours, or empty when not served.
     * @param rttP50Seconds the median round-trip time, or empty when not served.
     * @param rttP99Seconds the 99th percentile round-trip time, or empty when not served.
     */
    public record Peer(String peer, OptionalDouble offsetSeconds, OptionalDouble rttP50Seconds,
        OptionalDouble rttP99Seconds)
    {
    }

    /**
     * @param metrics an engine's parsed {@code /metrics}.
     * @return its clock facts.
     */
    public static PeerClocks of(final MetricsText metrics)
    {
        final TreeSet<String> ids = new TreeSet<>(PeerClocks::byNumber);
        metrics.samples(OFFSET).forEach(sample -> addPeer(ids, sample));
        metrics.samples(RTT).forEach(sample -> addPeer(ids, sample));
        final List<Peer> peers = new ArrayList<>();
        for (final String id : ids)
        {
            peers.add(new Peer(id, metrics.value(OFFSET, "peer", id),
                metrics.value(RTT, "peer", id, "quantile", "0.5"), metrics.value(RTT, "peer", id, "quantile", "0.99")));
        }
        return new PeerClocks(List.copyOf(peers), metrics.value(HLC_DRIFT));
    }

    private static void addPeer(final TreeSet<String> ids, final MetricsText.Sample sample)
    {
        final String peer = sample.labels().get("peer");
        if (null != peer)
        {
            ids.add(peer);
        }
    }

    /** Numeric ids in numeric order (2 before 10), anything else after them, by text. */
    private static int byNumber(final String a, final String b)
    {
        final boolean aNumber = a.matches("\\d{1,9}");
        final boolean bNumber = b.matches("\\d{1,9}");
        if (aNumber && bNumber)
        {
            return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
        }
        return aNumber ? -1 : bNumber ? 1 : a.compareTo(b);
    }
}
