package io.chronofabric.cli.journal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.chronofabric.cli.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronofabric journal verify DIR}: reads every record and trace entry and reports each problem with its
 * queue index, then a verdict.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Read every record and check its CRC, id uniqueness, strict HLC monotonicity and index continuity "
        + "(consecutive sequence numbers within each roll cycle, nothing missing up to the queue's last index); "
        + "read every trace document (CRC) and check that each traced id is journaled. Reports each problem with its "
        + "queue index and prints a verdict: OK or CORRUPT.",
        "Exit codes: 0 OK, 1 CORRUPT (any problem), 2 bad arguments."})
public final class VerifyCommand extends JournalSubcommand
{
    @Parameters(index = "0", paramLabel = "DIR", description = "The journal folder.")
    private Path dir;

    @Option(names = "--json", description = "Print one JSON object.")
    private boolean json;

    @Override
    protected Integer run()
    {
        JournalFolder.require(spec(), dir);
        final Problems problems = new Problems();
        final QueueFacts facts = QueueFacts.of(dir);
        if (null != facts.problem())
        {
            problems.add("journal", -1, "metadata", facts.problem());
        }
        final RecordChecks checks = new RecordChecks(facts.rollCycle(), problems);
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
        checks.complete(facts.lastIndex());
        final long traceEntries = TraceChecks.check(dir, checks.ids(), problems);

        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("journal", dir.toAbsolutePath().toString());
        report.put("records", checks.records());
        report.put("first_index", Indexes.json(checks.firstIndex()));
        report.put("last_index", Indexes.json(checks.lastIndex()));
        final PrunedFacts pruned = PrunedFacts.of(dir, checks.firstId());
        report.putAll(pruned.json());
        report.put("starts_at", checks.firstIndex() < 0 ? null : pruned.describe(checks.firstId(),
            Indexes.hex(checks.firstIndex())));
        report.put("queue_last_index", Indexes.json(facts.lastIndex()));
        report.put("roll_cycle", facts.rollCycleName());
        report.put("trace_entries", traceEntries);
        report.put("verdict", problems.isEmpty() ? "OK" : "CORRUPT");
        report.put("problem_counts", problems.counts());
        report.put("problems", problems.json());
        final PrintWriter out = spec().commandLine().getOut();
        out.println(json ? Json.pretty(report) : text(checks, facts, traceEntries, problems));
        out.flush();
        return problems.isEmpty() ? 0 : Main.EXIT_FAILURE;
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

    private String text(final RecordChecks checks, final QueueFacts facts, final long traceEntries,
        final Problems problems)
    {
        final StringBuilder text = new StringBuilder("verify " + dir.toAbsolutePath() + "\n");
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
        text.append(String.format("trace: %,d entries%n", traceEntries));
        if (problems.isEmpty())
        {
            return text.append("problems: none\nverdict: OK").toString();
        }
        text.append(String.format("problems: %,d%n", problems.total()));
        final StringWriter lines = new StringWriter();
        problems.print(new PrintWriter(lines), "  ");
        text.append(lines).append("verdict: CORRUPT (");
        problems.counts().forEach((kind, count) -> text.append(kind).append('=').append(count).append(", "));
        text.setLength(text.length() - 2);
        return text.append(')').toString();
    }
}
