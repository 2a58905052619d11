package io.chronofabric.cli.analysis;

import java.util.List;

/**
 * What a node's {@code /metrics} says about its peers and Aeron's loss repair: the facts behind {@code nodes} and
 * the peer findings of {@code diagnose}. Times in seconds; -1 where a time is not known yet (before the first ping).
 *
 * @param peers    each peer, by id; empty when the engine is not a node or has no peers.
 * @param aeron    the media driver's loss-repair counters, or null when the endpoint serves none (not a node, or a
 *                 node still starting).
 * @param starting the node id of an engine that is a node ({@code node.id}) whose peer and Aeron families are not
 *                 served yet: it is starting; null otherwise.
 * @param stopped  true when the node stopped ({@code chronofabric_node_stopped} 1): it takes and ships nothing, and its
 *                 peer series stand as they were when it stopped.
 */
public record NodeHealth(List<Peer> peers, Aeron aeron, String starting, boolean stopped)
{
    /** The facts of an engine that is not a node of a deployment. */
    public static final NodeHealth NONE = new NodeHealth(List.of(), null, null, false);

    /**
     * @param peers each peer. @param aeron the counters, or null. @param starting a starting node's id, or null.
     * @param stopped whether the node stopped.
     */
    public NodeHealth
    {
        peers = List.copyOf(peers);
    }

    /** @param peers each peer. @param aeron the counters, or null. */
    public NodeHealth(final List<Peer> peers, final Aeron aeron)
    {
        this(peers, aeron, null, false);
    }

    /**
     * @param nodeId its {@code node.id}.
     * @return the facts of a node whose peers are not registered yet.
     */
    public static NodeHealth starting(final String nodeId)
    {
        return new NodeHealth(List.of(), null, nodeId, false);
    }

    /** @return true when the endpoint serves Aeron's counters: the engine runs as a node, with or without peers. */
    public boolean isNode()
    {
        return null != aeron;
    }

    /** @return true for a node that has not registered its peers yet: their states are unknown. */
    public boolean isStarting()
    {
        return null != starting;
    }

    /** @return the line that says a node {@link #stopped()}. */
    public static String stoppedLine()
    {
        return "node stopped: it takes and ships nothing more, and its peers' rows stand as they were when it " +
            "stopped; its log's 'node N stopped:' line says why";
    }

    /** @return the line that says so, for a {@link #isStarting() starting} node. */
    public String startingLine()
    {
        return "node " + starting + " is starting: its peers are not registered yet, their states unknown";
    }

    /**
     * One peer, as this node sees it.
     *
     * @param peer               its node id.
     * @param state              {@code connecting}, {@code active}, {@code unreachable}, {@code quarantined} or
     *                           {@code refused}
     *                           ({@code unknown} when no state is 1).
     * @param lagMessages        this node's messages it has not journaled.
     * @param lagBytes           their journal bytes (estimated).
     * @param rttP50             median ping round trip, -1 before the first.
     * @param rttP99             99th percentile ping round trip, -1 before the first.
     * @param clockOffset        its clock minus this node's.
     * @param clockOffsetError   the offset's error bound, -1 before the first ping (the offset is then unknown).
     * @param received           its messages journaled here.
     * @param shipped            this node's messages shipped to it.
     * @param duplicatesDropped  its messages dropped as already journaled.
     * @param resendsRequested   resends this node asked of it.
     * @param resendsServed      resends it asked of this node.
     * @param clockRejections    its messages refused as more than hlc.max-offset-ms ahead.
     */
    public record Peer(String peer, String state, long lagMessages, long lagBytes, double rttP50, double rttP99,
        double clockOffset, double clockOffsetError, long received, long shipped, long duplicatesDropped,
        long resendsRequested, long resendsServed, long clockRejections)
    {
        /** @return true once a ping has measured the clock offset. */
        public boolean offsetKnown()
        {
            return clockOffsetError >= 0;
        }

        /**
         * @return false while messages lag but their bytes are not estimated: nothing was shipped to any peer yet, so
         *     the node serves 0, which is not the lag's size.
         */
        public boolean lagBytesKnown()
        {
            return lagBytes > 0 || 0 == lagMessages;
        }
    }

    /**
     * The node's media driver's loss repair.
     *
     * @param naksSent        NAKs sent: loss this node asked to repair.
     * @param naksReceived    NAKs received.
     * @param retransmitsSent retransmits sent.
     * @param lossGapFills    gaps filled without data.
     */
    public record Aeron(long naksSent, long naksReceived, long retransmitsSent, long lossGapFills)
    {
    }
}
