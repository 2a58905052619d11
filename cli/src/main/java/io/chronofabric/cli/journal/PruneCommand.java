package io.chronofabric.cli.journal;

import io.chronofabric.cli.common.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.chronofabric.cli.common.Inputs;
import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.JournalInUseException;
import io.chronofabric.journal.JournalLock;
import io.chronofabric.journal.JournalQueues;
import io.chronofabric.journal.SettledState;
import io.chronofabric.journal.SettlementLayout;
import io.chronofabric.journal.TraceLayout;
import io.chronofabric.journal.retention.CycleVerdict;
import io.chronofabric.journal.retention.JournalRetention;
import io.chronofabric.journal.retention.RetentionPlan;
import io.chronofabric.journal.retention.RetentionPolicy;
import net.openhft.chronicle.queue.ChronicleQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronofabric journal prune DIR}: retention by hand, with the engine's rules: whole roll cycles, oldest
 * first, only those whose every message is settled, the trace's and dead letters' cycles with them.
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
    description = {"Delete the oldest roll cycles of a journal that a limit wants gone (--keep-cycles, --max-age, "
        + "--max-bytes; any that are given) and whose every message is settled (delivered or dead-lettered for every "
        + "subscriber, as the settlement log says); the trace's and dead letters' cycles before the journal's first "
        + "remaining one go with them. The newest cycle is never deleted. Prints each cycle's verdict and why.",
        "Refuses a journal a running engine holds (its journal.retention.* settings prune it while it runs).",
        "Exit codes: 0 done, 1 a limit could not be met because a cycle holds an unsettled message (what was "
            + "settled is still deleted), or the journal is in use; 2 bad arguments."})
