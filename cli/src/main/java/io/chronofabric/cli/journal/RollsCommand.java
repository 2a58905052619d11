package io.chronofabric.cli.journal;

import io.chronofabric.cli.common.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chronofabric.journal.JournalQueues;
import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.retention.JournalRetention;
import io.chronofabric.journal.EngineLimits;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.SettledState;
import io.chronofabric.journal.JournalInUseException;
import io.chronofabric.journal.JournalLock;
import io.chronofabric.journal.TraceLayout;
import net.openhft.chronicle.queue.ChronicleQueue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronofabric journal rolls DIR}: lists the roll files of a journal and its trace, and removes old cycles.
 */
@Command(name = "rolls", mixinStandardHelpOptions = true,
    description = {"List the roll files (one per Chronicle roll cycle) of the journal and its trace: name, cycle, "
        + "size, first and last index, message count.",
        "With --remove-before, delete the cycles before CYCLE_OR_DATE from both the journal and its trace and print "
            + "what was removed. The last (current) cycle is never removed, and a cut that would remove every cycle "
            + "is refused. Run it on a journal no engine is writing: Chronicle readers and writers of other "
            + "processes may hold old cycles open.",
        "Exit codes: 0 success, 1 the journal is in use by a running engine or cannot be read, 2 bad arguments "
        + "(including a refused cut)."})
public final class RollsCommand extends JournalSubcommand
{
    @Parameters(index = "0", paramLabel = "DIR", description = "The journal folder.")
    private Path dir;

    @Option(names = "--remove-before", paramLabel = "CYCLE_OR_DATE", description = "Remove cycles before this one: a "
        + "cycle number as listed, a date (2026-11-24: cycles that end by its start) or an ISO-8601 instant.")
    private String removeBefore;

    @Option(names = "--dry-run", description = "With --remove-before: print what would be removed, remove nothing.")
    private boolean dryRun;

    @Option(names = "--json", description = "Print one JSON object.")
    private boolean json;

    @Override
    protected Integer run() throws IOException
    {
        // the arguments first: a mistyped one is refused without reading (or waiting on) the journal
        if (dryRun && null == removeBefore)
        {
            throw new CommandLine.ParameterException(spec().commandLine(), "--dry-run needs --remove-before");
        }
        final CycleCut.Given given = null == removeBefore ? null : CycleCut.parse(spec(), removeBefore);
        JournalFolder.require(spec(), dir);
        final QueueFacts journal = QueueFacts.counted(dir);
        final Path traceDir = TraceLayout.traceDir(dir);
        final QueueFacts trace = traceFacts(traceDir);
        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("journal", dir.toAbsolutePath().toString());
        report.put("roll_cycle", journal.rollCycleName());
        if (null == removeBefore)
        {
            report.put("roll_files", StatsCommand.rollFiles(journal, "messages"));
            report.put("trace_roll_files", null == trace ? List.of()
                : StatsCommand.rollFiles(trace, "documents"));
            print(report, journal, trace);
            return 0;
        }
        final int cut = CycleCut.cycle(spec(), given, dir, journal);
        // a dry run says what the removal would do: refused too
        NodeJournals.refuseDeleting(spec(), dir, "journal rolls --remove-before");
        if (dryRun)
        {
            // removes nothing, so it takes no lock (and writes no lock file into a journal it only reads)
            final long holder = JournalLock.holder(dir);
            if (0 != holder)
            {
                throw new JournalInUseException(dir, holder);
            }
            return removeBefore(cut, journal, trace, traceDir, report);
        }
        // held until the files are gone: an engine that started after a mere check would write into what is deleted;
        // and the roll files are listed again under it, as an engine that ran meanwhile may have changed them
        try (JournalLock held = JournalLock.acquire(dir))
        {
            // a deletion a kill cut short is finished first: its cycles are counted as deleted already
            JournalRetention.finishDeletion(dir, journal.rollCycleName());
            return removeBefore(cut, QueueFacts.counted(dir), traceFacts(traceDir), traceDir, report);
        }
    }

