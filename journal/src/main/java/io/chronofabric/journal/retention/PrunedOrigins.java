package io.chronofabric.journal.retention;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.chronofabric.journal.DurableFiles;
import io.chronofabric.journal.EngineLimits;
import io.chronofabric.journal.JournalCorruptionException;
import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;

/**
 * What retention deleted from a journal, per origin, kept in {@value #FILE} in the journal folder: for this node's own
 * messages their count and last id, for each other origin node the count of its messages and the highest origin
 * id among them, and the last record deleted (its id and HLC, where an engine resumes when every record is gone). A node reads its journal at start to know what it holds of each peer (the high-water mark it resumes
 * a peer's stream from, the count it acknowledges) and of itself (the count its peers acknowledge): what retention
 * deleted is part of that. Written, whole and atomically, before the cycles it covers are deleted; a cycle at or
 * below {@link #throughCycle()} that is still there (the process died before deleting it) is counted here, not again
 * from the journal.
 */
public final class PrunedOrigins
{
    /** The file, in the journal folder. */
    public static final String FILE = "pruned-origins.properties";
    private static final String THROUGH_CYCLE = "through.cycle";
    private static final String OWN_COUNT = "own.count";
    private static final String OWN_LAST = "own.last";
    private static final String ORIGIN = "origin.";
    private static final String UNREADABLE = "unreadable";
    private static final String LAST_ID = "last.id";
    private static final String LAST_WALL = "last.hlc.wall";
    private static final String LAST_LOGICAL = "last.hlc.logical";

    private final Properties properties;

    private PrunedOrigins(final Properties properties)
    {
        this.properties = properties;
    }