public final class PruneCommand extends JournalSubcommand
{
    /**
     * Settlement documents recovery may still read: the engine's largest {@code dependencies.window}, since the tool
     * does not know the one the journal was written with (the log is small; keeping more is safe).
     */
    private static final long SETTLEMENT_LOOKBACK = 1L << 26;
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b?)");

    @Parameters(index = "0", paramLabel = "DIR", description = "The journal folder.")
    private Path dir;

    @Option(names = "--keep-cycles", paramLabel = "N", description = "Keep the newest N cycles (N >= 1).")
    private Integer keepCycles;

    @Option(names = "--max-age", paramLabel = "DURATION", description = "Delete cycles that ended longer ago than "
        + "this: 500ms, 30s, 15m, 6h, 7d, or ISO-8601 (PT6H).")
    private String maxAge;

    @Option(names = "--max-bytes", paramLabel = "SIZE", description = "Delete the oldest cycles while the journal's "
        + "roll files take more disk than this: bytes, or with a unit (10K, 512M, 2G, 1T; powers of 1024).")
    private String maxBytes;

    @Option(names = "--dry-run", description = "Print what would be deleted, delete nothing.")
    private boolean dryRun;

    @Option(names = "--ignore-peers", description = "Prune a node's journal although its peers may still lack some of "
        + "its messages, which only the running node knows (it keeps them until every peer has journaled them).")
    private boolean ignorePeers;

    @Option(names = "--json", description = "Print one JSON object.")
    private boolean json;

    @Override
    protected Integer run()
    {
        JournalFolder.require(spec(), dir);
        final RetentionPolicy policy = policy();
        if (!ignorePeers)
        {
            // a dry run says what the prune would do: refused too
            NodeJournals.refuseDeleting(spec(), dir, "journal prune");
        }
        if (dryRun)
        {
            // read-only, so no lock (nor a lock file written into a journal it only reads); but a plan of a journal
            // an engine is appending to and pruning itself would be stale, as for rolls --remove-before --dry-run
            final long holder = JournalLock.holder(dir);
            if (0 != holder)
            {
                throw new JournalInUseException(dir, holder);
            }
            return prune(policy);
        }
        // held until the files are gone: an engine that started after a mere check would write into what is deleted
        try (JournalLock held = JournalLock.acquire(dir))
        {
            return prune(policy);
        }
    }

    /**
     * A dry run reads; a prune opens for writing (Chronicle's listing and the pruned-messages count change).
     *
     * @return the queue, or null for a dry run's absent queue folder.
     */
    private ChronicleQueue open(final Path queueDir, final String rollCycle)
    {
        if (dryRun)
        {
            return Files.isDirectory(queueDir) ? JournalQueues.openForRead(queueDir) : null;
        }
        return JournalQueues.openForMaintenance(queueDir, rollCycle);
    }

    private int prune(final RetentionPolicy policy)
    {
        final QueueFacts facts = QueueFacts.of(dir);
        if (!dryRun)
        {
            // a deletion a kill cut short is finished first: its cycles are counted as deleted already
            JournalRetention.finishDeletion(dir, facts.rollCycleName());
        }
        final long watermark = SettledState.read(dir, 0).watermark();
        final List<ChronicleQueue> followers = new ArrayList<>();
        try (ChronicleQueue journal = open(dir, facts.rollCycleName());
             ChronicleQueue settlements = open(SettlementLayout.settlementDir(dir), facts.rollCycleName()))
        {
            for (final Path follower : List.of(TraceLayout.traceDir(dir), dir.resolve(DeadLetterJournal.FOLDER)))
            {
                if (Files.isDirectory(follower))
                {
                    followers.add(open(follower, facts.rollCycleName()));
                }
            }
            final RetentionPlan plan = JournalRetention.plan(journal, policy, watermark, System.currentTimeMillis());
            final List<Path> files = new ArrayList<>();
            plan.deletions().forEach(verdict -> files.add(verdict.file()));
            if (dryRun)
            {
                followers.forEach(follower -> files.addAll(JournalRetention.followerFiles(follower,
                    plan.firstKeptCycle())));
                if (null != settlements)
                {
                    files.addAll(JournalRetention.settlementFiles(settlements, plan.firstKeptCycle(),
                        watermark - SETTLEMENT_LOOKBACK));
                }
            }
            else
            {
                files.clear();
                files.addAll(JournalRetention.apply(plan, journal, followers, settlements,
                    watermark - SETTLEMENT_LOOKBACK).files());
            }
            print(policy, plan, files);
            return null == plan.blocked() ? 0 : ExitCodes.FAILURE;
        }
        finally
        {
            followers.forEach(ChronicleQueue::close);
        }
    }

    private RetentionPolicy policy()
    {
        if (null == keepCycles && null == maxAge && null == maxBytes)
        {
            throw Inputs.refused(spec(), "give at least one of --keep-cycles, --max-age, --max-bytes");
        }
        final long cycles = null == keepCycles ? 0 : Inputs.inRange(spec(), "--keep-cycles", keepCycles, 1,
            Integer.MAX_VALUE, "cycles");
        return new RetentionPolicy(null == maxAge ? 0 : millis(maxAge), null == maxBytes ? 0 : bytes(maxBytes),
            (int)cycles);
    }

    private long millis(final String text)
    {
        final String value = text.trim().toLowerCase(Locale.ROOT);
        final Matcher matcher = DURATION.matcher(value);
        long millis = -1;
        try
        {
            if (matcher.matches())
            {
                final long amount = Long.parseLong(matcher.group(1));
                millis = switch (matcher.group(2))
                {
                    case "ms" -> amount;
                    case "s" -> Math.multiplyExact(amount, 1_000L);
                    case "m" -> Math.multiplyExact(amount, 60_000L);
                    case "h" -> Math.multiplyExact(amount, 3_600_000L);
                    default -> Math.multiplyExact(amount, 86_400_000L);
                };
            }
            else if (value.startsWith("p"))
            {
                millis = Duration.parse(text.trim()).toMillis();
            }
        }
        catch (final ArithmeticException | NumberFormatException | DateTimeParseException ex)
        {
            millis = -1;
        }
        if (millis <= 0)
        {
            throw Inputs.invalid(spec(), "--max-age", text, "a duration > 0: 500ms, 30s, 15m, 6h, 7d or ISO-8601 " +
                "(PT6H)");
        }
        return millis;
    }

    private long bytes(final String text)
    {
        final Matcher matcher = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        long bytes = -1;
        try
        {
            if (matcher.matches() && (matcher.group(3).isEmpty() || !matcher.group(2).isEmpty() ||
                "b".equals(matcher.group(3))))
            {
                final int shift = "kmgt".indexOf(matcher.group(2).isEmpty() ? 'x' : matcher.group(2).charAt(0)) + 1;
                bytes = Math.multiplyExact(Long.parseLong(matcher.group(1)), 1L << (10 * shift));
            }
        }
        catch (final ArithmeticException | NumberFormatException ex)
        {
            bytes = -1;
        }
        if (bytes <= 0)
        {
            throw Inputs.invalid(spec(), "--max-bytes", text, "a size > 0: bytes, or 10K, 512M, 2G, 1T (powers of " +
                "1024)");
        }
        return bytes;
    }

    private void print(final RetentionPolicy policy, final RetentionPlan plan, final List<Path> files)
    {
        final PrintWriter out = spec().commandLine().getOut();
        if (json)
        {
            final Map<String, Object> report = new LinkedHashMap<>();
            report.put("journal", dir.toAbsolutePath().toString());
            report.put("policy", policy.toString());
            report.put("settled_watermark", plan.watermark());
            report.put("dry_run", dryRun);
            final List<Map<String, Object>> cycles = new ArrayList<>();
            for (final CycleVerdict verdict : plan.verdicts())
            {
                final Map<String, Object> cycle = new LinkedHashMap<>();
                cycle.put("cycle", verdict.cycle());
                cycle.put("file", verdict.file().getFileName().toString());
                cycle.put("bytes", verdict.bytes());
                cycle.put("messages", verdict.messages());
                cycle.put("last_id", verdict.lastId() < 0 ? null : verdict.lastId());
                cycle.put("delete", verdict.delete());
                cycle.put("reason", verdict.reason());
                cycles.add(cycle);
            }
            report.put("cycles", cycles);
            report.put(dryRun ? "would_delete" : "deleted", files.stream().map(Path::toString).toList());
            report.put("first_remaining_cycle", plan.firstKeptCycle() == Integer.MAX_VALUE ? null : plan.firstKeptCycle());
            report.put("blocked", plan.blockedReason());
            out.println(Json.pretty(report));
        }
        else
        {
            out.println("journal " + dir.toAbsolutePath() + ", " + policy + ", settled watermark " + plan.watermark());
            for (final CycleVerdict verdict : plan.verdicts())
            {
                out.println(String.format("  %-22s cycle %d, %s messages, %,d bytes: %s%s",
                    verdict.file().getFileName(), verdict.cycle(),
                    verdict.messages() < 0 ? "uncounted" : String.format("%,d", verdict.messages()), verdict.bytes(),
                    verdict.delete() ? (dryRun ? "would delete: " : "deleted: ") : "", verdict.reason()));
            }
            out.println((dryRun ? "would delete " : "deleted ") + files.size() + " roll file(s) (journal, trace and " +
                "dead letters)" + (files.isEmpty() ? "" : ":"));
            files.forEach(file -> out.println("  " + file));
        }
        out.flush();
        if (null != plan.blocked())
        {
            final PrintWriter err = spec().commandLine().getErr();
            err.println("chronofabric: " + plan.blockedReason());
            err.flush();
        }
    }
}