    /** @return the trace queue's roll files, null when the journal has no trace. */
    private static QueueFacts traceFacts(final Path traceDir)
    {
        return Files.isDirectory(traceDir) ? QueueFacts.of(traceDir) : null;
    }

    private int removeBefore(final int cut, final QueueFacts journal, final QueueFacts trace, final Path traceDir,
        final Map<String, Object> report) throws IOException
    {
        final List<QueueFacts.RollFile> journalFiles = removable(journal, cut, "journal");
        final long[] lastIds = lastIds(journalFiles);
        final String unsettled = unsettledIn(journalFiles, lastIds);
        if (null != unsettled)
        {
            spec().commandLine().getErr().println("chronofabric: " + unsettled);
            return ExitCodes.FAILURE;
        }
        final List<QueueFacts.RollFile> traceFiles = null == trace ? List.of() : removable(trace, cut, "trace");
        report.put("remove_before_cycle", cut);
        report.put("dry_run", dryRun);
        final List<String> removed = new ArrayList<>();
        for (final QueueFacts.RollFile file : journalFiles)
        {
            removed.add(file.path().toString());
        }
        for (final QueueFacts.RollFile file : traceFiles)
        {
            removed.add(file.path().toString());
        }
        if (!dryRun)
        {
            if (!journalFiles.isEmpty())
            {
                // recorded before the files go: a start after a crash in between must not take the ids of deleted
                // messages for ones never journaled
                final long lastIdRemoved = Arrays.stream(lastIds).max().orElse(-1);
                try (ChronicleQueue queue = JournalQueues.openForMaintenance(dir, journal.rollCycleName()))
                {
                    JournalRetention.recordDeletion(queue, journalFiles.stream().map(QueueFacts.RollFile::cycle)
                        .toList(), journalFiles.stream().mapToLong(file -> Math.max(0, file.messages())).sum(),
                        lastIdRemoved);
                }
            }
            remove(journalFiles, dir, journal.rollCycleName());
            remove(traceFiles, traceDir, null == trace ? null : trace.rollCycleName());
        }
        report.put(dryRun ? "would_remove" : "removed", removed);
        final PrintWriter out = spec().commandLine().getOut();
        if (json)
        {
            out.println(Json.pretty(report));
        }
        else
        {
            out.println((dryRun ? "would remove " : "removed ") + removed.size() + " roll file(s) before cycle " + cut +
                (removed.isEmpty() ? "" : ":"));
            removed.forEach(path -> out.println("  " + path));
        }
        out.flush();
        return 0;
    }

    private List<QueueFacts.RollFile> removable(final QueueFacts facts, final int cut, final String queue)
    {
        final List<QueueFacts.RollFile> files = facts.rollFiles();
        if (files.isEmpty())
        {
            return List.of();
        }
        final QueueFacts.RollFile last = files.get(files.size() - 1);
        if (last.cycle() < cut)
        {
            throw new CommandLine.ParameterException(spec().commandLine(), "--remove-before " + removeBefore +
                " (cycle " + cut + ") would remove every " + queue + " cycle, including the current one (cycle " +
                last.cycle() + ", " + last.name() + "), which is never removed; use a cycle up to " + last.cycle());
        }
        final List<QueueFacts.RollFile> removable = new ArrayList<>();
        for (final QueueFacts.RollFile file : files)
        {
            if (file.cycle() < 0)
            {
                throw new CommandLine.ParameterException(spec().commandLine(), "cannot tell the cycle of " + file.path()
                    + "; nothing removed: " + facts.problem());
            }
            if (file.cycle() < cut)
            {
                removable.add(file);
            }
        }
        return removable;
    }

