package io.chronofabric.cli.journal;

import io.chronofabric.cli.common.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.chronofabric.engine.config.Settings;
import io.chronofabric.journal.JournalLock;
import io.chronofabric.journal.TraceLayout;
import io.chronofabric.journal.TraceReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronofabric journal verify DIR}: checks that every file of the journal folder's queues is a readable
 * Chronicle Queue file, reads every record, trace entry, settlement document and dead letter, and reports each problem
 * with its queue index (or file and byte offset), then a verdict.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Check that every file of the journal, trace, settlement and dead-letter queues is a readable "
        + "Chronicle Queue file (a queue with one that is not is not opened; the file and byte offset are reported). "
        + "Read every record and check its CRC, id uniqueness, strict HLC monotonicity, origin ids strictly "
        + "increasing per origin node (so each origin node and origin id pair is unique) and index continuity "
        + "(consecutive sequence numbers within each roll cycle, nothing missing up to the queue's last index); "
        + "read every trace document (CRC) and check that each traced id is journaled (a journal written with "
        + "the latency trace off has no trace: reported as none, not a problem); read every settlement "
        + "document and dead letter (CRC) and check that each message id a settlement document names as settled, "
        + "dead-lettered or retried is journaled (a roll file missing from the middle shows there). Reports each "
        + "problem with its queue index and prints a verdict: OK, "
        + "REPAIRABLE (only files a kill left while Chronicle was creating them: they hold nothing, the next engine "
        + "start sets them aside, and their queues were not read) or CORRUPT.",
        "Exit codes: 0 OK, 1 CORRUPT or REPAIRABLE (any finding), 2 bad arguments."})
public final class VerifyCommand extends JournalSubcommand
{
    private static final String REPAIRABLE = "REPAIRABLE";

    @Parameters(index = "0", paramLabel = "DIR", description = "The journal folder.")
    private Path dir;

    @Option(names = "--json", description = "Print one JSON object.")
    private boolean json;

    @Override
    protected Integer run()
    {
        JournalFolder.requirePresent(spec(), dir);
        // a live engine's journal is checked as it stands when each queue is read; it goes on growing meanwhile
        long holder = JournalLock.holder(dir);
        final Problems problems = new Problems();
        final QueueFileChecks files = QueueFileChecks.files(dir, 0 != holder, problems);
        final QueueFacts facts = files.readable(dir) ? QueueFacts.counted(dir) : QueueFacts.unknown();
        if (null != facts.problem())
        {
            problems.add("journal", -1, "metadata", facts.problem());
        }
        final RecordChecks checks = new RecordChecks(facts.rollCycle(), problems);
        if (files.readable(dir))
        {
            scan(facts, checks, problems);
        }
        checks.complete(facts.lastIndex());
        // traced ids are checked against the records read: none were when the journal's queue was not read for a file
        // the next engine start sets aside, which is not damage
        final PrunedFacts pruned = PrunedFacts.of(dir, checks.firstId());
        if (0 == holder)
        {
            // an engine that started while the journal was read has written past what was read
            holder = JournalLock.holder(dir);
        }
        final long traceEntries = files.readable(TraceLayout.traceDir(dir)) && !files.unfinished(dir) ?
            TraceChecks.check(dir, checks.ids(), pruned.pruned() ? checks.firstId() : 0,
                0 == holder ? Long.MAX_VALUE : checks.highestId(), problems) : 0;
        // only a journal whose every record was read can tell a missing message from one it did not reach
        final SettlementChecks settled = new SettlementChecks(checks.ids(), checks.firstId(),
            files.readable(dir) && checks.records() > 0 ? checks.highestId() : -1, problems);
        files.documents(settled);
        settled.end();

        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("journal", dir.toAbsolutePath().toString());
        report.put("held_by_pid", 0 == holder ? null : holder);
        report.put("records", checks.records());
        report.put("first_index", Indexes.json(checks.firstIndex()));
        report.put("last_index", Indexes.json(checks.lastIndex()));
        report.putAll(pruned.json());
        report.put("starts_at", checks.firstIndex() < 0 ? null : pruned.describe(checks.firstId(),
            Indexes.hex(checks.firstIndex())));
        report.put("queue_last_index", Indexes.json(facts.lastIndex()));
        report.put("roll_cycle", facts.rollCycleName());
        report.put("trace_entries", traceEntries);
        report.put("trace_present", TraceReader.exists(dir));
        report.put("settlement_documents", files.settlementDocuments());
        report.put("dead_letters", files.deadLetters());
        report.put("verdict", verdict(problems));
        report.put("problem_counts", problems.counts());
        report.put("problems", problems.json());
        final PrintWriter out = spec().commandLine().getOut();
        out.println(json ? Json.pretty(report) : text(holder, checks, facts, traceEntries, files, problems));
        out.flush();
        return problems.isEmpty() ? 0 : ExitCodes.FAILURE;
    }

