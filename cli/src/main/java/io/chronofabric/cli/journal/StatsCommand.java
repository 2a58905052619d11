package io.chronofabric.cli.journal;

import io.chronofabric.cli.common.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.chronofabric.engine.internal.clock.HlcTimestamps;
import io.chronofabric.journal.JournalCorruptionException;
import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.EngineLimits;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.SettledState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronofabric journal stats DIR}: what a journal holds, from reading every record (each CRC-checked).
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = {"Message count, first/last index and HLC time, counts per type, per source and per origin node, "
        + "bytes on disk, "
        + "roll files and trace entries. Reads and CRC-checks every record.",
        "Exit codes: 0 success, 1 corrupt records found (listed on stderr), 2 bad arguments."})
public final class StatsCommand extends JournalSubcommand
{
    /** Readings at most while retention keeps pruning the journal under them; the last one is reported as it is. */
    private static final int READINGS = 10;

    @Parameters(index = "0", paramLabel = "DIR", description = "The journal folder, e.g. data/journal.")
    private Path dir;

    @Option(names = "--json", description = "Print one JSON object.")
    private boolean json;

    private final PayloadDecoders decoders = PayloadDecoders.trading();

    @Override
    protected Integer run()
    {
        JournalFolder.require(spec(), dir);
        final PrintWriter out = spec().commandLine().getOut();
        final PrintWriter err = spec().commandLine().getErr();
        final QueueFacts facts = QueueFacts.counted(dir);
        Problems problems;
        Tally tally;
        PrunedFacts recorded;
        int readings = 0;
        // retention of a live journal may delete a cycle while it is read: the messages counted and the messages
        // pruned are reported from one reading that no prune straddled (or the last of a few)
        do
        {
            recorded = PrunedFacts.recorded(dir);
            problems = new Problems();
            tally = tally(facts, problems, err);
        }
        while (!recorded.equals(PrunedFacts.recorded(dir)) && ++readings < READINGS);
        final PrunedFacts pruned = recorded.withFirstId(tally.firstId);
        final long traceEntries = countTrace(problems);
        final SettledState settled = settled(problems);
        final Long unsettled = null == settled ? null : unsettled(settled, problems);

        final Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("journal", dir.toAbsolutePath().toString());
        stats.put("messages", tally.messages);
        stats.put("corrupt_records", problems.count("corrupt_record"));
        stats.put("first_index", Indexes.json(tally.firstIndex));
        stats.put("last_index", Indexes.json(tally.lastIndex));
        stats.put("first_id", tally.firstId);
        stats.putAll(pruned.json());
        stats.put("starts_at", tally.firstIndex < 0 ? null :
            pruned.describe(tally.firstId, Indexes.hex(tally.firstIndex)));
        stats.put("last_id", tally.lastId);
        stats.put("first_hlc", tally.firstHlc[0] < 0 ? null :
            HlcTimestamps.format(tally.firstHlc[0], tally.firstHlc[1]));
        stats.put("last_hlc", tally.lastHlc[0] < 0 ? null : HlcTimestamps.format(tally.lastHlc[0], tally.lastHlc[1]));
        stats.put("types", counts(tally.types, "type", decoders::typeName));
        stats.put("sources", counts(tally.sources, "source", decoders::sourceName));
        stats.put("by_origin", byOrigin(tally.origins));
        stats.put("bytes_on_disk", JournalFiles.bytesOnDisk(dir));
        stats.put("roll_cycle", facts.rollCycleName());
        stats.put("roll_files", rollFiles(facts, "messages"));
        stats.put("trace_entries", traceEntries);
        stats.put("settled_watermark", null == settled ? null : settled.watermark());
        stats.put("unsettled", unsettled);
        if (!problems.isEmpty())
        {
            stats.put("problems", problems.json());
        }
        out.println(json ? Json.pretty(stats) : table(stats, tally, facts).stripTrailing());
        out.flush();
        problems.print(err, "chronofabric: ");
        err.flush();
        return problems.isEmpty() ? 0 : ExitCodes.FAILURE;
    }

    /** Reads every record once: counts, first and last, per type, source and origin; reports what is corrupt. */
    private Tally tally(final QueueFacts facts, final Problems problems, final PrintWriter err)
    {
        final Tally tally = new Tally();
        try (RecordScan scan = new RecordScan(dir);
             ScanProgress progress = ScanProgress.start(err, "stats", facts.messages()))
        {
            for (RecordScan.Step step = scan.next(); RecordScan.Step.END != step; step = scan.next())
            {
                progress.step();
                if (RecordScan.Step.RECORD == step)
                {
                    tally.add(scan.index(), scan.record());
                }
                else
                {
                    scan.report(step, problems);
                }
            }
            scan.reportIfStoppedShort(problems);
        }
        return tally;
    }

    /** What one reading of the journal's records found. */
    private static final class Tally
    {
        private final Map<Integer, Long> types = new TreeMap<>();
        private final Map<Integer, Long> sources = new TreeMap<>();
        private final Map<Integer, Long> origins = new TreeMap<>();
        private final long[] firstHlc = {-1, 0};
        private final long[] lastHlc = {-1, 0};
        private long messages;
        private long firstIndex = -1;
        private long lastIndex = -1;
        private long firstId;
        private long lastId;

        void add(final long index, final MessageRecord record)
        {
            messages++;
            if (firstIndex < 0)
            {
                firstIndex = index;
                firstId = record.id();
                firstHlc[0] = record.hlcWall();
                firstHlc[1] = record.hlcLogical();
            }
            lastIndex = index;
            lastId = record.id();
            lastHlc[0] = record.hlcWall();
            lastHlc[1] = record.hlcLogical();
            types.merge(record.type(), 1L, Long::sum);
            sources.merge(record.source(), 1L, Long::sum);
            origins.merge(record.originNode(), 1L, Long::sum);
        }
    }

