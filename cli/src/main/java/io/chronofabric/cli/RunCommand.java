package io.chronofabric.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

import io.chronofabric.cli.workload.TradingMessages;
import io.chronofabric.cli.workload.TradingSubscribers;
import io.chronofabric.cli.workload.TradingWorkload;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.engine.internal.observability.DiskSpaceWatch;
import io.chronofabric.engine.internal.observability.EngineMetrics;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.config.Settings;
import io.chronofabric.engine.api.EngineStats;
import io.chronofabric.journal.JournalFileCheck;
import io.chronofabric.journal.JournalInUseException;
import io.chronofabric.journal.JournalLock;
import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.EngineLimits;
import io.chronofabric.journal.SettledState;
import io.chronofabric.node.JournalOfAnotherNodeException;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.chronofabric.node.Node;
import io.chronofabric.node.NodeConfiguration;
import io.chronofabric.node.NodeReservation;
import io.chronofabric.node.PeerStatus;
import io.chronofabric.perf.report.OutputNotWrittenException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import io.chronofabric.cli.common.Inputs;
import io.chronofabric.cli.common.ScratchFolders;

/**
 * {@code chronofabric run}: the main job. Runs the embedded engine on the built-in trading workload and prints a
 * summary (table, or one JSON object with {@code --json}).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the engine on the built-in trading workload (ticks -> signals -> orders, five subscribers).")
public final class RunCommand implements Callable<Integer>
{
    /** The slowest offered rate: slower ones would leave seconds or more between messages, and look hung. */
    static final double MIN_RATE = 1;
    /** The fastest offered rate: one message a nanosecond, the pacing clock's resolution. */
    static final double MAX_RATE = 1e9;
    /** The longest a paced run's warm-up runs at the measured rate, after its full-speed part. */
    private static final double PACED_WARMUP_SECONDS = 0.5;
    /** How often a run whose publishers a lagging peer paused looks whether it gave up. */
    private static final long PAUSED_POLL_NANOS = 1_000_000L;

    @Spec
    private CommandSpec spec;

    /** The run's publishes that waited for a lagging peer before they were made ({@link #awaitUnpaused}). */
    private long publishesPausedBeforeTheCall;

    @Option(names = "--profile", paramLabel = "NAME", description = "Named profile (default: ${DEFAULT-VALUE}).",
        defaultValue = "dev")
    private String profile;

    @Option(names = "--messages", paramLabel = "N",
        description = "Messages to publish, >= 1 (default: ${DEFAULT-VALUE}).", defaultValue = "1000000")
    private long messages;

    @Option(names = "--rate", paramLabel = "R|max",
        description = "Offered rate in messages per second, from 1 to 1000000000, or max (default: ${DEFAULT-VALUE}).",
        defaultValue = "max")
    private String rate;

    @Option(names = "--journal", paramLabel = "DIR", description = "Journal folder (default: the profile's, data/journal).")
    private Path journal;

    @Option(names = "--resume", description = "Append to the existing journal instead of starting a fresh one " +
        "(the previous run's journal is otherwise kept as DIR.previous, replacing an older copy unless that holds " +
        "unsettled messages or is a node's journal).")
    private boolean resume;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a profile setting; repeatable.")
    private Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--seed", description = "Workload random seed (default: ${DEFAULT-VALUE}).", defaultValue = "42")
    private long seed;

    @Option(names = "--warmup", paramLabel = "N", description = "Messages first run through a throwaway engine on a " +
        "temporary journal so that the measured run starts with compiled code; with a --rate other than max, the " +
        "last of them (at most half of N and half a second's worth) at that rate; >= 0 (default: " +
        "${DEFAULT-VALUE}; 0 for none).", defaultValue = "200000")
    private long warmup;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    private boolean json;

    @Mixin
    private RunObservability observability = new RunObservability();

    @Mixin
    private NodeOptions nodeOptions = new NodeOptions();

    @Override
    public Integer call() throws IOException
    {
        final double ratePerSec = Inputs.numberOrMax(spec, "--rate", rate, MIN_RATE, MAX_RATE, "messages per second");
        Inputs.inRange(spec, "--messages", messages, 1, Long.MAX_VALUE, "messages");
        Inputs.inRange(spec, "--warmup", warmup, 0, Long.MAX_VALUE, "messages");
        final String nodeIdSet = overrides.get(Settings.NODE_ID.name());
        if (null != nodeIdSet)
        {
            // a node id without the node's transport would stamp messages as a node's that no peer ever gets
            throw Inputs.refused(spec, "--set " + Settings.NODE_ID.name() + "=" + nodeIdSet + " is refused: run " +
                "takes the node id from --node ID (with --listen and --peer); allowed: --node");
        }
        final EngineConfiguration.Builder settings = Profiles.builder(profile, overrides);
        if (null != journal)
        {
            settings.journalDir(journal);
        }
        observability.check(spec);
        observability.configure(settings);
        final NodeConfiguration.Builder nodeSettings = nodeOptions.configure(spec, settings);
        // before the previous journal is moved aside: bad settings or paths change nothing
        final EngineConfiguration context = settings.build();
        requireWorkloadFits(context, null != nodeSettings);
        final NodeConfiguration nodeConfiguration = null == nodeSettings ? null : nodeSettings.build(context);
        checkJournal(context.journalDir());
        // what the engine's start would say (exit 1), before the old journal is set aside or a folder created
        DiskSpaceWatch.requireRoomToStart(context);
        if (0 != context.metricsPort())
        {
            // the engine checks it too, but only after run has set the previous journal aside
            EngineMetrics.requireServable(context.metricsHost(), context.metricsPort());
        }
        // the node id is held from here on: a second process started at the same moment is refused before either
        // touches its journal
        try (NodeReservation reservation = null == nodeConfiguration ? null :
            nodeOptions.reserve(spec, nodeConfiguration))
        {
            return run(context, reservation, ratePerSec);
        }
    }

    private int run(final EngineConfiguration context, final NodeReservation reservation, final double ratePerSec)
        throws IOException
    {
        Engine.plan(context);
        final Path journalDir = context.journalDir();
        if (null != reservation)
        {
            // resumed, it would ship that node's messages as its own; without --resume it would set that node's
            // journal aside, where its own process no longer finds it
            try
            {
                Node.requireOwnJournal(context.nodeId(), journalDir);
            }
            catch (final JournalOfAnotherNodeException ex)
            {
                throw Inputs.refused(spec, "--node " + context.nodeId() + ": " + ex.getMessage());
            }
        }
        final String owner = resume && null == reservation ? Node.journalOwner(journalDir) : null;
        if (null != owner)
        {
            // it would append messages without a node's identity to a journal whose own messages its peers hold
            throw Inputs.refused(spec, "--resume: " + journalDir + " is node " + owner + "'s journal (" +
                Node.IDENTITY_FILE + "); allowed: run --node " + owner + " --resume with its --listen and --peer, " +
                "or another --journal");
        }
        // before the warm-up: refuse at once, not in a minute (what the engine's start sets aside passes)
        final long holder = JournalLock.holder(journalDir);
        if (0 != holder)
        {
            throw new JournalInUseException(journalDir, holder);
        }
        if (resume)
        {
            JournalFileCheck.requireStartable(journalDir);
            // the run's report reads every record: a corrupt one refuses the resume now, before anything is written,
            // not after the run (recovery itself reads only what is unsettled)
            JournalFiles.countRecords(journalDir);
            if (JournalFiles.rollFiles(journalDir).isEmpty())
            {
                // not refused: a node killed before its first record is resumed on the folder it had made, or none
                spec.commandLine().getErr().println("run: --resume found no journal in " + journalDir +
                    "; a new one is started (message ids from 1)");
            }
        }
        // before the journal is set aside: a run killed in its warm-up leaves the journal where it was
        warmUp(context, ratePerSec);
        final JournalSetAside setAside = resume ? null : JournalSetAside.of(journalDir);
        final String previous = null == setAside ? null : setAside.previous().toString();

        final PrintWriter err = spec.commandLine().getErr();
        final Progress progress = new Progress(err, messages);
        final EngineStats stats;
        final long publisherPauses;
        final long subscriberChecksum;
        final long startNanos;
        final long endNanos;
        final Map<String, Object> threads;
        final long recovered;
        final TradingSubscribers subscribers = new TradingSubscribers(TradingWorkload.INSTRUMENTS)
            .onNode(context.nodeId());
        final TradingWorkload workload;
        String peersNotDone = null;
        String engineFailed = null;
        long ownPublished = 0;
        boolean nodeStopped = false;
        String nodeStoppedBecause = null;
        MultiCollector nodeMetrics = null;
        boolean lostForGood = false;
        List<PeerStatus> peers = List.of();
        Map<String, Long> lossRepair = Map.of();
        final Engine started;
        try
        {
            started = Engine.start(context, starting ->
            {
                subscribers.subscribeTo(starting);
                if (null != reservation)
                {
                    Node.restoreOriginFloors(starting);
                }
            });
        }
        catch (final RuntimeException | Error ex)
        {
            if (null != setAside)
            {
                setAside.undo(ex);
            }
            throw ex;
        }
        if (null != setAside)
        {
            setAside.commit();
        }
        try (Engine engine = started; subscribers)
        {
            recovered = engine.recoveredMessages();
            threads = RunReport.threads(engine, engine.pinPublisherThread());
            observability.started(engine, err);
            workload = workloadOn(engine, seed, subscribers);
            if (warmup > 0)
            {
                // the warm-up engine's garbage (its ring, pools, queues) is collected now, and the old generation
                // grows to hold what the measured engine allocated to start, not in the measured first second; before
                // a node starts, whose peers would otherwise meet this node's first pause (tens of milliseconds)
                System.gc();
            }
            try (Node node = null == reservation ? null : nodeOptions.start(spec, reservation, engine, previous);
                 PauseWatchdog watchdog = null == node ? null : PauseWatchdog.start(engine, node,
                     nodeOptions.peerWait()))
            {
                startNanos = System.nanoTime();
                final long lastId;
                try
                {
                    // a node that stopped (a peer refused it, its driver closed), or publishers paused for a peer
                    // longer than --peer-wait-ms, end the run now, not at --messages
                    lastId = workload.publish(messages, ratePerSec, done ->
                    {
                        progress.update(done);
                        return null == node || null == node.failure() && null == watchdog.gaveUp();
                    }, null == node ? () -> true : () -> awaitUnpaused(engine, watchdog));
                }
                catch (final RuntimeException ex)
                {
                    progress.abandon();
                    throw ex;
                }
                progress.finish(); // before close() logs the monitor's last findings on stderr
                if (null != node)
                {
                    if (null != watchdog.gaveUp())
                    {
                        peersNotDone = watchdog.gaveUp(); // the watchdog closed the node: nothing more to wait for
                    }
                    else
                    {
                        node.endOfStream(lastId);
                        peersNotDone = node.awaitPeersDone(nodeOptions.peerWait());
                        nodeStopped = null != node.failure() || null != engine.failure();
                        lostForGood = node.lostForGood();
                        lossRepair = node.lossRepair();
                    }
                    ownPublished = engine.publishedOwn();
                    peers = node.peers();
                    nodeStoppedBecause = node.stoppedBecause();
                    nodeMetrics = node.metricsAsTheyAre();
                }
            }
            engine.close();
            endNanos = System.nanoTime();
            engineFailed = failureLine(engine);
            stats = engine.stats();
            publisherPauses = engine.pauseEvents() + publishesPausedBeforeTheCall;
            observability.finished(engine, nodeMetrics);
            subscriberChecksum = subscribers.checksum();
        }

        final long unsettled = SettledState.read(journalDir, 0)
            .countUnsettled(journalDir, EngineLimits.MAX_DEPENDENCIES, EngineLimits.MAX_PAYLOAD);
        final RunReport report = new RunReport(stats, ratePerSec, endNanos - startNanos, journalDir,
            JournalFiles.bytesOnDisk(journalDir), JournalFiles.rollFiles(journalDir).size(),
            JournalFiles.countRecords(journalDir), previous, subscriberChecksum, threads, context);
        report.settlement(recovered, unsettled);
        if (null != reservation)
        {
            report.node(context.nodeId(), ownPublished, workload.crossNodeDependencies(), peers, lossRepair);
            if (null != nodeStoppedBecause)
            {
                // its peer rows are as they were when it stopped
                report.put("node_stopped", nodeStoppedBecause);
            }
            // publishes that waited while a lagging peer paused them (peer.lag-policy=block): not backpressure
            report.put("publisher_pauses", publisherPauses);
        }
        observability.addTo(report);
        final PrintWriter out = spec.commandLine().getOut();
        out.println(json ? report.toJson() : report.toTable());
        if (!json)
        {
            observability.printTable(out);
        }
        out.flush();
        final int exit = verdict(stats, unsettled, engineFailed, peersNotDone, nodeStopped, lostForGood,
            context.nodeId());
        try
        {
            observability.writeMetrics();
        }
        catch (final OutputNotWrittenException ex)
        {
            return ex.after(exit, spec.commandLine().getErr()); // the run's own failure, said above, comes first
        }
        return exit;
    }

    /** Says why the run failed, if it did, and returns its exit code. */
    private int verdict(final EngineStats stats, final long unsettled, final String engineFailed,
        final String peersNotDone, final boolean nodeStopped, final boolean lostForGood, final int nodeId)
    {
        // a message dropped by a policy (expired, a dependency dead-lettered) is journaled as a dead letter and
        // accounted for; the run fails only when a message, recovered ones included, is neither delivered nor
        // dead-lettered for every subscriber (settled)
        final boolean accountedFor = stats.published() == stats.delivered() + stats.dropped() &&
            stats.dropped() <= stats.temporal().deadLettersTotal() && 0 == unsettled;
        if (null != engineFailed)
        {
            // the journal filled or failed after every publish was taken (none of them threw): said as a publish would
            spec.commandLine().getErr().println("chronofabric: " + engineFailed);
            return Main.EXIT_FAILURE;
        }
        if (null != peersNotDone)
        {
            // the wait ends early when the node or its engine stopped: the line then says why, not the wait
            spec.commandLine().getErr().println("run: " + (nodeStopped ? "" : "node " + nodeId +
                (lostForGood ? " cannot complete: " : " gave up after --peer-wait-ms " +
                nodeOptions.peerWait().toMillis() + ": ")) + peersNotDone);
            return Main.EXIT_FAILURE;
        }
        return accountedFor ? 0 : Main.EXIT_FAILURE;
    }

    /**
     * Waits, outside any publish, while a lagging peer pauses the node's publishers: when the watchdog gives up, the
     * run stops before another message, where a publish waiting inside would be let go by the node's close and
     * publish after the run said how far behind the peer was.
     *
     * @return false when the run gave up.
     */
    private boolean awaitUnpaused(final Engine engine, final PauseWatchdog watchdog)
    {
        if (engine.publishersPaused())
        {
            publishesPausedBeforeTheCall++; // the pause the engine counts for a publish that waits inside
            while (engine.publishersPaused() && null == watchdog.gaveUp())
            {
                LockSupport.parkNanos(PAUSED_POLL_NANOS);
            }
        }
        return null == watchdog.gaveUp();
    }

    /** Settings valid for an engine can still be too small for the trading workload: refused before anything runs. */
    private void requireWorkloadFits(final EngineConfiguration context, final boolean onANode)
    {
        final int dependencies = onANode ? TradingMessages.DEPENDENCIES_NEEDED_ON_A_NODE :
            TradingMessages.DEPENDENCIES_NEEDED;
        requireAtLeast(Settings.TYPES_MAX.name(), context.maxMessageTypes(), TradingMessages.TYPES_NEEDED,
            "its message types are 1 to " + TradingMessages.ORDER);
        requireAtLeast(Settings.PAYLOAD_CAPACITY.name(), context.payloadCapacity(), TradingMessages.PAYLOAD_NEEDED,
            "its largest payload, a tick, takes " + TradingMessages.PAYLOAD_NEEDED + " bytes");
        requireAtLeast(Settings.DEPENDENCIES_MAX.name(), context.maxDependencies(), dependencies, onANode ?
            "on a node a signal depends on its tick and on a peer's" : "a signal depends on its tick, an order on " +
            "its signal");
    }

    private void requireAtLeast(final String key, final int value, final int needed, final String why)
    {
        if (value < needed)
        {
            throw Inputs.refused(spec, key + "=" + value + " is too small for run's trading workload (" + why +
                "); allowed: " + needed + " or more");
        }
    }

    /** @return the one line a publish would now fail with, or null when the engine has not failed. */
    private static String failureLine(final Engine engine)
    {
        try
        {
            engine.throwIfFailed();
            return null;
        }
        catch (final io.chronofabric.engine.api.EngineFailedException failed)
        {
            return failed.getMessage();
        }
    }

    /**
     * The JIT compiles the publish path, the stages and Chronicle's appender during the first hundred thousand
     * messages; measured, that shows as a stall of tens of milliseconds at the start. The warm-up engine has the same
     * settings but its own temporary journal, deleted afterwards, so the real journal holds only the measured run;
     * it serves no metrics, and neither monitors nor traces. A paced run's warm-up ends with up to half a second at
     * the measured rate: a pipeline thread that waits between messages, and a publisher that parks, take branches a
     * full-speed warm-up never takes, and the JIT's code for them would otherwise be thrown away and compiled again
     * in the measured first second (measured: stalls of 20 to 60 ms there, the pipeline's loop back in the
     * interpreter). The workloads are built at one place ({@link #workloadOn}) for the same reason: the same lambda
     * classes in both runs.
     */
    private void warmUp(final EngineConfiguration measured, final double ratePerSec) throws IOException
    {
        if (warmup <= 0)
        {
            return;
        }
        final Path warmupJournal = ScratchFolders.create("chronofabric-warmup");
        try
        {
            final EngineConfiguration warmUp = RunObservability.quietForWarmUp(measured.toBuilder())
                .journalDir(warmupJournal).build();
            try (Engine engine = Engine.start(warmUp);
                 TradingSubscribers subscribers = new TradingSubscribers(engine, TradingWorkload.INSTRUMENTS))
            {
                final TradingWorkload workload = workloadOn(engine, seed + 1, subscribers);
                final long paced = pacedWarmUp(warmup, ratePerSec);
                workload.publish(warmup - paced, 0, done -> true);
                // the measured run's monitor reads the latency recorders every second, which flips their phase: a
                // read here lets the pipeline record in both phases before its code is compiled for good
                engine.stats();
                if (paced > 0)
                {
                    workload.publish(paced, ratePerSec, done -> true);
                }
            }
        }
        finally
        {
            ScratchFolders.delete(warmupJournal);
        }
    }

    /**
     * @param warmup     the warm-up's messages.
     * @param ratePerSec the measured run's offered rate, 0 for as fast as possible.
     * @return how many of the warm-up's messages go last at that rate: at most half of them and half a second's
     *         worth, none for a run at full speed.
     */
    static long pacedWarmUp(final long warmup, final double ratePerSec)
    {
        return ratePerSec > 0 ? Math.min(warmup / 2, (long)(ratePerSec * PACED_WARMUP_SECONDS)) : 0;
    }

    private static TradingWorkload workloadOn(final Engine engine, final long seed,
        final TradingSubscribers subscribers)
    {
        return new TradingWorkload(engine::newPublisher, seed, subscribers::latestRemoteTick);
    }

    /**
     * The journal folder is written (and, unless resumed, an existing one is renamed to DIR.previous, replacing an
     * older one): checked before anything is moved or started, so that a read-only folder is a usage error, not a
     * failure halfway through.
     */
    private void checkJournal(final Path journalDir)
    {
        final String subject = (null != journal ? "--journal " : "journal.dir ") + journalDir;
        Inputs.writableFolder(spec, subject, journalDir);
        if (resume || JournalFiles.rollFiles(journalDir).isEmpty())
        {
            return;
        }
        final Path previous = JournalSetAside.previousOf(journalDir);
        final Path parent = journalDir.toAbsolutePath().getParent();
        if (!Files.isWritable(parent))
        {
            throw Inputs.refused(spec, subject + " cannot be set aside as " + previous.getFileName() + ": folder " +
                parent + " is not writable; allowed: --resume, or a journal folder in a folder this user can write");
        }
        if (Files.exists(previous))
        {
            Inputs.writableFolder(spec, subject + " (its older copy " + previous + ", replaced by this run)",
                previous);
            refuseReplacingNodeJournal(subject, previous);
            refuseReplacingUnsettled(subject, previous);
        }
    }

    /**
     * Replacing the older copy deletes it: never a node's journal, whose messages its peers may still lack (only the
     * running node knows what they hold). A node restarted without --resume has its journal set aside, its peers
     * refuse the fresh one, and a second such run would otherwise delete the only copy of its messages.
     */
    private void refuseReplacingNodeJournal(final String subject, final Path previous)
    {
        if (Files.exists(previous.resolve(Node.IDENTITY_FILE)))
        {
            throw Inputs.refused(spec, subject + " cannot be set aside: its older copy " + previous + " is a node's " +
                "journal (" + Node.IDENTITY_FILE + "), whose messages its peers may still lack, and this run would " +
                "delete it; allowed: run " + nodeOption(previous) + "--resume --journal " + previous +
                " (a node id keeps its journal), or move " +
                "it away (delete it once every peer has journaled its messages)");
        }
    }

    /** @return "--node N " for a node's journal that names its node, else nothing. */
    private static String nodeOption(final Path journalDir)
    {
        final String owner = Node.journalOwner(journalDir);
        return null == owner ? "" : "--node " + owner + " ";
    }

    /** Replacing the older copy deletes it: never while it holds messages acknowledged and not yet delivered. */
    private void refuseReplacingUnsettled(final String subject, final Path previous)
    {
        if (JournalFiles.rollFiles(previous).isEmpty())
        {
            return;
        }
        final String allowed = "; allowed: run --resume --journal " + previous + " to deliver them, or move it away";
        long unsettled;
        try
        {
            unsettled = SettledState.read(previous, 0)
                .countUnsettled(previous, EngineLimits.MAX_DEPENDENCIES, EngineLimits.MAX_PAYLOAD);
        }
        catch (final RuntimeException | InternalError ex)
        {
            throw Inputs.refused(spec, subject + " cannot be set aside: its older copy " + previous + ", which this " +
                "run would delete, cannot be checked for unsettled messages (" + ex.getMessage() + ")" + allowed);
        }
        if (unsettled > 0)
        {
            throw Inputs.refused(spec, subject + " cannot be set aside: its older copy " + previous + " holds " +
                unsettled + " unsettled messages (journaled, not delivered), which this run would delete" + allowed);
        }
    }
}
