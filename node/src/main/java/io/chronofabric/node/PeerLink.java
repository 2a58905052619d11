package io.chronofabric.node;

import io.aeron.Publication;
import org.HdrHistogram.Histogram;

/**
 * Everything one node keeps about one peer: the publications to it, the shipper of this node's messages to it, and
 * what has been received from it. Written by the node conductor's thread only; others read {@link #status()}.
 */
final class PeerLink implements AutoCloseable
{
    final int peer;
    final Endpoint endpoint;
    final Publication data;
    final Publication control;
    final Shipper shipper;
    /** The peer's messages refused here for their clock and acknowledged to it, kept across restarts. */
    final ClockRefusals refusals;
    final Histogram rtt = new Histogram(3_600_000_000_000L, 2);

    PeerState state = PeerState.CONNECTING;
    /** Why this node refuses the peer ({@link PeerState#REFUSED}), null while it does not. */
    volatile String refusedBecause;
    /** Why the peer's process said it stopped (its STOPPED frame), null while it runs or did not say. */
    volatile String stoppedBecause;
    /** {@link #refusedBecause} as the REFUSED frame carries it. */
    byte[] refusal;
    /** The incarnation (process) of the peer that is refused: a restarted peer is heard again. */
    long refusedIncarnation;
    /** Cut off by the {@link PartitionDrill}: nothing sent to it, everything from it dropped. */
    boolean cutOff;
    long lastHeardNanos;
    long incarnation;
    /** Highest origin id of the peer's messages taken into the ring (or refused for their clock) here: dedupe. */
    long highWaterMark;
    /** The {@link MessageFingerprint} of the peer's message at {@link #highWaterMark}, 0 when not known. */
    long highWaterMarkFingerprint;
    /** Why this node stops, having joined the peer with other capacities; null while they match or are not known. */
    String stopForCapacities;
    /** When this node stops for {@link #stopForCapacities}, by {@link System#nanoTime()}. */
    long stopForCapacitiesNanos;
    /** Highest origin id of the peer's messages journaled (or refused) here: what is acknowledged to it. */
    long journaledHighWaterMark;
    /** The epoch of the peer journal this node holds messages of, 0 when none yet. */
    long knownEpoch;
    /** The peer's own message count when this node last asked it to resend because its stream stalled. */
    long peerOwnAtStallResend = -1;
    /** When the last quarantine alert for this peer was logged. */
    long lastAlertNanos = Long.MIN_VALUE / 2;
    /** The peer's messages in this node's journal, all runs. */
    long journaledFromPeer;
    private final long[] pendingLocalIds;
    private final long[] pendingOriginIds;
    private int pendingHead;
    private int pendingCount;
    long receivedThisRun;
    /**
     * The peer's messages accounted for here, all runs: journaled or taken into the ring, or refused for their clock.
     */
    long accountedFromPeer;
    /** Local id the last accepted message of the peer got here, 0 before any this run. */
    long lastLocalId;
    long duplicatesDropped;
    /** The peer's messages refused for their clock in this run; {@link #refusals} holds the earlier runs' too. */
    long clockRejections;
    long resendsRequested;
    long resendsServed;
    long lastResendRequestNanos = Long.MIN_VALUE / 2;
    /**
     * A resend request that could not be offered (the control publication not yet connected, or back-pressured): it
     * is offered again each heartbeat until it goes out, else the peer would never start shipping to this node.
     */
    boolean resendPending;
    /**
     * The peer's high-water mark for this node when it asked for messages this journal no longer holds (deleted by
     * {@code journal prune --ignore-peers}, or by retention while the peer was not in the peer list); -1 while none.
     */
    volatile long lostAfter = -1;
    /**
     * How many of the peer's messages this node lacks though the peer announced the end of its stream and shipped all
     * it holds (this node has its last origin id): deleted from its journal before this node journaled them, so they
     * never come; 0 while none is known missing.
     */
    volatile long missingForGood;
    /**
     * How many of this node's messages the peer lacks though it has journaled this node's stream to its end: deleted
     * from this journal before it journaled them (it resumed above them, so it never asks for them); 0 while none.
     */
    volatile long oursMissingForGood;
    /** The peer's acknowledgement of this node's stream: its high-water mark and count for us. */
    long ackHighWaterMark;
    long ackCount;
    /** The peer's own messages, all runs, as its last heartbeat counted them. */
    long peerOwnMessages;
    /** This node's messages the peer lacked at the last heartbeat. */
    long lastLag;
    /** When the last of the peer's messages was accepted here. */
    long lastProgressNanos;
    /** When a frame of the peer's last waited here, not taken yet (this node's ring or journal behind). */
    long lastWaitingHereNanos;
    boolean endOfStream;
    /** The peer said every stream is complete there: it needs nothing more from this node. */
    volatile boolean peerDone;
    long endOriginId;
    private final ClockOffsetEstimate clock = new ClockOffsetEstimate();

    private volatile PeerStatus status;

