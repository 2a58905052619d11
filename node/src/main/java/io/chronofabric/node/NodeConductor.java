package io.chronofabric.node;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.aeron.ControlledFragmentAssembler;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.PeerLagPolicy;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.WallClock;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.engine.internal.pipeline.RingPublisher;
import io.chronofabric.journal.JournalCorruptionException;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordCodec;
import io.chronofabric.journal.RecordLayout;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The node's one thread of work, an Agrona {@link Agent}: takes peers' messages off the data stream into the local
 * pipeline (deduplicated by origin high-water mark, gaps answered with a resend request), ships this node's journal
 * to each peer, and every heartbeat sends each peer its high-water marks and a clock ping, times peers out and
 * applies the lag policy. Driven by {@link #doWork()} from an agent runner, or from a test thread.
 */
final class NodeConductor implements Agent
{
    private static final Logger LOG = LogManager.getLogger(NodeConductor.class);
    private static final int FRAGMENTS_PER_POLL = 64;
    private static final int SHIP_PER_PEER = 64;
    private static final int STALL_HEARTBEATS = 4;
    /** What {@link #journal} returns for a message this engine refuses: its peer is refused. */
    private static final long REFUSED = Long.MIN_VALUE;
    private static final PayloadWriter<MessageRecord> COPY_PAYLOAD =
        (record, buffer) -> buffer.put(record.payload(), 0, record.payloadLength());

    private final NodeConfiguration configuration;
    private final Engine engine;
    private final WallClock wallClock;
    private final Subscription dataSubscription;
    private final Subscription controlSubscription;
    private final List<PeerLink> links;
    private final Int2ObjectHashMap<PeerLink> linkById = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<RingPublisher> publisherBySource = new Int2ObjectHashMap<>();
    private final MessageRecord record;
    private final RecordCodec codec;
    private final MessageFingerprint fingerprint = new MessageFingerprint();
    private final UnsafeBuffer controlFrame = new UnsafeBuffer(ByteBuffer.allocateDirect(Wire.HEARTBEAT_LENGTH));
    private final UnsafeBuffer textFrame = new UnsafeBuffer(ByteBuffer.allocateDirect(Wire.TEXT_FRAME_MAX_LENGTH));
    private final ControlledFragmentAssembler dataAssembler = new ControlledFragmentAssembler(this::onData);
    private final FragmentAssembler controlAssembler = new FragmentAssembler(this::onControl);
    private final PartitionDrill partitionDrill = PartitionDrill.fromSystemProperty();
    private final long incarnation;
    private final JournalIdentity identity;
    private final long dependencyHorizon;
    private final long ownCountAtStart;
    private final long ownLastAtStart;
    private final long prunedOwnLast;
    private long nextHeartbeatNanos;
    /** When this conductor started: a peer not heard from since is silent from then on. */
    private final long startNanos = System.nanoTime();
    private boolean publishersPaused;
    private volatile long ownEndId;
    private volatile boolean ended;
    private volatile boolean done;
    private BooleanSupplier complete = () -> false;
    private volatile Throwable failure;

    NodeConductor(final NodeConfiguration configuration, final Engine engine, final Subscription dataSubscription,
        final Subscription controlSubscription, final List<PeerLink> links, final OriginScan scan,
        final JournalIdentity identity, final long incarnation)
    {
        this.identity = identity;
        this.dependencyHorizon = engine.context().dependencyWindow() - engine.context().ringSize();
        this.configuration = configuration;
        this.engine = engine;
        this.wallClock = engine.context().wallClock();
        this.dataSubscription = dataSubscription;
        this.controlSubscription = controlSubscription;
        this.links = links;
        this.incarnation = incarnation;
        this.record = new MessageRecord(engine.context().maxDependencies(), engine.context().payloadCapacity());
        this.codec = new RecordCodec(engine.context().maxDependencies(), engine.context().payloadCapacity());
        this.ownCountAtStart = scan.ownCount;
        this.ownLastAtStart = scan.ownLast;
        this.prunedOwnLast = scan.prunedOwnLast;
        for (final PeerLink link : links)
        {
            linkById.put(link.peer, link);
            // refused for their clock and acknowledged in earlier runs: accounted for, never offered again
            link.highWaterMark = link.refusals.highWaterMark();
            link.highWaterMarkFingerprint = link.highWaterMark == scan.highWaterMark(link.peer) ?
                scan.fingerprint(link.peer) : MessageFingerprint.UNKNOWN;
            link.journaledHighWaterMark = link.highWaterMark;
            link.journaledFromPeer = scan.count(link.peer);
            link.accountedFromPeer = link.journaledFromPeer + link.refusals.count();
            link.knownEpoch = identity.peerEpoch(link.peer);
            link.publishStatus(ownCountAtStart, 0);
        }
    }

    @Override
    public String roleName()
    {
        return "chronofabric-node-" + configuration.nodeId();
    }

    @Override
    public int doWork()
    {
        try
        {
            return duty();
        }
        catch (final RuntimeException | Error ex)
        {
            // fail closed: the node stops taking and shipping messages; what it journaled stays, and the run reports
            // this cause instead of retrying the same fragment or record for ever
            throw stop(ex);
        }
    }

    /**
     * Stops the node for good with {@code cause}, which {@link #failure()} then reports.
     *
     * @param cause why.
     * @return the exception that ends the node's agent; throw it.
     */
    AgentTerminationException stop(final Throwable cause)
    {
        failure = cause;
        // a NodeStoppedException says it in full: no trace
        LOG.error("node {} stopped: {}", configuration.nodeId(), causeLine(cause),
            cause instanceof NodeStoppedException ? null : cause);
        announceStop(causeLine(cause));
        return new AgentTerminationException(cause);
    }

    /** @return what a node that stopped for {@code cause} says of it, in one line. */
    static String causeLine(final Throwable cause)
    {
        return cause instanceof NodeStoppedException ? cause.getMessage() : cause.toString();
    }

    /**
     * Tells each peer why this process stopped, best effort: otherwise a peer sees it only go silent, and its
     * operator reads "unreachable" where the cause is one line away, in this node's output.
     */
    private void announceStop(final String cause)
    {
        try
        {
            final int length = Wire.textFrame(textFrame, Wire.STOPPED, configuration.nodeId(), incarnation,
                cause.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (final PeerLink link : links)
            {
                if (!link.cutOff)
                {
                    link.control.offer(textFrame, 0, length);
                }
            }
        }
        catch (final RuntimeException | Error ex)
        {
            LOG.debug("node {}: could not tell the peers it stopped", configuration.nodeId(), ex);
        }
    }

    /** A peer's process says it stopped, and why: noted for what this node reports of it, and logged once. */
    private void onStopped(final PeerLink link, final DirectBuffer buffer, final int offset, final int frameLength)
    {
        final long stopped = Wire.textFrameIncarnation(buffer, offset, frameLength);
        if (0 == stopped || (0 != link.incarnation && stopped != link.incarnation))
        {
            // cut short, or another process of the peer than the one heard from; a process never heard from (it
            // stopped before its first heartbeat got here) is the one that says why it went
            return;
        }
        final String cause = Wire.textFrameText(buffer, offset, frameLength);
        if (!cause.equals(link.stoppedBecause))
        {
            LOG.error("ALERT peer {} at {} stopped: {}", link.peer, link.endpoint, cause);
        }
        link.stoppedBecause = cause;
    }

    private int duty()
    {
        int work = controlSubscription.poll(controlAssembler, FRAGMENTS_PER_POLL);
        work += dataSubscription.controlledPoll(dataAssembler, FRAGMENTS_PER_POLL);
        for (int i = 0, n = links.size(); i < n; i++)
        {
            final PeerLink link = links.get(i);
            if (PeerState.QUARANTINED != link.state && PeerState.REFUSED != link.state && !link.cutOff)
            {
                work += link.shipper.ship(link.data, SHIP_PER_PEER);
            }
        }
        final long now = System.nanoTime();
        if (now - nextHeartbeatNanos >= 0)
        {
            nextHeartbeatNanos = now + configuration.heartbeatNanos();
            work += onHeartbeatTimer(now);
        }
        return work;
    }

    /** @return why the node stopped, or null while it runs. */
    Throwable failure()
    {
        return failure;
    }

    /** Announces that this node publishes nothing after {@code lastOwnId} (0 when it published nothing). */
    void endOfStream(final long lastOwnId)
    {
        ownEndId = Math.max(lastOwnId, ownLastAtStart);
        ended = true;
    }

    /**
     * @param complete true once this node's stream ended and every stream is complete here and at every peer: from
     *                 then on the heartbeats say so, whether or not the application waits for it.
     */
    void completeWhen(final BooleanSupplier complete)
    {
        this.complete = complete;
    }

    /** @return the origin id of this node's last message once it announced the end of its stream, else 0. */
    long ownEnd()
    {
        return ended ? ownEndId : 0;
    }

    /** @return this node's own messages in its journal (or accepted into its ring), all runs. */
    long ownMessages()
    {
        return ownCountAtStart + engine.publishedOwn();
    }

    private int onHeartbeatTimer(final long now)
    {
        if (null != partitionDrill)
        {
            final java.util.Set<Integer> cutOff = partitionDrill.cutOff();
            for (int i = 0, n = links.size(); i < n; i++)
            {
                links.get(i).cutOff = cutOff.contains(links.get(i).peer);
            }
        }
        if (ended && !done && complete.getAsBoolean())
        {
            done = true;
        }
        final long ownMessages = ownMessages();
        final long journaled = engine.acknowledgedId();
        final long frameBytes = meanFrameBytes();
        boolean pause = false;
        PeerLink pausedFor = null;
        for (int i = 0, n = links.size(); i < n; i++)
        {
            final PeerLink link = links.get(i);
            link.journaledThrough(journaled);
            if (null != link.stopForCapacities && now - link.stopForCapacitiesNanos >= 0)
            {
                throw new NodeStoppedException(link.stopForCapacities);
            }
            if (PeerState.REFUSED == link.state)
            {
                // told again each heartbeat, in case a refusal was lost; no lag policy applies to it
                if (!link.cutOff)
                {
                    sendRefusal(link);
                }
                link.publishStatus(ownMessages, frameBytes);
                continue;
            }
            // a peer never heard from is as silent as one that went quiet: it never started, or cannot reach us
            final long heardNanos = 0 != link.lastHeardNanos ? link.lastHeardNanos : startNanos;
            if ((PeerState.ACTIVE == link.state || PeerState.CONNECTING == link.state) &&
                now - heardNanos > configuration.peerTimeoutNanos())
            {
                link.state = PeerState.UNREACHABLE;
                LOG.warn("peer {} at {} unreachable: not heard from {} {} ms; its stream resumes from origin id {} " +
                    "when it is heard again", link.peer, link.endpoint, 0 != link.lastHeardNanos ? "for" :
                    "since this node started", (now - heardNanos) / 1_000_000, link.highWaterMark);
            }
            // whether we ship to it (not quarantined) has nothing to do with whether it ships to us
            if ((PeerState.ACTIVE == link.state || PeerState.QUARANTINED == link.state) && !link.cutOff &&
                isStalled(link, now))
            {
                // once per change of its count: a peer whose refused messages this node no longer counts (after a
                // restart) is not asked again and again for nothing
                link.peerOwnAtStallResend = link.peerOwnMessages;
                requestResend(link, now);
            }
            final long lag = Math.max(0, ownMessages - link.ackCount);
            final boolean fallingBehind = lag > link.lastLag;
            link.lastLag = lag;
            if (lag >= configuration.maxLag() && PeerState.QUARANTINED != link.state)
            {
                if (PeerLagPolicy.QUARANTINE == configuration.lagPolicy())
                {
                    // a peer whose lag shrinks is catching up from the journal after a resend: let it
                    if (fallingBehind)
                    {
                        quarantine(link, lag);
                    }
                }
                else
                {
                    pause = true;
                    pausedFor = null == pausedFor ? link : pausedFor;
                }
            }
            if (!link.cutOff)
            {
                sendHeartbeat(link);
                if (link.resendPending)
                {
                    requestResend(link, now);
                }
            }
            noteMissingForGood(link);
            noteOursMissingForGood(link, ownMessages);
            link.publishStatus(ownMessages, frameBytes);
        }
        if (pause != publishersPaused)
        {
            publishersPaused = pause;
            engine.pausePublishers(pause);
            if (pause)
            {
                LOG.warn("local publishers paused: peer {} ({}) is {} messages behind, at least peer.max-lag={} " +
                    "(peer.lag-policy=block)", pausedFor.peer, pausedFor.state.label(), pausedFor.lastLag,
                    configuration.maxLag());
            }
            else
            {
                LOG.warn("local publishers resumed: every peer is under peer.max-lag");
            }
        }
        return links.size();
    }

    private void quarantine(final PeerLink link, final long lag)
    {
        link.state = PeerState.QUARANTINED;
        link.shipper.stop();
        final long now = System.nanoTime();
        if (now - link.lastAlertNanos > configuration.peerTimeoutNanos())
        {
            // at most one alert per peer.timeout-ms: a slow peer that catches up a little and falls behind again
            link.lastAlertNanos = now;
            LOG.error("ALERT peer {} quarantined: {} messages behind (peer.max-lag={}); nothing is shipped to it " +
                "until it asks for a resend", link.peer, lag, configuration.maxLag());
        }
    }

    /**
     * A peer that says it has more messages than this node holds of it, while none arrived for a few heartbeats,
     * stopped shipping to us (it quarantined us while we were slow, or the tail of its stream was lost with a
     * connection): ask it to resend from our high-water mark. Not while its frames wait here for this node's ring or
     * journal: those did arrive, and a resend would ship them all again.
     */
    private boolean isStalled(final PeerLink link, final long now)
    {
        final long stallNanos = STALL_HEARTBEATS * configuration.heartbeatNanos();
        return link.peerOwnMessages > link.accountedFromPeer && link.peerOwnMessages != link.peerOwnAtStallResend &&
            now - link.lastProgressNanos > stallNanos && now - link.lastWaitingHereNanos > stallNanos &&
            now - link.lastResendRequestNanos > stallNanos;
    }

    /**
     * A peer that ended its stream and shipped up to its last message while this node still counts fewer of its
     * messages than it says it has: those were deleted from its journal before this node journaled them (a prune with
     * {@code --ignore-peers}, retention while this node was not its peer), and no resend brings them.
     */
    private void noteMissingForGood(final PeerLink link)
    {
        final long missing = link.endOfStream && link.highWaterMark >= link.endOriginId ?
            Math.max(0, link.peerOwnMessages - link.accountedFromPeer) : 0;
        if (missing > 0 && 0 == link.missingForGood)
        {
            LOG.error("ALERT peer {} ended its stream at origin id {} and announced {} message(s) of its own; this " +
                "node holds {} of them: the rest were deleted from its journal before this node journaled them, and " +
                "cannot be sent", link.peer, link.endOriginId, link.peerOwnMessages, link.accountedFromPeer);
        }
        link.missingForGood = missing;
    }

    /**
     * A peer that has journaled this node's stream to its announced end while it counts fewer of its messages than this
     * node has: the rest were deleted here before it journaled them, and it resumed above them.
     */
    private void noteOursMissingForGood(final PeerLink link, final long ownMessages)
    {
        final long missing = ended && link.ackHighWaterMark >= ownEndId ? Math.max(0, ownMessages - link.ackCount) : 0;
        if (missing > 0 && 0 == link.oursMissingForGood)
        {
            LOG.error("ALERT peer {} has journaled this node's messages up to its last, id {}, but counts {} of its {}: " +
                "the rest were deleted from this journal before it journaled them (journal prune --ignore-peers, or " +
                "retention while it was not in the peer list), and cannot be sent", link.peer, ownEndId,
                link.ackCount, ownMessages);
        }
        link.oursMissingForGood = missing;
    }

    private void sendHeartbeat(final PeerLink link)
    {
        Wire.header(controlFrame, Wire.HEARTBEAT, configuration.nodeId());
        controlFrame.putLong(Wire.HB_YOUR_HWM_OFFSET, link.journaledHighWaterMark, Wire.ORDER);
        controlFrame.putLong(Wire.HB_YOUR_COUNT_OFFSET, link.journaledFromPeer + link.refusals.count(), Wire.ORDER);
        controlFrame.putLong(Wire.HB_MY_LAST_OFFSET, ended ? ownEndId : 0, Wire.ORDER);
        controlFrame.putLong(Wire.HB_MY_COUNT_OFFSET, ownMessages(), Wire.ORDER);
        controlFrame.putLong(Wire.HB_END_OFFSET, done ? Wire.END_AND_DONE : ended ? Wire.END : 0, Wire.ORDER);
        controlFrame.putLong(Wire.HB_PING_OFFSET, wallClock.epochNanos(), Wire.ORDER);
        controlFrame.putLong(Wire.HB_INCARNATION_OFFSET, incarnation, Wire.ORDER);
        controlFrame.putLong(Wire.HB_EPOCH_OFFSET, identity.epoch(), Wire.ORDER);
        controlFrame.putLong(Wire.HB_UPTIME_OFFSET, System.nanoTime() - startNanos, Wire.ORDER);
        controlFrame.putInt(Wire.HB_PAYLOAD_CAPACITY_OFFSET, engine.context().payloadCapacity(), Wire.ORDER);
        controlFrame.putInt(Wire.HB_DEPENDENCIES_MAX_OFFSET, engine.context().maxDependencies(), Wire.ORDER);
        controlFrame.putInt(Wire.HB_TYPES_MAX_OFFSET, engine.context().maxMessageTypes(), Wire.ORDER);
        link.control.offer(controlFrame, 0, Wire.HEARTBEAT_LENGTH);
    }

    private void requestResend(final PeerLink link, final long now)
    {
        if (now - link.lastResendRequestNanos < configuration.heartbeatNanos())
        {
            return; // one request per heartbeat: frames of the old position still in flight are gaps too
        }
        Wire.header(controlFrame, Wire.RESEND, configuration.nodeId());
        controlFrame.putLong(Wire.RESEND_AFTER_OFFSET, link.highWaterMark, Wire.ORDER);
        controlFrame.putLong(Wire.RESEND_FINGERPRINT_OFFSET, link.highWaterMarkFingerprint, Wire.ORDER);
        if (link.control.offer(controlFrame, 0, Wire.RESEND_LENGTH) > 0)
        {
            link.lastResendRequestNanos = now;
            link.resendsRequested++;
            link.resendPending = false;
        }
        else
        {
            link.resendPending = true; // offered again next heartbeat
        }
    }

    private void onControl(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final PeerLink link = linkById.get(Wire.from(buffer, offset));
        if (null == link || link.cutOff)
        {
            return; // a node not among this node's peers (or cut off by the drill) is not listened to
        }
        final long now = System.nanoTime();
        final byte kind = Wire.kind(buffer, offset);
        if ((PeerState.REFUSED == link.state || null != link.stopForCapacities) && Wire.HEARTBEAT != kind &&
            Wire.REFUSED != kind)
        {
            return; // only a heartbeat can show that the refused process was replaced; a peer this node leaves
        }
        switch (kind)
        {
            case Wire.HEARTBEAT -> onHeartbeat(link, buffer, offset, length, now);
            case Wire.REFUSED -> onRefused(link, buffer, offset, length);
            case Wire.STOPPED -> onStopped(link, buffer, offset, length);
            case Wire.PONG -> link.pong(Wire.getLong(buffer, offset, Wire.PONG_T1_OFFSET),
                Wire.getLong(buffer, offset, Wire.PONG_T2_OFFSET), Wire.getLong(buffer, offset, Wire.PONG_T3_OFFSET),
                wallClock.epochNanos());
            case Wire.RESEND ->
            {
                link.lastHeardNanos = now;
                link.resendsServed++;
                if (PeerState.QUARANTINED == link.state)
                {
                    link.state = PeerState.ACTIVE;
                    LOG.info("peer {} out of quarantine: it asked for a resend", link.peer);
                }
                final long after = Wire.getLong(buffer, offset, Wire.RESEND_AFTER_OFFSET);
                requireJournalNotBehind(link, after);
                final long heldFingerprint = length >= Wire.RESEND_LENGTH ?
                    Wire.getLong(buffer, offset, Wire.RESEND_FINGERPRINT_OFFSET) : MessageFingerprint.UNKNOWN;
                if (after < prunedOwnLast && after > link.lostAfter)
                {
                    link.lostAfter = after;
                    LOG.error("ALERT peer {} lacks this node's messages after origin id {}, and this journal no " +
                        "longer holds them up to id {} (deleted by journal prune --ignore-peers, or by retention " +
                        "while peer {} was not in the peer list): they cannot be sent; the rest is", link.peer, after,
                        prunedOwnLast, link.peer);
                }
                link.shipper.resendAfter(after, heldFingerprint, link.peer);
            }
            default ->
            {
                // a kind this version does not know: ignored
            }
        }
    }

    /**
     * A peer can hold this node's messages only up to the last this journal held at start, or one this process has
     * shipped it since: one that holds more got them from a journal this one is not, or no longer is, all of (an older
     * copy restored, a tail lost with the host under {@code journal.durability=async}). This node's ids from there on
     * would be taken for duplicates there: it stops before shipping any.
     */
    private void requireJournalNotBehind(final PeerLink link, final long peerHoldsThrough)
    {
        if (peerHoldsThrough > ownLastAtStart && peerHoldsThrough > link.shipper.lastShippedId())
        {
            throw new NodeStoppedException("peer " + link.peer + " has journaled node " + configuration.nodeId() +
                "'s messages up to origin id " + peerHoldsThrough + ", but this journal held them only up to id " +
                ownLastAtStart + " when it started, and this process has shipped none above it: the journal lost " +
                "its tail (an older copy restored, or a host crash under journal.durability=async), and the ids " +
                "this node issues from " + (ownLastAtStart + 1) + " would be taken for duplicates there. Restart it " +
                "with --resume on the journal that holds them");
        }
    }

    private void onHeartbeat(final PeerLink link, final DirectBuffer buffer, final int offset, final int length,
        final long now)
    {
        final long received = wallClock.epochNanos();
        final long peerIncarnation = Wire.getLong(buffer, offset, Wire.HB_INCARNATION_OFFSET);
        if (peerIncarnation != link.incarnation && null != link.stoppedBecause)
        {
            link.stoppedBecause = null; // said by an earlier process of the peer
        }
        if (PeerState.REFUSED == link.state)
        {
            if (peerIncarnation == link.refusedIncarnation)
            {
                return; // the process refused: told so each heartbeat
            }
            // another process: a restarted peer, checked again; or the one taken before the refused one appeared
            // (two processes claim the peer's id), which carries on as it was
            final boolean restarted = peerIncarnation != link.incarnation;
            if (restarted)
            {
                LOG.warn("peer {} at {} restarted: no longer refused; it is checked again", link.peer, link.endpoint);
            }
            link.state = restarted ? PeerState.CONNECTING : PeerState.ACTIVE;
            link.refusedBecause = null;
        }
        if (!acceptsEpoch(link, Wire.getLong(buffer, offset, Wire.HB_EPOCH_OFFSET), peerIncarnation) ||
            !acceptsCapacities(link, buffer, offset, length, peerIncarnation, now))
        {
            return;
        }
        final boolean rejoined = PeerState.CONNECTING == link.state || PeerState.UNREACHABLE == link.state ||
            peerIncarnation != link.incarnation;
        if (0 != link.incarnation && peerIncarnation != link.incarnation)
        {
            link.peerRestarted(); // its clock is measured anew before its messages are taken
        }
        link.lastHeardNanos = now;
        link.incarnation = peerIncarnation;
        link.ackHighWaterMark = Wire.getLong(buffer, offset, Wire.HB_YOUR_HWM_OFFSET);
        link.ackCount = Wire.getLong(buffer, offset, Wire.HB_YOUR_COUNT_OFFSET);
        final long end = Wire.getLong(buffer, offset, Wire.HB_END_OFFSET);
        link.endOfStream = 0 != end;
        link.peerDone = Wire.END_AND_DONE == end;
        link.peerOwnMessages = Wire.getLong(buffer, offset, Wire.HB_MY_COUNT_OFFSET);
        link.endOriginId = Wire.getLong(buffer, offset, Wire.HB_MY_LAST_OFFSET);
        if (rejoined)
        {
            if (PeerState.QUARANTINED != link.state)
            {
                link.state = PeerState.ACTIVE;
            }
            LOG.info("peer {} at {} joined; asking it to resend from origin id {}", link.peer, link.endpoint,
                link.highWaterMark);
            link.lastResendRequestNanos = Long.MIN_VALUE / 2;
            requestResend(link, now);
        }
        Wire.header(controlFrame, Wire.PONG, configuration.nodeId());
        controlFrame.putLong(Wire.PONG_T1_OFFSET, Wire.getLong(buffer, offset, Wire.HB_PING_OFFSET), Wire.ORDER);
        controlFrame.putLong(Wire.PONG_T2_OFFSET, received, Wire.ORDER);
        controlFrame.putLong(Wire.PONG_T3_OFFSET, wallClock.epochNanos(), Wire.ORDER);
        link.control.offer(controlFrame, 0, Wire.PONG_LENGTH);
    }

    /**
     * A peer's journal is the one whose messages this journal holds, or the peer is refused: a peer restarted on a
     * fresh journal numbers its messages from 1 again, and they would all be dropped as duplicates. This node runs on
     * with its other peers; the refused one is told why, and stops.
     *
     * @return false when the peer is refused.
     */
    private boolean acceptsEpoch(final PeerLink link, final long epoch, final long peerIncarnation)
    {
        if (epoch == link.knownEpoch)
        {
            return true;
        }
        if (0 != link.knownEpoch && (0 < link.highWaterMark || 0 < link.journaledFromPeer))
        {
            refuse(link, peerIncarnation, "it restarted on another journal (epoch " + epoch + ") than the one whose " +
                "messages node " + configuration.nodeId() + " holds up to origin id " + link.highWaterMark +
                " (epoch " + link.knownEpoch + "): its new ids would be taken for duplicates. A node id must keep its " +
                "journal: restart it with --resume on that journal (a run without --resume keeps it as " +
                "DIR.previous); to start a deployment afresh, start every node on a fresh journal");
            return false;
        }
        link.knownEpoch = epoch;
        identity.peerEpoch(link.peer, epoch);
        return true;
    }

    /**
     * Nodes of a deployment need the same capacities, or a record one ships may not fit another, which would refuse
     * its sender mid-stream. They are compared at the first heartbeat, before anything is taken or shipped: of the
     * two, the process that started later stops, saying why, and the other refuses it and runs on; so a node
     * restarted with other settings never stops the deployment it rejoins.
     *
     * @return false when they differ: nothing is taken from the peer or shipped to it.
     */
    private boolean acceptsCapacities(final PeerLink link, final DirectBuffer buffer, final int offset,
        final int length, final long peerIncarnation, final long now)
    {
        if (length < Wire.HEARTBEAT_LENGTH)
        {
            return true; // an earlier version's heartbeat, which does not carry them: a record that does not fit is
                         // still refused when it arrives
        }
        final int payloadCapacity = Wire.getInt(buffer, offset, Wire.HB_PAYLOAD_CAPACITY_OFFSET);
        final int maxDependencies = Wire.getInt(buffer, offset, Wire.HB_DEPENDENCIES_MAX_OFFSET);
        final int maxTypes = Wire.getInt(buffer, offset, Wire.HB_TYPES_MAX_OFFSET);
        if (payloadCapacity == engine.context().payloadCapacity() &&
            maxDependencies == engine.context().maxDependencies() && maxTypes == engine.context().maxMessageTypes())
        {
            link.stopForCapacities = null; // the peer restarted with this node's capacities before it stopped
            return true;
        }
        final String theirs = capacities(payloadCapacity, maxDependencies, maxTypes);
        final String ours = capacities(engine.context().payloadCapacity(), engine.context().maxDependencies(),
            engine.context().maxMessageTypes());
        // by how long each has run, on its own monotonic clock: hosts' wall clocks differ by an offset not yet measured
        final long peerUptime = Wire.getLong(buffer, offset, Wire.HB_UPTIME_OFFSET);
        final long uptime = now - startNanos;
        if (peerUptime > uptime || (peerUptime == uptime && link.peer < configuration.nodeId()))
        {
            if (null == link.stopForCapacities)
            {
                // heartbeats go on a little, so the running peer hears this process and can log why it goes; its
                // refusal, if it comes first, stops this node with the same facts
                link.stopForCapacities = "node " + configuration.nodeId() + " (" + ours + ") joins peer " + link.peer +
                    " (" + theirs + ", running since before it): nodes of a deployment need the same capacities, or a " +
                    "record one ships may not fit another. Restart node " + configuration.nodeId() + " with peer " +
                    link.peer + "'s";
                link.stopForCapacitiesNanos = now + 2 * configuration.heartbeatNanos();
            }
            return false;
        }
        refuse(link, peerIncarnation, "it joined with " + theirs + ", not node " + configuration.nodeId() + "'s " +
            ours + ": nodes of a deployment need the same capacities. Restart it with node " +
            configuration.nodeId() + "'s");
        return false;
    }

    private static String capacities(final int payloadCapacity, final int maxDependencies, final int maxTypes)
    {
        return "payload.capacity=" + payloadCapacity + ", dependencies.max=" + maxDependencies + ", types.max=" +
            maxTypes;
    }

    /**
     * Refuses the peer's process: nothing more is taken from it or shipped to it, and each heartbeat tells it why (it
     * stops). A restart of it is heard again.
     */
    private void refuse(final PeerLink link, final long peerIncarnation, final String reason)
    {
        link.state = PeerState.REFUSED;
        link.shipper.stop();
        link.refusedBecause = reason;
        link.refusal = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (peerIncarnation != link.refusedIncarnation)
        {
            // once per process refused
            LOG.error("ALERT peer {} refused: {}. Nothing is taken from it or shipped to it until it restarts; " +
                "node {} runs on", link.peer, reason, configuration.nodeId());
        }
        link.refusedIncarnation = peerIncarnation;
        sendRefusal(link);
    }

    private void sendRefusal(final PeerLink link)
    {
        link.control.offer(textFrame, 0, Wire.textFrame(textFrame, Wire.REFUSED, configuration.nodeId(),
            link.refusedIncarnation, link.refusal));
    }

    /** A peer refuses this process: it takes nothing from it, so the node stops, saying why. */
    private void onRefused(final PeerLink link, final DirectBuffer buffer, final int offset, final int frameLength)
    {
        if (Wire.textFrameIncarnation(buffer, offset, frameLength) != incarnation)
        {
            return; // meant for an earlier process of this node (or cut short)
        }
        throw new PeerRefusedException(configuration.nodeId(), link.peer,
            Wire.textFrameText(buffer, offset, frameLength));
    }

    private ControlledFragmentHandler.Action onData(final DirectBuffer buffer, final int offset, final int length,
        final Header header)
    {
        final PeerLink link = linkById.get(Wire.from(buffer, offset));
        if (null == link || link.cutOff || PeerState.REFUSED == link.state || null != link.stopForCapacities ||
            Wire.DATA != Wire.kind(buffer, offset))
        {
            // not a peer's data frame, cut off by the drill, refused, or a peer this node leaves
            return ControlledFragmentHandler.Action.CONTINUE;
        }
        final int recordLength = length - Wire.DATA_RECORD_OFFSET;
        if (recordLength > codec.scratch().length)
        {
            refuse(link, link.incarnation, "it sent a " + recordLength + "-byte record, over the " +
                codec.scratch().length + " bytes of node " + configuration.nodeId() + "'s dependencies.max=" +
                engine.context().maxDependencies() + " and payload.capacity=" + engine.context().payloadCapacity() +
                ": nodes of a deployment need the same capacities");
            return ControlledFragmentHandler.Action.CONTINUE;
        }
        buffer.getBytes(offset + Wire.DATA_RECORD_OFFSET, codec.scratch(), 0, recordLength);
        try
        {
            codec.decode(recordLength, -1, record);
        }
        catch (final JournalCorruptionException ex)
        {
            // the codec's reason, not its journal wording: the record came over the wire, from no queue index
            refuse(link, link.incarnation, "it sent a record that does not decode (" + ex.reason() + ")");
            return ControlledFragmentHandler.Action.CONTINUE;
        }
        final long originId = record.originId();
        final long now = System.nanoTime();
        link.lastHeardNanos = now;
        if (originId <= link.highWaterMark)
        {
            link.duplicatesDropped++;
            return ControlledFragmentHandler.Action.CONTINUE;
        }
        if (Wire.getLong(buffer, offset, Wire.DATA_PREVIOUS_OFFSET) > link.highWaterMark)
        {
            requestResend(link, now); // a gap: frames were lost while this node or the stream was away
            return ControlledFragmentHandler.Action.CONTINUE;
        }
        if (!link.clockMeasured())
        {
            // its clock is judged before its first message is taken: a message that arrives late passes the
            // per-message check though its node's clock runs far ahead (one heartbeat after the peer connects)
            return waitHere(link, now);
        }
        if (!link.canTakeMore())
        {
            link.journaledThrough(engine.acknowledgedId());
            if (!link.canTakeMore())
            {
                return waitHere(link, now); // a ring's worth waits for the journal: take it later
            }
        }
        final long localId = journal(link, now);
        if (Publisher.RING_FULL == localId || Publisher.HOLD_FULL == localId)
        {
            return waitHere(link, now); // the same fragment again on the next poll
        }
        if (REFUSED == localId)
        {
            return ControlledFragmentHandler.Action.CONTINUE;
        }
        link.highWaterMark = originId;
        link.highWaterMarkFingerprint = fingerprint.of(record);
        link.lastProgressNanos = now;
        link.accountedFromPeer++;
        link.taken(Math.max(0, localId), originId);
        if (localId > 0)
        {
            link.lastLocalId = localId;
            link.receivedThisRun++;
        }
        return ControlledFragmentHandler.Action.CONTINUE;
    }

    /**
     * Leaves the peer's frame where it is, to be taken on a later poll: its stream is not stalled, this node is behind,
     * and asking the peer to resend would only make it ship again what waits here.
     */
    private static ControlledFragmentHandler.Action waitHere(final PeerLink link, final long now)
    {
        link.lastWaitingHereNanos = now;
        return ControlledFragmentHandler.Action.ABORT;
    }

    /**
     * @param now this node's monotonic clock.
     * @return the local id, RING_FULL or HOLD_FULL to try again, 0 when refused for its clock (counted), or
     *     {@link #REFUSED} when this engine cannot take it (the peer is refused).
     */
    private long journal(final PeerLink link, final long now)
    {
        final RingPublisher publisher = receivingPublisher(record.source());
        if (link.clockAheadBeyond(engine.context().hlcMaxOffsetNanos(), now))
        {
            publisher.refuseForClockOffset();
            return refusedForClock(link);
        }
        final long clockRejectionsBefore = engine.clockOffsetRejections();
        try
        {
            publisher.remoteOrigin(link.peer, record.originId(), record.hlcWall(), record.hlcLogical())
                .priority(record.priority());
            if (0 != record.deadlineEpochNanos())
            {
                publisher.deadlineIn(Math.min(Publisher.MAX_DEADLINE_NANOS,
                    Math.max(1, record.deadlineEpochNanos() - wallClock.epochNanos())));
            }
            for (int i = 0, n = record.dependencyCount(); i < n; i++)
            {
                final long dependency = record.dependency(i);
                final int node = RecordLayout.remoteDependencyNode(dependency);
                final long originId = RecordLayout.remoteDependencyOriginId(dependency);
                // a dependency on this node's own message from further back than the sequencer tracks was released
                // long ago (the sequencer's own rule for old ids); as a local one the publish would refuse it
                if (node != configuration.nodeId() || engine.acknowledgedId() - originId < dependencyHorizon)
                {
                    publisher.dependsOn(node, originId);
                }
            }
            // under sync, a refusal before it is on disk before this message can be journaled
            link.refusals.force();
            return publisher.tryPublish(record.type(), COPY_PAYLOAD, record);
        }
        catch (final IllegalArgumentException refused)
        {
            if (engine.clockOffsetRejections() > clockRejectionsBefore)
            {
                // its HLC time is more than hlc.max-offset-ms ahead of this node's clock
                return refusedForClock(link);
            }
            refuse(link, link.incarnation, "its message " + record.originId() + " was refused by node " +
                configuration.nodeId() + "'s engine (" + refused.getMessage() + "): nodes of a deployment need the " +
                "same types.max, dependencies.max and payload.capacity");
            return REFUSED;
        }
    }

    /** @return the mean frame shipped to the peers that were shipped anything; 0 when none was. */
    private long meanFrameBytes()
    {
        long sum = 0;
        int shippedTo = 0;
        for (final PeerLink link : links)
        {
            final long mean = link.shipper.meanFrameBytes();
            if (0 < mean)
            {
                sum += mean;
                shippedTo++;
            }
        }
        return 0 == shippedTo ? 0 : sum / shippedTo;
    }

    /**
     * The current record is refused for its node's clock: counted, the local clock left alone, and recorded before
     * any later message of the peer enters the ring.
     *
     * @return 0, the local id of a refused message.
     */
    private long refusedForClock(final PeerLink link)
    {
        link.refusals.refused(record.originId());
        link.clockRejections++;
        return 0;
    }

    private RingPublisher receivingPublisher(final int source)
    {
        RingPublisher publisher = publisherBySource.get(source);
        if (null == publisher)
        {
            publisher = engine.newReceivingPublisher(source);
            publisherBySource.put(source, publisher);
        }
        return publisher;
    }

    @Override
    public void onClose()
    {
        if (publishersPaused)
        {
            engine.pausePublishers(false);
        }
    }
}
