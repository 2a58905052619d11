package io.chronofabric.node;

/**
 * A snapshot of one peer, as {@link Node#peers()} reports it and the metrics expose it.
 *
 * @param peer               the peer's node id.
 * @param endpoint           where it is reached.
 * @param state              where this node stands with it.
 * @param received           its messages journaled here since this node started (resent ones included once).
 * @param journaledFromPeer  its messages in this node's journal, all runs together.
 * @param highWaterMark      the highest origin id of its messages journaled here.
 * @param duplicatesDropped  its messages that arrived again (a resend overlapping what was journaled) and were dropped.
 * @param clockRejections    its messages refused because their HLC time was more than hlc.max-offset-ms ahead.
 * @param resendsRequested   times this node asked it to resend from the high-water mark.
 * @param resendsServed      times it asked this node to resend.
 * @param shipped            this node's messages shipped to it (resends included).
 * @param lagMessages        this node's messages it has not acknowledged.
 * @param lagBytes           the journal bytes of those messages, estimated from the mean record size shipped.
 * @param rttP50Nanos        median round-trip time of the clock pings, -1 before the first.
 * @param rttP99Nanos        99th percentile round-trip time, -1 before the first.
 * @param clockOffsetNanos   its clock minus this node's, from the ping whose error bound is the tightest now
 *                           ({@link ClockOffsetEstimate}).
 * @param offsetErrorNanos   the error bound of that offset: half the ping's round trip, plus the drift since.
 * @param endOfStream        true once it announced that it publishes no more.
 * @param endOriginId        the origin id of its last message, once it announced the end; 0 before.
 * @param acknowledged       its high-water mark for this node: this node's messages journaled there up to this id.
 * @param lastLocalId        the local id the last of its messages accepted here in this run got, 0 before any.
 */
public record PeerStatus(int peer, Endpoint endpoint, PeerState state, long received, long journaledFromPeer,
    long highWaterMark, long duplicatesDropped, long clockRejections, long resendsRequested, long resendsServed,
    long shipped, long lagMessages, long lagBytes, long rttP50Nanos, long rttP99Nanos, long clockOffsetNanos,
    long offsetErrorNanos, boolean endOfStream, long endOriginId, long acknowledged, long lastLocalId)
{
}