    PeerLink(final int peer, final Endpoint endpoint, final Publication data, final Publication control,
        final Shipper shipper, final ClockRefusals refusals, final int ringSize)
    {
        this.refusals = refusals;
        this.pendingLocalIds = new long[ringSize];
        this.pendingOriginIds = new long[ringSize];
        this.peer = peer;
        this.endpoint = endpoint;
        this.data = data;
        this.control = control;
        this.shipper = shipper;
    }

    /** @return false when as many of its messages wait for the journal as the ring holds: take no more now. */
    boolean canTakeMore()
    {
        return pendingCount < pendingLocalIds.length;
    }

    /**
     * Notes a message of the peer taken into the ring as {@code localId} (0: refused for its clock, accounted for at
     * once), to be acknowledged once it is journaled.
     */
    void taken(final long localId, final long originId)
    {
        final int tail = (pendingHead + pendingCount) % pendingLocalIds.length;
        pendingLocalIds[tail] = localId;
        pendingOriginIds[tail] = originId;
        pendingCount++;
    }

    /** Moves the acknowledged mark over every taken message the journal now holds (ids at or below the argument). */
    void journaledThrough(final long acknowledgedId)
    {
        int refused = 0;
        long lastRefused = 0;
        while (pendingCount > 0 && pendingLocalIds[pendingHead] <= acknowledgedId)
        {
            if (0 != pendingLocalIds[pendingHead])
            {
                journaledFromPeer++;
            }
            else
            {
                refused++;
                lastRefused = pendingOriginIds[pendingHead];
            }
            journaledHighWaterMark = pendingOriginIds[pendingHead];
            pendingHead = (pendingHead + 1) % pendingLocalIds.length;
            pendingCount--;
        }
        if (refused > 0)
        {
            // refused for their clock, and everything before them is journaled: acknowledged from the next heartbeat,
            // so recorded now (the peer never offers them again, and may delete them)
            refusals.acknowledged(lastRefused, refused);
            if (refusals.dueForCompaction())
            {
                compactRefusals();
            }
        }
    }

    /** Rewrites the refusals file as its summary and the refusals still waiting here to be acknowledged. */
    private void compactRefusals()
    {
        final long[] waiting = new long[pendingCount];
        int n = 0;
        for (int i = 0; i < pendingCount; i++)
        {
            final int at = (pendingHead + i) % pendingLocalIds.length;
            if (0 == pendingLocalIds[at])
            {
                waiting[n++] = pendingOriginIds[at];
            }
        }
        refusals.compact(waiting, n);
    }

    /**
     * One NTP-style exchange: t1 sent here, t2 received there, t3 sent back there, t4 received here (wall clocks).
     */
    void pong(final long t1, final long t2, final long t3, final long t4)
    {
        final long roundTrip = clock.sample(t1, t2, t3, t4, System.nanoTime());
        if (roundTrip >= 0)
        {
            rtt.recordValue(Math.min(roundTrip, rtt.getHighestTrackableValue()));
        }
    }

    /** The peer is another process than the one measured (restarted, perhaps on another host): measure it anew. */
    void peerRestarted()
    {
        clock.reset();
    }

    /** @return true once one ping was answered: the peer's clock is known, within half that round trip. */
    boolean clockMeasured()
    {
        return clock.isMeasured();
    }

    /**
     * @param maxOffsetNanos hlc.max-offset-ms.
     * @param nowNanos       this node's monotonic clock.
     * @return true when the peer's clock is ahead of this node's by more than that, beyond the error bound of the
     *     tightest measurement (offset minus its bound now): its timestamps are not to be taken, however late they
     *     arrive.
     */
    boolean clockAheadBeyond(final long maxOffsetNanos, final long nowNanos)
    {
        return clock.aheadAtLeastNanos(nowNanos) > maxOffsetNanos;
    }

    /**
     * @param ownMessages   this node's own messages journaled so far.
     * @param anyFrameBytes the mean frame shipped to any peer, for the byte estimate of a peer nothing was shipped to
     *                      yet (one that never connected); 0 when nothing was shipped to any.
     */
    void publishStatus(final long ownMessages, final long anyFrameBytes)
    {
        final long lag = Math.max(0, ownMessages - ackCount);
        final long frameBytes = 0 < shipper.meanFrameBytes() ? shipper.meanFrameBytes() : anyFrameBytes;
        final boolean pinged = 0 < rtt.getTotalCount();
        status = new PeerStatus(peer, endpoint, state, receivedThisRun, journaledFromPeer, highWaterMark,
            duplicatesDropped, clockRejections, resendsRequested, resendsServed, shipper.shipped(), lag,
            lag * frameBytes, pinged ? rtt.getValueAtPercentile(50) : -1,
            pinged ? rtt.getValueAtPercentile(99) : -1, clock.offsetNanos(),
            clock.errorNanos(System.nanoTime()), endOfStream, endOriginId, ackHighWaterMark, lastLocalId);
    }

    /** @return the last published snapshot. */
    PeerStatus status()
    {
        return status;
    }

    @Override
    public void close()
    {
        shipper.close();
        refusals.close();
        data.close();
        control.close();
    }
}
