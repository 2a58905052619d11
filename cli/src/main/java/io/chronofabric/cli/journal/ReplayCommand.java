package io.chronofabric.cli.journal;

import io.chronofabric.journal.TraceReader;
import io.chronofabric.engine.config.Settings;
import io.chronofabric.cli.common.ExitCodes;
import io.chronofabric.cli.common.ScratchFolders;
import io.chronofabric.engine.internal.Engine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.chronofabric.cli.common.Inputs;
import io.chronofabric.cli.workload.TradingSubscribers;
import io.chronofabric.cli.workload.TradingWorkload;
import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.api.EngineStats;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronofabric journal replay DIR}: feeds journaled messages through a fresh engine (sequencer, router,
 * delivery) with the workload's subscribers and checks that the delivery order is the original one.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = {"Feed the journaled messages, unchanged (same ids, HLC, deadlines), through a fresh engine "
        + "(sequencer -> router -> delivery) with the same subscribers as run, on a temporary journal folder deleted "
        + "afterwards, and report whether the delivery order equals the original one (the journal's latency trace) "
        + "and the subscribers' checksum (equal to run's subscriber_checksum for a whole journal).",
        "A corrupt record is never replayed: the replay stops before it and reports its index.",
        "A journal written with the latency trace off has no original order to compare with: the messages are "
            + "replayed and counted, and the verdict says ORDER NOT COMPARED (exit 0).",
        "The dead letters of the replayed messages are compared with the original's (per message, subscriber and "
            + "reason): decisions that depend on when delivery happened (a deadline under deadline.policy=expire, a "
            + "retry's or a hold's timeout) need not repeat, and then the verdict says DIFFERENT OUTCOMES.",
        "Exit codes: 0 same order and dead letters (or order not compared: no trace), 1 the order or the dead letters "
            + "differ or a corrupt record was met, 2 bad arguments."})
public final class ReplayCommand extends JournalSubcommand
{
    /** The slowest replay: a thousand times slower than the original; slower ones would look hung. */
    static final double MIN_SPEED = 0.001;
    /** The fastest paced replay; beyond it the gaps are below the clock's resolution, so use max. */
    static final double MAX_SPEED = 1_000_000;

    @Parameters(index = "0", paramLabel = "DIR", description = "The journal folder.")
    private Path dir;

    @Option(names = "--from", paramLabel = "INDEX[+K]", converter = RecordPosition.From.class,
        description = "First record to replay: a queue index, hex (0x...) or decimal, as dump prints it; +K for the "
            + "K-th record after the first of that index's document.")
    private RecordPosition from;

    @Option(names = "--until", paramLabel = "INDEX[+K]|TIME", description = "Last message to replay (inclusive): a "
        + "record position as for --from (an index alone: every record of its document) or an ISO-8601 instant "
        + "compared with the HLC time.")
    private String until;

