package io.chronofabric.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chronofabric.cli.analysis.NodeHealth;
import io.chronofabric.cli.analysis.PeerLimits;

/**
 * Renders {@code nodes}: one row per peer and Aeron's loss repair, as a table for people and as JSON for scripts.
 * Times in milliseconds; a time not measured yet (before the first ping) is {@code -} in the table, null in JSON.
 */
final class NodesReport
{
    private static final String ROW = "%-6s %-12s %10s %12s %8s %8s %22s %10s %10s %10s %9s %9s";

    private NodesReport()
    {
    }

    /**
     * @param node   the node's facts.
     * @param limits the limits the flags were judged by.
     * @param flags  one line per flagged peer.
     * @param note   the line that stands for the table when there are no peers, else null.
     * @return {@code peers}, {@code aeron}, {@code flags}, {@code limits} (and {@code note}), for JSON.
     */
    static Map<String, Object> toMap(final NodeHealth node, final PeerLimits limits, final List<String> flags,
        final String note)
    {
        final List<Map<String, Object>> peers = new ArrayList<>();
        for (final NodeHealth.Peer peer : node.peers())
        {
            final Map<String, Object> map = new LinkedHashMap<>();
            map.put("peer", id(peer.peer()));
            map.put("state", peer.state());
            map.put("lag_messages", peer.lagMessages());
            map.put("lag_bytes", peer.lagBytesKnown() ? peer.lagBytes() : null); // null: not estimated yet
            map.put("rtt_p50_ms", peer.rttP50() < 0 ? null : millis(peer.rttP50()));
            map.put("rtt_p99_ms", peer.rttP99() < 0 ? null : millis(peer.rttP99()));
            map.put("clock_offset_ms", peer.offsetKnown() ? millis(peer.clockOffset()) : null);
            map.put("clock_offset_error_ms", peer.offsetKnown() ? millis(peer.clockOffsetError()) : null);
            map.put("received", peer.received());
            map.put("shipped", peer.shipped());
            map.put("duplicates_dropped", peer.duplicatesDropped());
            map.put("resends_requested", peer.resendsRequested());
            map.put("resends_served", peer.resendsServed());
            map.put("clock_rejections", peer.clockRejections());
            peers.add(map);
        }
        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("peers", peers);
        report.put("aeron", aeron(node.aeron()));
        report.put("flags", flags);
        final Map<String, Object> limitsMap = new LinkedHashMap<>();
        limitsMap.put("max_offset_ms", millis(limits.maxOffset()));
        limitsMap.put("max_offset_source", limits.maxOffsetSource());
        limitsMap.put("lag_threshold_messages", limits.lagThreshold());
        report.put("limits", limitsMap);
        if (null != note)
        {
            report.put("note", note);
        }
        return report;
    }

    /**
     * @param node   the node's facts, with at least one peer.
     * @param limits the limits the flags were judged by.
     * @param flags  one line per flagged peer.
     * @return the table, Aeron's line, the limits and the flags.
     */
    static String toTable(final NodeHealth node, final PeerLimits limits, final List<String> flags)
    {
        final StringBuilder table = new StringBuilder();
        row(table, "peer", "state", "lag msgs", "lag bytes", "rtt p50", "rtt p99", "clock offset ms", "received",
            "shipped", "dup drop", "resends", "clock rej");
        row(table, "", "", "", "", "ms", "ms", "(± error)", "", "", "", "req/srv", "");
        for (final NodeHealth.Peer peer : node.peers())
        {
            row(table, peer.peer(), peer.state(), peer.lagMessages(), peer.lagBytesKnown() ? peer.lagBytes() : "-",
                time(peer.rttP50()), time(peer.rttP99()), peer.offsetKnown() ? String.format("%+.3f ± %.3f",
                peer.clockOffset() * 1e3, peer.clockOffsetError() * 1e3) : "-", peer.received(), peer.shipped(),
                peer.duplicatesDropped(), peer.resendsRequested() + "/" + peer.resendsServed(),
                peer.clockRejections());
        }
        final NodeHealth.Aeron aeron = node.aeron();
        table.append(null == aeron ? "aeron: not served by this endpoint" : String.format("aeron: NAKs sent %d, " +
            "NAKs received %d, retransmits sent %d, loss gap fills %d", aeron.naksSent(), aeron.naksReceived(),
            aeron.retransmitsSent(), aeron.lossGapFills())).append(System.lineSeparator());
        table.append(limits.describe()).append(System.lineSeparator());
        if (flags.isEmpty())
        {
            table.append("flags: none").append(System.lineSeparator());
        }
        for (final String flag : flags)
        {
            table.append("FLAG ").append(flag).append(System.lineSeparator());
        }
        return table.toString();
    }

    private static void row(final StringBuilder table, final Object... columns)
    {
        table.append(String.format(ROW, columns).stripTrailing()).append(System.lineSeparator());
    }

    private static Map<String, Object> aeron(final NodeHealth.Aeron aeron)
    {
        if (null == aeron)
        {
            return null;
        }
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("naks_sent", aeron.naksSent());
        map.put("naks_received", aeron.naksReceived());
        map.put("retransmits_sent", aeron.retransmitsSent());
        map.put("loss_gap_fills", aeron.lossGapFills());
        return map;
    }

    /** A node id is a number; a label that is not one is kept as text. */
    private static Object id(final String peer)
    {
        try
        {
            return Integer.parseInt(peer);
        }
        catch (final NumberFormatException ex)
        {
            return peer;
        }
    }

    private static String time(final double seconds)
    {
        return seconds < 0 ? "-" : String.format("%.3f", seconds * 1e3);
    }

    private static double millis(final double seconds)
    {
        return Math.round(seconds * 1e6) / 1e3;
    }
}