    /**
     * @param journalDir a journal folder.
     * @return what retention deleted from it; nothing when it never deleted anything.
     * @throws UncheckedIOException when the file exists but cannot be read.
     */
    public static PrunedOrigins read(final Path journalDir)
    {
        final Path file = journalDir.resolve(FILE);
        try
        {
            return new PrunedOrigins(DurableFiles.loadProperties(file));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** @return the last cycle counted here, -1 when none. */
    public int throughCycle()
    {
        return (int)get(THROUGH_CYCLE, -1);
    }

    /** @return this node's own messages deleted. */
    public long ownCount()
    {
        return get(OWN_COUNT, 0);
    }

    /** @return the id of the last of them, 0 when none. */
    public long ownLast()
    {
        return get(OWN_LAST, 0);
    }

    /**
     * @return the highest id deleted, of any origin, 0 when none: where ids resume when retention deleted every
     *     record (a folder pruned before this was recorded gives its own messages' last id).
     */
    public long lastId()
    {
        return get(LAST_ID, ownLast());
    }

    /** @return the HLC wall component of the {@link #lastId()} record, 0 when not recorded. */
    public long lastWall()
    {
        return get(LAST_WALL, 0);
    }

    /** @return the HLC logical component of the {@link #lastId()} record. */
    public int lastLogical()
    {
        return (int)get(LAST_LOGICAL, 0);
    }

    /** @param node an origin node. @return its messages deleted. */
    public long count(final int node)
    {
        return get(ORIGIN + node + ".count", 0);
    }

    /** @param node an origin node. @return the highest origin id among its messages deleted, 0 when none. */
    public long mark(final int node)
    {
        return get(ORIGIN + node + ".mark", 0);
    }

    /** @return the origin nodes with messages deleted. */
    public List<Integer> origins()
    {
        return properties.stringPropertyNames().stream().filter(name -> name.startsWith(ORIGIN) &&
            name.endsWith(".count")).map(name -> Integer.parseInt(name.substring(ORIGIN.length(),
            name.length() - ".count".length()))).sorted().toList();
    }

    /**
     * Counts the records of {@code cycles} (ascending, all after {@link #throughCycle()}) into this summary and writes
     * it, before they are deleted.
     *
     * @param journalDir the journal folder.
     * @param cycles     the cycles about to be deleted.
     */
    void countAndWrite(final Path journalDir, final List<Integer> cycles)
    {
        final Tally tally = new Tally();
        final MessageRecord record = new MessageRecord(EngineLimits.MAX_DEPENDENCIES, EngineLimits.MAX_PAYLOAD);
        try (JournalReader reader = new JournalReader(journalDir, EngineLimits.MAX_DEPENDENCIES,
            EngineLimits.MAX_PAYLOAD))
        {
            for (final int cycle : cycles)
            {
                if (cycle <= throughCycle())
                {
                    continue;
                }
                if (reader.moveToCycle(cycle))
                {
                    countCycle(reader, record, cycle, tally);
                }
                properties.setProperty(THROUGH_CYCLE, Integer.toString(cycle));
            }
        }
        tally.addTo(this);
        write(journalDir);
    }

    /**
     * Counts one cycle's records. A damaged one (settled long ago: retention deletes only settled cycles) cannot be
     * told apart by origin: it is counted as unreadable, and retention goes on, as it did before this summary existed.
     */
    private static void countCycle(final JournalReader reader, final MessageRecord record, final int cycle,
        final Tally tally)
    {
        while (true)
        {
            final long before = reader.lastIndex();
            final int beforeRecord = reader.lastRecordInDocument();
            try
            {
                if (!reader.next(record) || reader.lastCycle() != cycle)
                {
                    return;
                }
                tally.add(record);
            }
            catch (final JournalCorruptionException damaged)
            {
                if (reader.lastCycle() != cycle ||
                    (reader.lastIndex() == before && reader.lastRecordInDocument() == beforeRecord))
                {
                    return; // past the cycle, or the reader cannot move past the damage: the rest is not counted
                }
                tally.unreadable++;
            }
        }
    }

    /** @return records of deleted cycles that could not be read, so not counted by origin. */
    public long unreadable()
    {
        return get(UNREADABLE, 0);
    }

    /** What one pass counts, in numbers rather than in the summary's text, then added to it once. */
    private static final class Tally
    {
        private final Map<Integer, long[]> byOrigin = new HashMap<>();
        private long ownCount;
        private long ownLast;
        private long unreadable;
        private long lastId;
        private long lastWall;
        private int lastLogical;

        void add(final MessageRecord record)
        {
            if (record.id() > lastId)
            {
                lastId = record.id();
                lastWall = record.hlcWall();
                lastLogical = record.hlcLogical();
            }
            if (0 == (record.flags() & RecordFlags.REMOTE))
            {
                ownCount++;
                ownLast = Math.max(ownLast, record.id());
            }
            else if (0 < record.originId())
            {
                final long[] countAndMark = byOrigin.computeIfAbsent(record.originNode(), node -> new long[2]);
                countAndMark[0]++;
                countAndMark[1] = Math.max(countAndMark[1], record.originId());
            }
        }

        void addTo(final PrunedOrigins summary)
        {
            if (lastId > summary.get(LAST_ID, 0))
            {
                summary.put(LAST_ID, lastId);
                summary.put(LAST_WALL, lastWall);
                summary.put(LAST_LOGICAL, lastLogical);
            }
            if (ownCount > 0)
            {
                summary.put(OWN_COUNT, summary.ownCount() + ownCount);
                summary.put(OWN_LAST, Math.max(summary.ownLast(), ownLast));
            }
            if (unreadable > 0)
            {
                summary.put(UNREADABLE, summary.unreadable() + unreadable);
            }
            byOrigin.forEach((node, countAndMark) ->
            {
                summary.put(ORIGIN + node + ".count", summary.count(node) + countAndMark[0]);
                summary.put(ORIGIN + node + ".mark", Math.max(summary.mark(node), countAndMark[1]));
            });
        }
    }

    private void write(final Path journalDir)
    {
        final Path file = journalDir.resolve(FILE);
        try
        {
            // on disk before the cycles it counts are deleted, whatever the journal's durability
            DurableFiles.storeProperties(file, properties,
                "ChronoFabric: what journal retention deleted, per origin (do not edit)");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }

    private long get(final String key, final long absent)
    {
        final String value = properties.getProperty(key);
        return null == value ? absent : Long.parseLong(value);
    }

    private void put(final String key, final long value)
    {
        properties.setProperty(key, Long.toString(value));
    }
}