    @Option(names = "--speed", paramLabel = "x|max", defaultValue = "max", description = "max (as fast as the engine "
        + "takes them, the default) or a factor from 0.001 to 1000000: 1 keeps the original HLC time gaps, 2.5 "
        + "replays 2.5 times faster.")
    private String speed;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "dev",
        description = "Profile of the replay engine (default: ${DEFAULT-VALUE}).")
    private String profile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a setting of the replay engine, e.g. "
        + "payload.capacity for a journal written with a larger one; repeatable.")
    private Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--json", description = "Print one JSON object.")
    private boolean json;

    private final Problems problems = new Problems();
    private final IdSet replayed = new IdSet();
    private long fed;
    private long firstIndex = -1;
    private long firstId;
    private long lastIndex = -1;
    /** Records skipped to start at a whole batch after a pruned cut (see {@link #wholeBatchAfterPrunedCut}); -1: none. */
    private long skippedToWholeBatch = -1;

    @Override
    protected Integer run() throws IOException
    {
        JournalFolder.require(spec(), dir);
        final double factor = Inputs.numberOrMax(spec(), "--speed", speed, MIN_SPEED, MAX_SPEED, "a factor");
        final RecordPosition untilIndex = null != until && IndexConverter.looksLikeIndex(until) ?
            RecordPosition.parse(until, RecordPosition.WHOLE_DOCUMENT) : null;
        final long untilTime = null != until && null == untilIndex ? parseTime(until) : Long.MAX_VALUE;
        if (null == from)
        {
            from = wholeBatchAfterPrunedCut();
        }
        final long idBeforeFrom = checkSelection(untilIndex, untilTime);
        // the replay's own trace is the replayed order: on whatever the overrides say
        final EngineConfiguration.Builder settings = Profiles.builder(profile, overrides)
            .assumeDeliveredUpTo(idBeforeFrom).latencyTraceEnabled(true);
        final boolean traced = TraceReader.exists(dir);
        final Path replayDir = ScratchFolders.create("chronofabric-replay");
        try
        {
            final EngineConfiguration configuration = settings.journalDir(replayDir).build();
            final Map<String, Object> report = replay(configuration, factor, untilIndex, untilTime);
            final DeliveryOrder order = DeliveryOrder.compare(dir, replayDir, replayed, problems);
            report.put("delivery_order", order.result());
            final boolean same = !traced ? (Long)report.get("delivered") == fed :
                order.identical() && (Long)report.get("delivered") == fed;
            final DeadLetterOutcomes originalDead = DeadLetterOutcomes.of(dir, replayed, problems);
            final DeadLetterOutcomes replayDead = DeadLetterOutcomes.of(replayDir, replayed, problems);
            final boolean sameOutcomes = originalDead.sameAs(replayDead);
            final Map<String, Object> deadLetters = new LinkedHashMap<>();
            deadLetters.put("original", originalDead.byReason());
            deadLetters.put("replay", replayDead.byReason());
            deadLetters.put("same", sameOutcomes);
            report.put("dead_letters", deadLetters);
            if (!traced)
            {
                order.result().put("identical", null);
                order.result().put("not_compared", "the journal has no latency trace (written with " +
                    Settings.LATENCY_TRACE.name() + "=false): no original order to compare with");
            }
            report.put("verdict", !problems.isEmpty() ? "CORRUPT" : !same ? "DIFFERENT ORDER" :
                !sameOutcomes ? "DIFFERENT OUTCOMES" : traced ? "SAME ORDER" : "ORDER NOT COMPARED");
            report.put("problems", problems.json());
            print(report);
            return same && sameOutcomes && problems.isEmpty() ? 0 : ExitCodes.FAILURE;
        }
        finally
        {
            ScratchFolders.delete(replayDir);
        }
    }

    /**
     * Reads the first record to replay before any engine starts: {@code --from} must name a record, and
     * {@code --until} must not end the replay before it, which would compare nothing and report the same order.
     * A replay from the middle of a journal starts after messages that were delivered in the original run: the
     * replay engine treats dependencies on them as delivered, as the original sequencer did.
     *
     * @return the id before the first replayed record: 0 when replaying an unpruned journal from the start.
     */
    private long checkSelection(final RecordPosition untilIndex, final long untilTime)
    {
        try (RecordScan scan = new RecordScan(dir))
        {
            if (null != from && !scan.moveTo(from))
            {
                throw Inputs.refused(spec(), "--from " + from.both() + ": the journal holds no such index");
            }
            if (RecordScan.Step.RECORD != scan.next())
            {
                // a corrupt first record: the replay stops before it and reports it
                return 0;
            }
            final String first = null == from ? "the journal's first index " + Indexes.hex(scan.index()) :
                "--from " + Inputs.given(spec(), "--from");
            if (null != untilIndex && untilIndex.isBefore(scan.index(), scan.inDocument()))
            {
                throw Inputs.refused(spec(), first + " is after --until " + until + ": nothing to replay; allowed: " +
                    "--until at or after " + RecordPosition.text(scan.index(), scan.inDocument()));
            }
            if (scan.record().hlcWall() > untilTime)
            {
                throw Inputs.refused(spec(), "--until " + until + " is before the HLC time of " + first + " (" +
                    Instant.ofEpochSecond(0, scan.record().hlcWall()) + "): nothing to replay; allowed: " +
                    "a time at or after it");
            }
            // a pruned journal starts in the middle too: what was pruned had been delivered (only settled cycles go)
            return scan.record().id() - 1;
        }
    }

    /**
     * A pruned journal may start in the middle of a batch: its release windows (the batch cut every
     * {@code sequencer.window} records) would then be counted from the cut, not from the batch's start, and a replay
     * would release in other windows than the original. So a replay of a pruned journal starts at its first whole
     * batch, told by the batch parity flag changing; the records before it are skipped (they were delivered: only
     * settled cycles are pruned) and reported.
     *
     * @return the first record of the journal's second batch, or null when the journal is not pruned or is one batch.
     */
    private RecordPosition wholeBatchAfterPrunedCut()
    {
        final long journalFirstId = journalFirstId();
        if (journalFirstId <= 0 || !PrunedFacts.of(dir, journalFirstId).pruned())
        {
            return null;
        }
        try (RecordScan scan = new RecordScan(dir))
        {
            int firstParity = -1;
            long skipped = 0;
            for (RecordScan.Step step = scan.next(); RecordScan.Step.RECORD == step; step = scan.next())
            {
                final int parity = scan.record().flags() & RecordFlags.BATCH_PARITY;
                if (firstParity < 0)
                {
                    firstParity = parity;
                }
                else if (parity != firstParity)
                {
                    skippedToWholeBatch = skipped;
                    return new RecordPosition(scan.index(), scan.inDocument());
                }
                skipped++;
            }
        }
        return null;
    }

    /**
     * @return where the replay started, and why the messages before it were not replayed: skipped by {@code --from},
     *     or pruned by retention (which only the journal's own first id and the metadata's counts tell; the first id
     *     replayed after a {@code --from} says nothing about what was pruned).
     */
    private String startsAt()
    {
        if (null == from)
        {
            return PrunedFacts.of(dir, firstId).describe(firstId, Indexes.hex(firstIndex));
        }
        if (skippedToWholeBatch >= 0)
        {
            return PrunedFacts.of(dir, journalFirstId()).describe(firstId, Indexes.hex(firstIndex),
                skippedToWholeBatch, "skipped to start at the first whole batch after the pruned cut");
        }
        final long journalFirstId = journalFirstId();
        final PrunedFacts pruned = journalFirstId > 0 ? PrunedFacts.of(dir, journalFirstId) : PrunedFacts.recorded(dir);
        return pruned.describe(firstId, Indexes.hex(firstIndex), journalFirstId > 0 ? firstId - journalFirstId : -1);
    }

    /** @return the id of the journal's first record; -1 when it cannot be read. */
    private long journalFirstId()
    {
        try (RecordScan scan = new RecordScan(dir))
        {
            return RecordScan.Step.RECORD == scan.next() ? scan.record().id() : -1;
        }
    }

    private Map<String, Object> replay(final EngineConfiguration context, final double factor,
        final RecordPosition untilIndex, final long untilTime)
    {
        final Map<String, Object> report = new LinkedHashMap<>();
        final EngineStats stats;
        final long checksum;
        final long startNanos = System.nanoTime();
        try (RecordScan scan = new RecordScan(dir);
             ScanProgress progress = ScanProgress.start(spec().commandLine().getErr(), "replay",
                 QueueFacts.counted(dir).messages());
             Engine engine = Engine.start(context);
             TradingSubscribers subscribers = new TradingSubscribers(engine, TradingWorkload.INSTRUMENTS))
        {
            if (null != from && !scan.moveTo(from))
            {
                throw new CommandLine.ParameterException(spec().commandLine(), "--from " + from.both() +
                    ": the journal holds no such index");
            }
            final ReplayPacer pacer = new ReplayPacer(factor);
            RecordScan.Step step;
            for (step = scan.next(); RecordScan.Step.END != step; step = scan.next())
            {
                progress.step();
                if (null != untilIndex && untilIndex.isBefore(scan.index(), scan.inDocument()))
                {
                    break;
                }
                if (RecordScan.Step.RECORD != step)
                {
                    scan.report(step, problems);
                    problems.add("journal", scan.index(), "replay_stopped", "replay stopped before index " +
                        Indexes.hex(scan.index()) + ": nothing from there on was replayed");
                    break;
                }
                final MessageRecord record = scan.record();
                if (record.hlcWall() > untilTime)
                {
                    break;
                }
                checkFits(context, scan.index(), record);
                pacer.await(record.hlcWall());
                engine.replay(record);
                replayed.add(record.id());
                fed++;
                if (firstIndex < 0)
                {
                    firstIndex = scan.index();
                    firstId = record.id();
                }
                lastIndex = scan.index();
            }
            if (RecordScan.Step.END == step) // not stopped by --until or a corrupt record
            {
                scan.reportIfStoppedShort(problems);
            }
            engine.close();
            stats = engine.stats();
            checksum = subscribers.checksum();
            report.put("ticks", subscribers.ticks());
            report.put("signals", subscribers.signals());
            report.put("orders", subscribers.orders());
        }
        final double seconds = (System.nanoTime() - startNanos) / 1e9;
        final Map<String, Object> head = new LinkedHashMap<>();
        head.put("journal", dir.toAbsolutePath().toString());
        head.put("first_index", Indexes.json(firstIndex));
        head.put("last_index", Indexes.json(lastIndex));
        head.put("starts_at", firstIndex < 0 ? null : startsAt());
        head.put("speed", speed);
        head.put("replayed", fed);
        head.put("delivered", stats.delivered());
        head.put("handler_failures", stats.handlerFailures());
        head.put("duration_sec", seconds);
        head.put("subscriber_checksum", Long.toHexString(checksum));
        head.putAll(report);
        return head;
    }

    private void checkFits(final EngineConfiguration context, final long index, final MessageRecord record)
    {
        if (record.payloadLength() > context.payloadCapacity() || record.dependencyCount() > context.maxDependencies())
        {
            throw new CommandLine.ParameterException(spec().commandLine(), "the record at index " + Indexes.both(index) +
                " has a " + record.payloadLength() + "-byte payload and " + record.dependencyCount() +
                " dependencies, " +
                "over the replay engine's payload.capacity=" + context.payloadCapacity() + " or dependencies.max=" +
                context.maxDependencies() + "; raise them with --set");
        }
    }

    private long parseTime(final String text)
    {
        try
        {
            return TimeConverter.parse(text);
        }
        catch (final CommandLine.TypeConversionException ex)
        {
            throw new CommandLine.ParameterException(spec().commandLine(), "--until: " + ex.getMessage() +
                ", or a queue index (0x... or decimal)");
        }
    }

    private void print(final Map<String, Object> report)
    {
        final PrintWriter out = spec().commandLine().getOut();
        if (json)
        {
            out.println(Json.pretty(report));
        }
        else
        {
            out.println("replay of " + report.get("journal"));
            if (null != report.get("starts_at"))
            {
                out.println("starts at " + report.get("starts_at"));
            }
            out.println(String.format("replayed %,d message(s), index %s to %s, speed %s, in %.2f s", fed,
                firstIndex < 0 ? "-" : Indexes.hex(firstIndex), lastIndex < 0 ? "-" : Indexes.hex(lastIndex), speed,
                (Double)report.get("duration_sec")));
            out.println(String.format("delivered %,d (ticks %,d, signals %,d, orders %,d), handler failures %,d",
                (Long)report.get("delivered"), (Long)report.get("ticks"), (Long)report.get("signals"),
                (Long)report.get("orders"), (Long)report.get("handler_failures")));
            out.println("subscriber checksum " + report.get("subscriber_checksum"));
            @SuppressWarnings("unchecked")
            final Map<String, Object> order = (Map<String, Object>)report.get("delivery_order");
            out.println(null != order.get("not_compared") ? "delivery order: not compared: " +
                order.get("not_compared") : String.format("delivery order: %,d message(s) compared with the " +
                "original trace (%,d traced): %s", (Long)order.get("compared"), (Long)order.get("original_traced"),
                Boolean.TRUE.equals(order.get("identical")) ? "identical"
                    : "DIFFERENT, " + order.get("first_difference")));
            @SuppressWarnings("unchecked")
            final Map<String, Object> dead = (Map<String, Object>)report.get("dead_letters");
            out.println("dead letters: original " + dead.get("original") + ", replay " + dead.get("replay") + ": " +
                (Boolean.TRUE.equals(dead.get("same")) ? "the same" : "DIFFERENT (a deadline under expire, a retry's " +
                "or a hold's timeout depends on when delivery happened, which a replay does not reproduce)"));
            problems.print(out, "  ");
            out.println("verdict: " + report.get("verdict"));
        }
        out.flush();
    }
}
