package io.chronofabric.cli.journal;

import io.chronofabric.cli.common.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Path;

import io.chronofabric.cli.common.Inputs;
import io.chronofabric.journal.MessageRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronofabric journal dump DIR}: one line (or JSON object) per journaled message, filtered.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
    description = {"Print one line per message (one JSON object per line with --json): index, id, HLC, type, "
        + "source, priority, deadline, dependencies and payload (decoded for tick, signal and order, hex otherwise).",
        "A corrupt record is never printed as a message: it is reported on stderr with its index and the exit code "
            + "is 1.",
        "Exit codes: 0 success, 1 corrupt records found, 2 bad arguments."})
public final class DumpCommand extends JournalSubcommand
{
    @Parameters(index = "0", paramLabel = "DIR", description = "The journal folder.")
    private Path dir;

    @Option(names = "--from", paramLabel = "INDEX[+K]", converter = RecordPosition.From.class,
        description = "Start at this record: a queue index, hex (0x...) or decimal, as dump prints it; +K for the "
            + "K-th record after the first of that index's document (a batch's records share one).")
    private RecordPosition from;

    @Option(names = "--limit", paramLabel = "N", description = "Print at most N messages.")
    private Long limit;

    @Option(names = "--type", paramLabel = "T", description = "Only this type: a number or tick, signal, order.")
    private String type;

    @Option(names = "--since", paramLabel = "TIME", converter = TimeConverter.class,
        description = "Only messages whose HLC time is at or after TIME: an ISO-8601 instant or epoch nanoseconds.")
    private Long since;

    @Option(names = "--until", paramLabel = "TIME", converter = TimeConverter.class,
        description = "Only messages whose HLC time is at or before TIME (the scan stops there: HLC order is journal "
            + "order).")
    private Long until;

    @Option(names = "--json", description = "One JSON object per line.")
    private boolean json;

    @Override
    protected Integer run()
    {
        JournalFolder.require(spec(), dir);
        if (null != limit)
        {
            Inputs.inRange(spec(), "--limit", limit, 0, Long.MAX_VALUE, "messages");
        }
        if (null != since && null != until && since > until)
        {
            throw Inputs.refused(spec(), "--since " + Inputs.given(spec(), "--since") + " is after --until " +
                Inputs.given(spec(), "--until") +
                ": no message can match; allowed: --since at or before --until");
        }
        final PayloadDecoders decoders = PayloadDecoders.trading();
        final int onlyType = null == type ? -1 : parseType(decoders);
        final RecordFormat format = new RecordFormat(decoders);
        final PrintWriter out = spec().commandLine().getOut();
        final Problems problems = new Problems();
        long printed = 0;
        try (RecordScan scan = new RecordScan(dir))
        {
            if (null != from && !scan.moveTo(from))
            {
                final QueueFacts facts = QueueFacts.of(dir);
                throw new CommandLine.ParameterException(spec().commandLine(), "--from " + from.both() +
                    ": the journal holds no such index (it holds " + Indexes.both(facts.firstIndex()) + " to " +
                    Indexes.both(facts.lastIndex()) + ")");
            }
            final long max = null == limit ? Long.MAX_VALUE : limit;
            RecordScan.Step step;
            for (step = scan.next(); printed < max && RecordScan.Step.END != step; step = scan.next())
            {
                if (RecordScan.Step.RECORD != step)
                {
                    scan.report(step, problems);
                    continue;
                }
                final MessageRecord record = scan.record();
                if (null != until && record.hlcWall() > until)
                {
                    break;
                }
                if ((onlyType >= 0 && record.type() != onlyType) || (null != since && record.hlcWall() < since))
                {
                    continue;
                }
                out.println(json ? Json.line(format.json(scan.index(), scan.inDocument(), record))
                    : format.line(scan.index(), scan.inDocument(), record));
                printed++;
            }
            if (RecordScan.Step.END == step) // not stopped by --limit or --until
            {
                scan.reportIfStoppedShort(problems);
            }
        }
        out.flush();
        final PrintWriter err = spec().commandLine().getErr();
        problems.print(err, "chronofabric: ");
        err.flush();
        return problems.isEmpty() ? 0 : ExitCodes.FAILURE;
    }

    private int parseType(final PayloadDecoders decoders)
    {
        try
        {
            return decoders.parseType(type);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec().commandLine(), "--type: " + ex.getMessage());
        }
    }
}
