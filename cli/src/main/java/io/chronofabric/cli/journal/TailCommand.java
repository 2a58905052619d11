package io.chronofabric.cli.journal;

import io.chronofabric.cli.common.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.chronofabric.cli.common.Inputs;
import io.chronofabric.journal.JournalCorruptionException;
import io.chronofabric.journal.JournalFileCheck;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronofabric journal tail DIR}: follows a live journal like {@code tail -f}, printing each new message as
 * {@code dump} does. Reading never disturbs the writing engine: the tool opens the queue read-only.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
    description = {"Follow a journal like tail -f: print each message as it is journaled (the same lines as dump), "
        + "polling every few milliseconds, until Ctrl-C, --exit-after or --timeout. Read-only: safe on a journal an "
        + "engine is writing.",
        "Exit codes: 0 success, 1 a corrupt record was met (reported on stderr, never printed as a message), "
            + "2 bad arguments."})
public final class TailCommand extends JournalSubcommand
{
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** A millisecond: a shorter timeout would end before the first poll. */
    private static final double MIN_TIMEOUT_SECONDS = 0.001;
    /** A year: long enough for any follow, short enough that the deadline in nanoseconds cannot overflow. */
    private static final double MAX_TIMEOUT_SECONDS = 365 * 24 * 3600;
    /** How long a newest roll file may lack its header: Chronicle writes it within milliseconds of the file. */
    private static final long HEADER_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    @Parameters(index = "0", paramLabel = "DIR", description = "The journal folder.")
    private Path dir;

    @Option(names = "--from", paramLabel = "end|start|INDEX[+K]", defaultValue = "end",
        description = "Where to start: end (only new messages, the default), start, or a record as dump prints it: a "
            + "queue index (hex 0x... or decimal), +K for the K-th record after the first of its document.")
    private String from;

    @Option(names = "--exit-after", paramLabel = "N", description = "Stop after printing N messages.")
    private Long exitAfter;

    @Option(names = "--timeout", paramLabel = "SECONDS",
        description = "Stop after this many seconds, from 0.001 to 31536000 (a year).")
    private String timeout;

    @Option(names = "--json", description = "One JSON object per line.")
    private boolean json;

    @Override
    protected Integer run()
    {
        JournalFolder.requireLive(spec(), dir);
        if (null != exitAfter)
        {
            Inputs.inRange(spec(), "--exit-after", exitAfter, 1, Long.MAX_VALUE, "messages");
        }
        final double seconds = null == timeout ? 0 :
            Inputs.number(spec(), "--timeout", timeout, MIN_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS, "seconds");
        final RecordFormat format = new RecordFormat(PayloadDecoders.trading());
        final PrintWriter out = spec().commandLine().getOut();
        final PrintWriter err = spec().commandLine().getErr();
        final long deadline = null == timeout ? Long.MAX_VALUE : System.nanoTime() + (long)(seconds * 1e9);
        final long max = null == exitAfter ? Long.MAX_VALUE : exitAfter;
        if (!awaitHeaders(deadline))
        {
            return 0;
        }
        long printed = 0;
        boolean corrupt = false;
        try (RecordScan scan = new RecordScan(dir))
        {
            position(scan);
            while (printed < max && System.nanoTime() < deadline && !Thread.currentThread().isInterrupted())
            {
                final RecordScan.Step step = scan.next();
                if (RecordScan.Step.END == step)
                {
                    out.flush();
                    LockSupport.parkNanos(POLL_NANOS);
                    continue;
                }
                if (RecordScan.Step.RECORD != step)
                {
                    corrupt = true;
                    final Problems problems = new Problems();
                    scan.report(step, problems);
                    problems.print(err, "chronofabric: ");
                    err.flush();
                    if (RecordScan.Step.UNREADABLE == step)
                    {
                        break;
                    }
                    continue;
                }
                out.println(json ? Json.line(format.json(scan.index(), scan.inDocument(), scan.record()))
                    : format.line(scan.index(), scan.inDocument(), scan.record()));
                printed++;
            }
        }
        out.flush();
        return corrupt ? ExitCodes.FAILURE : 0;
    }

    /**
     * Waits, within the grace and the deadline, while a queue's newest roll file lacks its header: Chronicle would
     * wait for that header inside the read, past any deadline of this command.
     *
     * @return false when the deadline passed first.
     * @throws JournalCorruptionException when a header is still missing after the grace, naming the file.
     */
    private boolean awaitHeaders(final long deadline)
    {
        final long giveUp = System.nanoTime() + HEADER_GRACE_NANOS;
        for (List<Path> pending = JournalFileCheck.headerPending(dir); !pending.isEmpty();
            pending = JournalFileCheck.headerPending(dir))
        {
            if (System.nanoTime() - deadline >= 0)
            {
                return false;
            }
            if (System.nanoTime() - giveUp >= 0)
            {
                throw new JournalCorruptionException(pending.get(0), 0, "no complete Chronicle header " +
                    TimeUnit.NANOSECONDS.toSeconds(HEADER_GRACE_NANOS) + " s after it was found: not a roll file " +
                    "being created (a writer completes the header at once), so no reader can follow it");
            }
            LockSupport.parkNanos(POLL_NANOS);
            JournalFolder.requireLive(spec(), dir);
        }
        return true;
    }

    private void position(final RecordScan scan)
    {
        final String where = from.trim().toLowerCase(Locale.ROOT);
        if ("start".equals(where))
        {
            return;
        }
        if ("end".equals(where))
        {
            scan.toEnd(QueueFacts.of(dir).lastIndex());
            return;
        }
        final RecordPosition position;
        try
        {
            position = RecordPosition.parse(from, 0);
        }
        catch (final CommandLine.TypeConversionException ex)
        {
            throw new CommandLine.ParameterException(spec().commandLine(), "--from: " + ex.getMessage() + ", or end, " +
                "or start");
        }
        if (!scan.moveTo(position))
        {
            throw new CommandLine.ParameterException(spec().commandLine(), "--from " + position.both() +
                ": the journal holds no such index");
        }
    }
}
