package io.chronofabric.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.driver.ext.DebugChannelEndpointConfiguration;
import io.aeron.driver.ext.DebugReceiveChannelEndpointSupplier;
import io.aeron.driver.status.SystemCounterDescriptor;
import io.aeron.exceptions.RegistrationException;
import io.chronofabric.engine.api.DriverThreading;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.engine.internal.retention.RetentionHold;
import io.chronofabric.journal.Durability;
import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.RecordLayout;
import io.chronofabric.journal.SettledState;
import io.prometheus.metrics.model.registry.MultiCollector;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.status.CountersReader;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One ChronoFabric node of a deployment: an engine whose journaled messages are shipped to its peers over Aeron, and
 * which journals, sequences and delivers theirs like its own, each exactly once.
 * <ul>
 *     <li>An embedded Aeron media driver in the node's own directory, taken with a file lock: a second process with
 *     the same node id is refused; a directory a killed node left is reclaimed at once.</li>
 *     <li>For each peer a shipper reads this node's journal off the pipeline thread: a slow peer grows its lag in the
 *     journal, never the pipeline's latency; at {@code peer.max-lag} the {@code peer.lag-policy} applies.</li>
 *     <li>What arrives is journaled with its origin (node, origin id) and the HLC receive rule; duplicates of what
 *     the journal holds are dropped and counted; after a disconnect or a restart each peer is asked to resend from
 *     the high-water mark the journal holds for it.</li>
 *     <li>Heartbeats carry the marks and an NTP-style clock ping: per peer RTT and clock offset.</li>
 * </ul>
 * Start it on a started engine, before the application publishes; close it before the engine.
 */
public final class Node implements AutoCloseable
{
    /**
     * The file in a journal folder that makes it a node's journal (its epoch and its peers'): a tool that deletes
     * from a journal with no engine running cannot know what the node's peers still lack, and checks for it.
     */
    public static final String IDENTITY_FILE = JournalIdentity.FILE;

    private static final Logger LOG = LogManager.getLogger(Node.class);
    private static final long LINGER_NANOS = 200_000_000L;

    private final NodeConfiguration configuration;
    private final Engine engine;
    private final NodeLock lock;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final List<PeerLink> links;
    private final NodeConductor conductor;
    private final AgentRunner runner;
    private final NodeCollector collector;
    /** The last of this node's own messages in its journal when it started (pruned ones included), 0 when none. */
    private final long ownLastAtStart;
    private volatile boolean closed;