    private void scan(final QueueFacts facts, final RecordChecks checks, final Problems problems)
    {
        try (RecordScan scan = new RecordScan(dir);
             ScanProgress progress = ScanProgress.start(spec().commandLine().getErr(), "verify", facts.messages()))
        {
            for (RecordScan.Step step = scan.next(); RecordScan.Step.END != step; step = scan.next())
            {
                progress.step();
                if (RecordScan.Step.UNREADABLE == step)
                {
                    scan.report(step, problems);
                    continue;
                }
                checks.reached(scan.index());
                if (RecordScan.Step.SKIPPED == step)
                {
                    checks.reached(scan.skippedTo(), false);
                }
                if (RecordScan.Step.RECORD != step)
                {
                    scan.report(step, problems);
                    continue;
                }
                checks.record(scan.index(), scan.record());
            }
        }
    }

    @Override
    protected void faulted(final InternalError fault)
    {
        final String message = "reading a memory-mapped roll file faulted (" + fault.getMessage() + "): a roll file is " +
            "damaged or truncated";
        final PrintWriter out = spec().commandLine().getOut();
        if (json)
        {
            final Problems problems = new Problems();
            problems.add("journal", -1, "unreadable", message);
            final Map<String, Object> report = new LinkedHashMap<>();
            report.put("journal", dir.toAbsolutePath().toString());
            report.put("verdict", "CORRUPT");
            report.put("problem_counts", problems.counts());
            report.put("problems", problems.json());
            out.println(Json.pretty(report));
        }
        else
        {
            out.println("verdict: CORRUPT (unreadable: " + message + ")");
        }
        out.flush();
    }

    private String text(final long holder, final RecordChecks checks, final QueueFacts facts, final long traceEntries,
        final QueueFileChecks files, final Problems problems)
    {
        final StringBuilder text = new StringBuilder("verify " + dir.toAbsolutePath() + "\n");
        if (0 != holder)
        {
            text.append("held by a running engine (process ").append(holder > 0 ? Long.toString(holder) : "unknown")
                .append("): checked as each queue stood when read; what the engine writes meanwhile is not\n");
        }
        text.append(String.format("journal: %,d valid records", checks.records()));
        if (checks.firstIndex() >= 0)
        {
            text.append(", index ").append(Indexes.both(checks.firstIndex())).append(" to ")
                .append(Indexes.both(checks.lastIndex()));
        }
        text.append(", roll cycle ").append(facts.rollCycleName()).append('\n');
        final PrunedFacts pruned = PrunedFacts.of(dir, checks.firstId());
        if (pruned.pruned())
        {
            text.append("starts at ").append(pruned.describe(checks.firstId(), Indexes.hex(checks.firstIndex())))
                .append(": continuity checked from the first remaining cycle\n");
        }
        text.append(TraceReader.exists(dir) ? String.format("trace: %,d entries%n", traceEntries) : "trace: none " +
            "(written with " + Settings.LATENCY_TRACE.name() + "=false, or nothing delivered): not checked\n");
        text.append(String.format("settlement log: %,d documents; dead letters: %,d%n", files.settlementDocuments(),
            files.deadLetters()));
        if (problems.isEmpty())
        {
            return text.append("problems: none\nverdict: OK").toString();
        }
        text.append(String.format("problems: %,d%n", problems.total()));
        final StringWriter lines = new StringWriter();
        problems.print(new PrintWriter(lines), "  ");
        text.append(lines).append("verdict: ").append(verdict(problems)).append(" (");
        problems.counts().forEach((kind, count) -> text.append(kind).append('=').append(count).append(", "));
        text.setLength(text.length() - 2);
        text.append(')');
        if (REPAIRABLE.equals(verdict(problems)))
        {
            text.append(": the next engine start on the journal sets the unfinished files aside, losing nothing");
        }
        return text.toString();
    }

    /**
     * @param problems the findings.
     * @return OK without any, REPAIRABLE when every one is a file a kill left in creation (the next engine start
     *     sets it aside), else CORRUPT.
     */
    private static String verdict(final Problems problems)
    {
        if (problems.isEmpty())
        {
            return "OK";
        }
        return problems.total() == problems.count(QueueFileChecks.UNFINISHED_FILE) ? REPAIRABLE : "CORRUPT";
    }
}