    /** @return the settlement log's state, or null when it cannot be read (reported). */
    private SettledState settled(final Problems problems)
    {
        try
        {
            return SettledState.read(dir, 0);
        }
        catch (final JournalCorruptionException ex)
        {
            problems.add("settled", ex.index(), "corrupt_settlement", ex.reason());
        }
        catch (final RuntimeException | InternalError ex)
        {
            problems.add("settled", -1, "unreadable", "the settlement log cannot be read: " + ex);
        }
        return null;
    }

    /** @return the journaled messages above the watermark that are not settled, or null when unknown (reported). */
    private Long unsettled(final SettledState settled, final Problems problems)
    {
        try
        {
            return settled.countUnsettled(dir, EngineLimits.MAX_DEPENDENCIES, EngineLimits.MAX_PAYLOAD);
        }
        catch (final JournalCorruptionException ex)
        {
            problems.add("journal", ex.index(), "unsettled_unknown", "the unsettled messages cannot be counted: " +
                ex.reason());
        }
        catch (final RuntimeException | InternalError ex)
        {
            problems.add("journal", -1, "unsettled_unknown", "the unsettled messages cannot be counted: " + ex);
        }
        return null;
    }

    private long countTrace(final Problems problems)
    {
        try (TraceScan trace = new TraceScan(dir, problems))
        {
            while (null != trace.next())
            {
                // counting only
            }
            return trace.entries();
        }
    }

    private static List<Map<String, Object>> counts(final Map<Integer, Long> counts, final String key,
        final java.util.function.IntFunction<String> names)
    {
        final List<Map<String, Object>> list = new ArrayList<>();
        counts.forEach((number, count) ->
        {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put(key, number);
            entry.put("name", names.apply(number));
            entry.put("messages", count);
            list.add(entry);
        });
        return list;
    }

    /**
     * @param origins messages per origin node.
     * @return the counts keyed by the origin node id as a string, in ascending node order.
     */
    private static Map<String, Long> byOrigin(final Map<Integer, Long> origins)
    {
        final Map<String, Long> json = new LinkedHashMap<>();
        origins.forEach((node, count) -> json.put(Integer.toString(node), count));
        return json;
    }

    /**
     * @param facts    a queue's facts.
     * @param countKey what its documents are: {@code messages} in a journal, {@code documents} in a trace.
     * @return one JSON object per roll file.
     */
    static List<Map<String, Object>> rollFiles(final QueueFacts facts, final String countKey)
    {
        final List<Map<String, Object>> files = new ArrayList<>();
        for (final QueueFacts.RollFile file : facts.rollFiles())
        {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", file.name());
            entry.put("cycle", file.cycle());
            entry.put("size_bytes", file.sizeBytes());
            entry.put("allocated_bytes", file.allocatedBytes());
            if (!"documents".equals(countKey))
            {
                entry.put(countKey, file.messages());
            }
            entry.put("documents", file.documents());
            entry.put("first_index", Indexes.json(file.firstIndex()));
            entry.put("last_index", Indexes.json(file.lastIndex()));
            files.add(entry);
        }
        return files;
    }

    private String table(final Map<String, Object> stats, final Tally tally, final QueueFacts facts)
    {
        final StringBuilder table = new StringBuilder("journal " + stats.get("journal") + "\n");
        row(table, "messages", String.format("%,d", (Long)stats.get("messages")));
        if (0 != (Long)stats.get("corrupt_records"))
        {
            row(table, "corrupt records", String.format("%,d", (Long)stats.get("corrupt_records")));
        }
        if (null != stats.get("starts_at"))
        {
            row(table, "starts at", String.valueOf(stats.get("starts_at")));
        }
        row(table, "first index", tally.firstIndex < 0 ? "-" : Indexes.both(tally.firstIndex));
        row(table, "last index", tally.lastIndex < 0 ? "-" : Indexes.both(tally.lastIndex));
        row(table, "first HLC", String.valueOf(stats.get("first_hlc")));
        row(table, "last HLC", String.valueOf(stats.get("last_hlc")));
        tally.types.forEach((type, count) -> row(table, "  type " + named(type, decoders.typeName(type)),
            String.format("%,d", count)));
        tally.sources.forEach((source, count) -> row(table, "  source " + named(source, decoders.sourceName(source)),
            String.format("%,d", count)));
        tally.origins.forEach((node, count) -> row(table, "  origin node " + node, String.format("%,d", count)));
        row(table, "bytes on disk", String.format("%,d (%.1f MiB)", (Long)stats.get("bytes_on_disk"),
            (Long)stats.get("bytes_on_disk") / 1048576.0));
        row(table, "roll cycle", facts.rollCycleName());
        for (final QueueFacts.RollFile file : facts.rollFiles())
        {
            row(table, "  " + file.name(), String.format("cycle %d, %,d bytes (%,d allocated), %,d messages",
                file.cycle(), file.sizeBytes(), file.allocatedBytes(), file.messages()));
        }
        row(table, "trace entries", String.format("%,d", (Long)stats.get("trace_entries")));
        row(table, "settled watermark", count(stats.get("settled_watermark")));
        row(table, "unsettled", count(stats.get("unsettled")));
        return table.toString();
    }

    /** @return a count with thousands separators, or "unknown" for one that could not be read. */
    private static String count(final Object value)
    {
        return null == value ? "unknown" : String.format("%,d", (Long)value);
    }

    private static String named(final int number, final String name)
    {
        return null == name ? Integer.toString(number) : name + " (" + number + ")";
    }

    private static void row(final StringBuilder table, final String name, final String value)
    {
        table.append(String.format("%-22s %s%n", name, value));
    }
}