    private Node(final NodeConfiguration configuration, final Engine engine, final NodeLock lock)
    {
        this.configuration = configuration;
        this.engine = engine;
        this.lock = lock;
        MediaDriver startedDriver = null;
        Aeron connected = null;
        AgentRunner startedRunner = null;
        final List<PeerLink> made = new ArrayList<>();
        try
        {
            // the journal is read before the driver starts: with the driver on the node's thread nothing runs it
            // until that thread starts, and a long read would let the driver time its client out
            final OriginScan scan = OriginScan.of(engine.context().journalDir(), engine.context().maxDependencies(),
                engine.context().payloadCapacity());
            this.ownLastAtStart = scan.ownLast;
            final JournalIdentity identity = JournalIdentity.of(engine.context().journalDir(), configuration.nodeId());
            startedDriver = MediaDriver.launch(driverContext(configuration));
            // on the node's thread, the Aeron client's conductor runs there too, and a call that waits for the
            // driver (adding a publication, closing one) runs the driver's duty cycle while it waits
            final AgentInvoker driverInvoker = startedDriver.sharedAgentInvoker();
            connected = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(startedDriver.aeronDirectoryName())
                .useConductorAgentInvoker(null != driverInvoker)
                .driverAgentInvoker(driverInvoker)
                .errorHandler(ex -> LOG.error("node {}: Aeron client error", configuration.nodeId(), ex))
                // Aeron would log and skip a fragment whose handler throws; the conductor must see it and stop
                .subscriberErrorHandler(Node::rethrow));
            final Subscription data = listen(connected, configuration.listen());
            final Subscription control = connected.addSubscription(configuration.listen().channel(),
                NodeConfiguration.CONTROL_STREAM);
            // exclusive: only the node's thread offers, so a claim needs no compare-and-swap on the term's tail
            for (final Map.Entry<Integer, Endpoint> peer : configuration.peers().entrySet())
            {
                final Publication dataPublication = connected.addExclusivePublication(peer.getValue().channel(),
                    NodeConfiguration.DATA_STREAM);
                final Publication controlPublication = connected.addExclusivePublication(peer.getValue().channel(),
                    NodeConfiguration.CONTROL_STREAM);
                made.add(new PeerLink(peer.getKey(), peer.getValue(), dataPublication, controlPublication,
                    new Shipper(configuration.nodeId(), engine.context().journalDir(),
                        engine.context().maxDependencies(), engine.context().payloadCapacity(),
                        engine.context().dependencyWindow()),
                    ClockRefusals.open(engine.context().journalDir(), peer.getKey(),
                        scan.highWaterMark(peer.getKey()), Durability.SYNC == engine.context().durability()),
                    engine.context().ringSize()));
            }
            this.driver = startedDriver;
            this.aeron = connected;
            this.links = List.copyOf(made);
            this.conductor = new NodeConductor(configuration, engine, data, control, links, scan, identity,
                ThreadLocalRandom.current().nextLong());
            // what a peer lacks that this journal no longer holds never comes: the peers need not wait for it
            conductor.completeWhen(() -> null == notDoneButForLosses());
            final Agent agent = null == driverInvoker ? conductor :
                new OnNodeThread(driverInvoker, connected.conductorAgentInvoker(), conductor, () -> closed);
            startedRunner = new AgentRunner(idleStrategy(), this::onAgentError, null, agent);
            this.runner = startedRunner;
            // retention keeps this node's messages until every peer has journaled them: a resend reads them back
            engine.holdRetention(RetentionHold.of(this::acknowledgedByEveryPeer, this::leastAcknowledging));
            AgentRunner.startOnThread(runner);
            this.collector = NodeCollector.register(this, engine);
            LOG.info("node {} listening on {} with peers {}", configuration.nodeId(), configuration.listen(),
                configuration.peers());
        }
        catch (final RuntimeException | Error ex)
        {
            engine.holdRetention(RetentionHold.untilNodeStarts(configuration.nodeId()));
            // the node's thread first: it may be inside the driver's duty cycle, whose buffers close next
            CloseHelper.quietClose(startedRunner);
            made.forEach(PeerLink::close);
            CloseHelper.quietCloseAll(connected, startedDriver, lock);
            throw ex;
        }
    }

    /** The conductor logged the cause it stopped with: the agent's end is not logged again. */
    private void onAgentError(final Throwable ex)
    {
        if (!(ex instanceof AgentTerminationException && null != conductor.failure()))
        {
            LOG.error("node {}: conductor failed", configuration.nodeId(), ex);
        }
    }

    /**
     * Binds the listen port (the data stream's subscription). The reservation's probe found it free, but another
     * process may have taken it since: that is refused as the probe refuses it, not with Aeron's registration error.
     */
    private static Subscription listen(final Aeron aeron, final Endpoint listen)
    {
        try
        {
            return aeron.addSubscription(listen.channel(), NodeConfiguration.DATA_STREAM);
        }
        catch (final RegistrationException ex)
        {
            try
            {
                listen.checkPortFree();
            }
            catch (final ListenPortInUseException inUse)
            {
                inUse.addSuppressed(ex);
                throw inUse;
            }
            catch (final IllegalArgumentException other)
            {
                ex.addSuppressed(other);
            }
            throw ex;
        }
    }

    private static void rethrow(final Throwable ex)
    {
        if (ex instanceof RuntimeException runtime)
        {
            throw runtime;
        }
        if (ex instanceof Error error)
        {
            throw error;
        }
        throw new IllegalStateException(ex);
    }

    /** @return why retention keeps what it keeps for the peers: the one that has journaled the fewest of ours. */
    private String leastAcknowledging()
    {
        final PeerStatus least = leastAcknowledgingPeer();
        return null == least ? "no peer" : "peer " + least.peer() + " (" + least.state().label() + ") has journaled " +
            "this node's messages only up to id " + least.acknowledged() + ", and a resend to it reads them from " +
            "this journal";
    }

    /**
     * @return the highest local id retention may delete through: below the first of this node's own messages some peer
     *     has not journaled (at its acknowledgement, which is an own id: own ids are local ids); no limit when every
     *     peer has them all, so that a node whose journal holds mostly what it receives still prunes it.
     */
    private long acknowledgedByEveryPeer()
    {
        final PeerStatus least = leastAcknowledgingPeer();
        return null == least ? Long.MAX_VALUE : least.acknowledged();
    }

    /** @return the peer lacking own messages that has journaled the fewest of them, null when none lacks any. */
    private PeerStatus leastAcknowledgingPeer()
    {
        final long lastOwn = lastOwnId();
        PeerStatus least = null;
        for (final PeerLink link : links)
        {
            final PeerStatus status = link.status();
            if (status.acknowledged() < lastOwn && (null == least || status.acknowledged() < least.acknowledged()))
            {
                least = status;
            }
        }
        return least;
    }

    /** @return the id of the last of this node's own messages, this run's or an earlier run's; 0 when none. */
    private long lastOwnId()
    {
        return Math.max(ownLastAtStart, engine.lastOwnPublishedId());
    }

    /**
     * Starts a node on a started engine.
     *
     * @param configuration the node's configuration.
     * @param engine        the engine, started with the same node.id.
     * @return the running node.
     * @throws NodeInUseException       when another process runs this node id.
     * @throws ListenPortInUseException when another process holds the listen port.
     */
    public static Node start(final NodeConfiguration configuration, final Engine engine)
    {
        return start(reserveId(configuration), engine);
    }

    /**
     * Starts a node on a started engine with the node id reserved before ({@link #reserve}).
     *
     * @param reservation the node's reservation: the node holds its lock from now on, and lets it go when it closes
     *                    (or at once, when it fails to start).
     * @param engine      the engine, started with the same node.id.
     * @return the running node.
     */
    public static Node start(final NodeReservation reservation, final Engine engine)
    {
        final NodeConfiguration configuration = reservation.configuration();
        final NodeLock lock = reservation.handOver();
        if (configuration.nodeId() != engine.context().nodeId())
        {
            lock.close();
            throw new IllegalArgumentException("node " + configuration.nodeId() + " cannot run on an engine with " +
                "node.id=" + engine.context().nodeId());
        }
        return new Node(configuration, engine, lock);
    }

    /**
     * Before anything is started or written: takes the node id, so that no other process starts it meanwhile, and
     * checks that no other process holds the listen port (which may still be taken before the node binds it).
     *
     * @param configuration the node's configuration.
     * @return the reservation, to start the node with, or to close.
     * @throws NodeInUseException       when another process runs this node id.
     * @throws ListenPortInUseException when another process holds the listen port, saying so.
     */
    public static NodeReservation reserve(final NodeConfiguration configuration)
    {
        final NodeReservation reservation = reserveId(configuration);
        try
        {
            configuration.listen().checkPortFree();
            return reservation;
        }
        catch (final RuntimeException ex)
        {
            reservation.close();
            throw ex;
        }
    }

    /**
     * The node's metric families as they are now, fixed, for metrics written once the node has closed (a run's final
     * metrics file is written after its engine closed, and a node closes before its engine): register it with that
     * registry.
     *
     * @return a collector that always returns this moment's families.
     */
    public MultiCollector metricsAsTheyAre()
    {
        return NodeCollector.asTheyAre(this);
    }

    /**
     * Before the engine starts on the journal: refuses another node's journal (its {@value #IDENTITY_FILE} names
     * another node id). {@link #start} checks it too, but only after the engine has recovered from that journal.
     *
     * @param nodeId     the node to start.
     * @param journalDir its journal folder.
     * @throws JournalOfAnotherNodeException when the journal is another node's.
     */
    public static void requireOwnJournal(final int nodeId, final Path journalDir)
    {
        JournalIdentity.requireNode(journalDir, nodeId);
    }

    /**
     * @param journalDir a journal folder.
     * @return the node whose journal it is ({@value #IDENTITY_FILE}), or null when it is no node's.
     */
    public static String journalOwner(final Path journalDir)
    {
        return JournalIdentity.ownerOf(journalDir);
    }

    private static NodeReservation reserveId(final NodeConfiguration configuration)
    {
        return new NodeReservation(configuration, NodeLock.acquire(configuration.aeronBaseDir(),
            configuration.nodeId()));
    }

    /**
     * Tells a starting engine, from the {@code subscribeFirst} of {@code Engine.start}, which shipped messages were
     * settled before this start, so that cross-node dependencies on them are satisfied after a restart: for each
     * origin, the highest origin id among its messages at or below the settled watermark; and which of those were
     * dead (delivered to none of their subscribers), so that their cross-node dependents are dead-lettered.
     *
     * @param engine the engine being started.
     */
    public static void restoreOriginFloors(final Engine engine)
    {
        final Path journal = engine.context().journalDir();
        if (!Files.isDirectory(journal) || JournalFiles.rollFiles(journal).isEmpty())
        {
            return;
        }
        // as recovery read it: dead messages as far back as a dependency can point
        final SettledState settled = engine.settledAtStart();
        final OriginScan scan = OriginScan.of(journal, engine.context().maxDependencies(),
            engine.context().payloadCapacity(), settled.watermark(), settled.deadAtOrBelowWatermark());
        scan.settledFloors.forEach(engine::originFloor);
        for (final long dead : scan.settledDead)
        {
            engine.originDead(RecordLayout.remoteDependencyNode(dead), RecordLayout.remoteDependencyOriginId(dead));
        }
    }

    private static MediaDriver.Context driverContext(final NodeConfiguration configuration)
    {
        final Path dir = NodeLock.driverDir(configuration.aeronBaseDir(), configuration.nodeId());
        final MediaDriver.Context context = new MediaDriver.Context()
            .aeronDirectoryName(dir.toString())
            .dirDeleteOnStart(true) // the lock is ours: whatever is there was left by a killed node
            .dirDeleteOnShutdown(true)
            .threadingMode(threadingMode(configuration.driverThreading()))
            .sharedIdleStrategy(idleStrategy())
            .conductorIdleStrategy(idleStrategy())
            .senderIdleStrategy(idleStrategy())
            .receiverIdleStrategy(idleStrategy())
            .publicationTermBufferLength(1 << 20)
            .ipcTermBufferLength(1 << 16)
            .errorHandler(ex -> LOG.error("node {}: media driver error", configuration.nodeId(), ex));
        final String lossRate = System.getProperty(DebugChannelEndpointConfiguration.RECEIVE_DATA_LOSS_RATE_PROP_NAME);
        if (null != lossRate && Double.parseDouble(lossRate) > 0)
        {
            LOG.warn("node {}: dropping {} of received data frames on purpose ({})", configuration.nodeId(), lossRate,
                DebugChannelEndpointConfiguration.RECEIVE_DATA_LOSS_RATE_PROP_NAME);
            context.receiveChannelEndpointSupplier(new DebugReceiveChannelEndpointSupplier());
        }
        return context;
    }

    private static ThreadingMode threadingMode(final DriverThreading threading)
    {
        switch (threading)
        {
            case SHARED:
                return ThreadingMode.SHARED;
            case DEDICATED:
                return ThreadingMode.DEDICATED;
            case NODE_THREAD:
            default:
                return ThreadingMode.INVOKER;
        }
    }

    /**
     * How the node's threads, and the driver's own, wait when idle: one spin, one yield, then parks from 1 us doubling
     * to 100 us. On 2 cores an idle thread that spins and yields longer (10 and 20 before) takes the core from threads
     * with work: the two-node median at 100k msg/s went from 2.13-2.15x raw Aeron's to 1.96-1.97x (two runs each).
     */
    private static IdleStrategy idleStrategy()
    {
        return new BackoffIdleStrategy(1, 1, 1_000, 100_000);
    }

    /**
     * Tells the peers that this node publishes nothing more; its stream is complete at a peer once the peer has
     * journaled everything up to {@code lastOwnId}.
     *
     * @param lastOwnId the id of the last message this node published, 0 when none.
     */
    public void endOfStream(final long lastOwnId)
    {
        conductor.endOfStream(lastOwnId);
    }

    /**
     * Waits until every peer announced the end of its stream and everything it published is journaled and settled
     * here, and every peer has journaled this node's whole stream; then stays, acknowledging, until every peer says
     * every stream is complete there too (at most two peer timeouts: a peer gone by then had all it needed from this
     * node), so that no peer waits for an acknowledgement from a node that has left.
     *
     * @param timeout how long to wait.
     * @return null when done, else one line naming each peer not done and why.
     */
    public String awaitPeersDone(final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            // a stopped node or engine is never done, whatever its peers' marks say
            if (null != engine.failure())
            {
                return "the engine failed: " + engine.failure();
            }
            if (null != conductor.failure())
            {
                return "node " + configuration.nodeId() + " stopped: " + conductor.failure().getMessage();
            }
            // what a stream lacks that a journal no longer holds never comes: waiting cannot end it, so once everything
            // else is done (the rest sent and taken) the run ends, naming it, after the usual linger
            final String missing = notDone();
            if (null == missing || lostForGood() && null == notDoneButForLosses())
            {
                break;
            }
            if (System.nanoTime() - deadline >= 0 || closed)
            {
                return missing;
            }
            LockSupport.parkNanos(1_000_000);
        }
        // every stream is complete here (the heartbeats say so from the next one); stay, acknowledging, until every
        // peer says the same (it may still wait for our last acknowledgement), or two peer timeouts if one has gone:
        // it had everything it needed from this node
        final long lingerDeadline = Math.min(deadline, System.nanoTime() + 2 * configuration.peerTimeoutNanos());
        while (!links.stream().allMatch(link -> link.peerDone) && System.nanoTime() - lingerDeadline < 0 && !closed)
        {
            LockSupport.parkNanos(1_000_000);
        }
        // and a few heartbeats more, so that a peer that just became done hears that we are
        LockSupport.parkNanos(Math.max(4 * configuration.heartbeatNanos(), LINGER_NANOS));
        return notDone();
    }

    private String notDone()
    {
        return notDone(true);
    }

    /**
     * @return true when messages of a stream can never arrive where they are missing: deleted from this journal
     *     before a peer journaled them, or from a peer's before this node did; waiting does not end that.
     */
    public boolean lostForGood()
    {
        for (final PeerLink link : links)
        {
            if (link.lostAfter >= 0 || link.missingForGood > 0 || link.oursMissingForGood > 0)
            {
                return true;
            }
        }
        return false;
    }

    private String notDoneButForLosses()
    {
        return notDone(false);
    }

    private String notDone(final boolean losses)
    {
        final StringBuilder missing = new StringBuilder();
        final long settled = engine.settledWatermark();
        for (final PeerLink link : links)
        {
            final PeerStatus status = link.status();
            String why = null;
            final long missingForGood = link.missingForGood;
            final String refusedBecause = link.refusedBecause;
            if (null != refusedBecause)
            {
                why = "because " + refusedBecause;
            }
            else if (losses && link.lostAfter >= 0)
            {
                why = "lacks this node's messages after origin id " + link.lostAfter + ", which this journal no " +
                    "longer holds (deleted while that peer had not journaled them): they cannot be sent";
            }
            else if (losses && link.oursMissingForGood > 0)
            {
                why = "has journaled this node's messages to the last, but lacks " + link.oursMissingForGood + " of " +
                    "them, which this journal no longer holds (deleted while that peer had not journaled them): they " +
                    "cannot be sent";
            }
            else if (losses && missingForGood > 0)
            {
                why = "ended its stream at origin id " + status.endOriginId() + ", and " + missingForGood + " of its " +
                    "messages are not in this journal: deleted from its journal before this node journaled them, " +
                    "they cannot be sent";
            }
            else if (!status.endOfStream() || status.endOriginId() > status.highWaterMark())
            {
                why = status.endOfStream() ? "sent its messages up to origin id " + status.highWaterMark() + " of " +
                    status.endOriginId() : "has not announced the end of its stream";
            }
            else if (status.lastLocalId() > settled)
            {
                why = "its messages are journaled but not yet settled here";
            }
            else if (status.acknowledged() < conductor.ownEnd())
            {
                why = "has journaled this node's messages up to " + status.acknowledged() + " of " +
                    conductor.ownEnd();
            }
            final String stoppedBecause = link.stoppedBecause;
            if (null != why && null != stoppedBecause)
            {
                why += ": it stopped: " + stoppedBecause;
            }
            if (null != why)
            {
                missing.append(missing.length() > 0 ? "; " : "").append("peer ").append(link.peer).append(" (")
                    .append(status.state().label()).append(") ").append(why);
            }
        }
        return missing.length() > 0 ? missing.toString() : null;
    }

    /**
     * @return why this node stopped taking and shipping messages (a peer refused it: {@link PeerRefusedException};
     *     a journal it cannot read; its media driver closed), or null while it runs. A peer this node refuses (one
     *     restarted on another journal, one that sent a record this node cannot take) does not stop it: that peer is
     *     {@link PeerState#REFUSED} in {@link #peers()}.
     */
    public Throwable failure()
    {
        return conductor.failure();
    }

    /** @return why this node stopped, in the one line it logged and told its peers; null while it runs. */
    public String stoppedBecause()
    {
        final Throwable failure = conductor.failure();
        return null == failure ? null : NodeConductor.causeLine(failure);
    }

    /** @return a snapshot of every peer, refreshed each heartbeat. */
    public List<PeerStatus> peers()
    {
        final List<PeerStatus> statuses = new ArrayList<>(links.size());
        for (final PeerLink link : links)
        {
            statuses.add(link.status());
        }
        return statuses;
    }

    /** @return this node's configuration. */
    public NodeConfiguration configuration()
    {
        return configuration;
    }

    /**
     * @param counter one of Aeron's system counters.
     * @return its value in this node's media driver; -1 when its Aeron client has closed (the node stopped for it, or
     *     closed), and the counters cannot be read.
     */
    public long aeronCounter(final SystemCounterDescriptor counter)
    {
        try
        {
            final CountersReader counters = aeron.countersReader();
            return counters.getCounterValue(counter.id());
        }
        catch (final io.aeron.exceptions.AeronException closed)
        {
            return -1;
        }
    }

    /**
     * @return Aeron's loss-repair counters in this node's media driver: NAKs sent and received, retransmits sent, gaps
     *     filled without data; each -1 when they cannot be read ({@link #aeronCounter}).
     */
    public Map<String, Long> lossRepair()
    {
        final Map<String, Long> counters = new java.util.LinkedHashMap<>();
        counters.put("naks_sent", aeronCounter(SystemCounterDescriptor.NAK_MESSAGES_SENT));
        counters.put("naks_received", aeronCounter(SystemCounterDescriptor.NAK_MESSAGES_RECEIVED));
        counters.put("retransmits_sent", aeronCounter(SystemCounterDescriptor.RETRANSMITS_SENT));
        counters.put("loss_gap_fills", aeronCounter(SystemCounterDescriptor.LOSS_GAP_FILLS));
        return counters;
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (null != collector)
        {
            collector.unregister();
        }
        CloseHelper.quietClose(runner);
        links.forEach(PeerLink::close);
        CloseHelper.quietCloseAll(aeron, driver, lock);
        LOG.info("node {} closed", configuration.nodeId());
    }

    /**
     * The node's thread with {@code node.driver-threading=node-thread}: the media driver's duty cycle and the Aeron
     * client's (Aeron's invoker mode), then the conductor's, under the conductor's name.
     */
    private record OnNodeThread(AgentInvoker driver, AgentInvoker client, NodeConductor conductor,
        BooleanSupplier closing) implements Agent
    {
        /** How long the driver runs on after the conductor stopped, to send the frame that says why. */
        private static final long LAST_WORDS_NANOS = 20_000_000L;

        @Override
        public int doWork()
        {
            final int work;
            try
            {
                work = driver.invoke() + client.invoke();
            }
            catch (final RuntimeException | Error ex)
            {
                throw conductor.stop(ex); // the driver failed: nothing would take a last frame out
            }
            if ((driver.isClosed() || client.isClosed()) && !closing.getAsBoolean())
            {
                // an invoker that ended (the driver timed the client out after this thread stalled, or an agent
                // failed) leaves the node deaf and mute: stop it with a cause rather than run on silently
                throw conductor.stop(new IllegalStateException("the " + (driver.isClosed() ? "media driver" :
                    "Aeron client") + " that runs on " + conductor.roleName() + " (node.driver-threading=" +
                    "node-thread) has closed; see the errors logged before this"));
            }
            try
            {
                return work + conductor.doWork();
            }
            catch (final AgentTerminationException stopped)
            {
                // the driver runs on this thread only: a little longer, so the frame telling the peers why goes out
                final long deadline = System.nanoTime() + LAST_WORDS_NANOS;
                while (System.nanoTime() - deadline < 0 && !driver.isClosed() && !client.isClosed())
                {
                    if (0 == driver.invoke() + client.invoke())
                    {
                        Thread.onSpinWait();
                    }
                }
                throw stopped;
            }
        }

        @Override
        public void onClose()
        {
            conductor.onClose();
        }

        @Override
        public String roleName()
        {
            return conductor.roleName();
        }
    }
}