    /** Reads the last record of the document at this index into {@code last}; false when there is none. */
    private static boolean lastOfDocument(final JournalReader reader, final long index, final MessageRecord last)
    {
        if (!reader.moveToIndex(index) || !reader.next(last))
        {
            return false;
        }
        final MessageRecord next = new MessageRecord(last.dependencyCapacity(), last.payloadCapacity());
        while (reader.next(next) && reader.lastIndex() == index)
        {
            last.copyFrom(next);
        }
        return true;
    }

    /**
     * Nothing unsettled is ever removed: each cycle's last message must be at or below the settled watermark.
     *
     * @param lastIds each file's last message id ({@link #lastIds}).
     * @return null when every cycle is settled, else why not.
     */
    private String unsettledIn(final List<QueueFacts.RollFile> files, final long[] lastIds)
    {
        final long watermark = SettledState.read(dir, 0).watermark();
        for (int i = 0; i < files.size(); i++)
        {
            if (lastIds[i] > watermark)
            {
                final QueueFacts.RollFile file = files.get(i);
                return "cycle " + file.cycle() + " (" + file.name() + ") holds messages not yet settled (id " +
                    lastIds[i] + " is above the settled watermark " + watermark + "): nothing removed; " +
                    "`journal prune` removes settled cycles only";
            }
        }
        return null;
    }

    /** @return the id of each of these journal roll files' last message, -1 for one that holds none. */
    private long[] lastIds(final List<QueueFacts.RollFile> files)
    {
        final long[] lastIds = new long[files.size()];
        final MessageRecord last = new MessageRecord(EngineLimits.MAX_DEPENDENCIES, EngineLimits.MAX_PAYLOAD);
        try (JournalReader reader = new JournalReader(dir, EngineLimits.MAX_DEPENDENCIES, EngineLimits.MAX_PAYLOAD))
        {
            for (int i = 0; i < files.size(); i++)
            {
                final QueueFacts.RollFile file = files.get(i);
                lastIds[i] = file.documents() > 0 && lastOfDocument(reader, file.lastIndex(), last) ? last.id() : -1;
            }
        }
        return lastIds;
    }

    private static void remove(final List<QueueFacts.RollFile> files, final Path queueDir, final String rollCycle)
        throws IOException
    {
        if (files.isEmpty())
        {
            return;
        }
        for (final QueueFacts.RollFile file : files)
        {
            Files.delete(file.path());
        }
        // Chronicle caches the lowest and highest cycle in the folder's metadata; refresh it so readers start at
        // the first remaining cycle
        try (ChronicleQueue queue = JournalQueues.openForMaintenance(queueDir, rollCycle))
        {
            queue.refreshDirectoryListing();
        }
    }

    private void print(final Map<String, Object> report, final QueueFacts journal, final QueueFacts trace)
    {
        final PrintWriter out = spec().commandLine().getOut();
        if (json)
        {
            out.println(Json.pretty(report));
        }
        else
        {
            out.println("journal " + report.get("journal") + ", roll cycle " + journal.rollCycleName());
            table(out, journal, "messages");
            if (null != trace)
            {
                out.println("trace " + TraceLayout.traceDir(dir).toAbsolutePath());
                table(out, trace, "documents");
            }
        }
        out.flush();
    }

    private static void table(final PrintWriter out, final QueueFacts facts, final String counted)
    {
        out.println(String.format("  %-22s %8s %14s %14s %12s %-18s %s", "file", "cycle", "size", "allocated",
            counted, "first index", "last index"));
        for (final QueueFacts.RollFile file : facts.rollFiles())
        {
            final long count = "documents".equals(counted) ? file.documents() : file.messages();
            out.println(String.format("  %-22s %8d %,14d %,14d %,12d %-18s %s", file.name(), file.cycle(),
                file.sizeBytes(), file.allocatedBytes(), count,
                file.firstIndex() < 0 ? "-" : Indexes.hex(file.firstIndex()),
                file.lastIndex() < 0 ? "-" : Indexes.hex(file.lastIndex())));
        }
        if (null != facts.problem())
        {
            out.println("  note: " + facts.problem());
        }
    }
}
