package io.chronofabric.journal;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.RollingResourcesCache;
import net.openhft.chronicle.wire.BinaryWireCode;

/**
 * The lowest and highest cycle a queue's metadata file lists, checked against the roll files in its folder. Readers
 * start from these values without looking at the folder: from a highest cycle above the last roll file, Chronicle's
 * search for the end recurses once per missing cycle (a stack overflow for a damaged value); from a lowest cycle
 * without a roll file, a reader finds nothing and reports an empty queue. So each value must name a roll file that is
 * there.
 */
final class CycleListing
{
    private static final String LOWEST = "listing.lowestCycle";
    private static final String HIGHEST = "listing.highestCycle";
    private static final String MOD_COUNT = "listing.modCount";
    /** Chronicle's lowest cycle of a queue without roll files ({@code TableDirectoryListing.UNSET_MIN_CYCLE}). */
    private static final long UNSET_LOWEST = Integer.MAX_VALUE;
    /** Chronicle's highest cycle of a queue without roll files ({@code TableDirectoryListing.UNSET_MAX_CYCLE}). */
    private static final long UNSET_HIGHEST = Integer.MIN_VALUE;
    /** Longest value name read: the document's event name is compared with these only. */
    private static final int NAME_LIMIT = 64;

    private final Path file;
    private long lowest = Long.MIN_VALUE;
    private long highest = Long.MIN_VALUE;
    private long lowestAt = -1;
    private long highestAt = -1;
    private long modCount;
    private long modCountAt = -1;

    /**
     * @param file the metadata file, named in errors.
     */
    CycleListing(final Path file)
    {
        this.file = file;
    }

    /**
     * Takes the value of one metadata document, if it is one of the listing's cycles: an event name, optional padding,
     * a 64-bit integer.
     *
     * @param channel  the metadata file.
     * @param document where the document's header word is.
     * @param end      where the document ends.
     */
    void read(final FileChannel channel, final long document, final long end) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate((int)Math.min(end - document - 4, NAME_LIMIT + 32))
            .order(ByteOrder.LITTLE_ENDIAN);
        channel.read(bytes, document + 4);
        bytes.flip();
        if (bytes.remaining() < 2 || (bytes.get() & 0xFF) != BinaryWireCode.EVENT_NAME)
        {
            return;
        }
        final int length = bytes.get() & 0xFF;
        if (length > bytes.remaining())
        {
            return;
        }
        final byte[] name = new byte[length];
        bytes.get(name);
        final String key = new String(name, StandardCharsets.US_ASCII);
        if (!LOWEST.equals(key) && !HIGHEST.equals(key) && !MOD_COUNT.equals(key))
        {
            return;
        }
        while (bytes.hasRemaining() && (bytes.get(bytes.position()) & 0xFF) == BinaryWireCode.PADDING)
        {
            bytes.get();
        }
        if (bytes.remaining() >= 5 && (bytes.get(bytes.position()) & 0xFF) == BinaryWireCode.PADDING32)
        {
            bytes.get();
            bytes.position(Math.min(bytes.limit(), bytes.position() + 4 + Math.max(0, bytes.getInt(bytes.position()))));
        }
        if (bytes.remaining() < 9 || (bytes.get() & 0xFF) != BinaryWireCode.INT64)
        {
            return;
        }
        final long at = document + 4 + bytes.position();
        if (LOWEST.equals(key))
        {
            lowest = bytes.getLong();
            lowestAt = at;
        }
        else if (MOD_COUNT.equals(key))
        {
            modCount = bytes.getLong();
            modCountAt = at;
        }
        else
        {
            highest = bytes.getLong();
            highestAt = at;
        }
    }

    /**
     * @param rollFiles the roll files of the metadata file's folder.
     * @return what is wrong with the listing, or null when both cycles name roll files there (or there are none and
     *     it names no cycle).
     */
    JournalCorruptionException problem(final List<Path> rollFiles)
    {
        return problem(rollFiles, null);
    }

    /**
     * @param rollFiles  the roll files of the metadata file's folder.
     * @param settingAside the newest of them when it is a creation a kill cut short, to be set aside, else null: the
     *                   lowest cycle must name one of the others, the highest may still name it ({@link #repoint}
     *                   rewrites it when the file is set aside).
     * @return what is wrong with the listing, or null when both cycles name roll files there (or there are none but
     *     the one set aside, or none at all and the listing names no cycle).
     */
    JournalCorruptionException problem(final List<Path> rollFiles, final Path settingAside)
    {
        final Set<String> all = baseNames(rollFiles);
        final Set<String> kept = new HashSet<>(all);
        if (null != settingAside)
        {
            kept.remove(baseName(settingAside));
        }
        if (lowestAt < 0 || highestAt < 0 || modCountAt < 0)
        {
            // Chronicle writes all three when it opens a queue to write, before its first roll file; a read-only open
            // of a queue whose metadata file lacks one fails
            return all.isEmpty() || !JournalFileCheck.METADATA_FILE.equals(file.getFileName().toString()) ? null :
                new JournalCorruptionException(file, 0, "holds no " + (lowestAt < 0 ? LOWEST : highestAt < 0 ?
                    HIGHEST : MOD_COUNT) + " value, which Chronicle's listing of a queue with roll files always has " +
                    "(a damaged key name, or an overwritten document): Chronicle cannot open the queue to read it");
        }
        if (all.isEmpty() && (UNSET_LOWEST != lowest || UNSET_HIGHEST != highest))
        {
            // Chronicle lists a cycle only once its roll file is created, and unsets the listing when the last one
            // goes; a listing of cycles without any roll file is a queue whose files were deleted, which a reader
            // would take for an empty queue (an empty settlement log: nothing settled)
            return new JournalCorruptionException(file, lowestAt, LOWEST + " " + lowest + " and " + HIGHEST + " " +
                highest + " name no roll file in the folder (0 there): its roll files were deleted, and a reader " +
                "would find the queue empty");
        }
        if (kept.isEmpty())
        {
            return null;
        }
        final boolean lowestMissing = !namedByAny(lowest, kept);
        if (!lowestMissing && namedByAny(highest, all))
        {
            return null;
        }
        final long oldest = lowestMissing ? oldestCycleBelowWhichDeleted(rollFiles) : -1;
        if (oldest >= 0)
        {
            return JournalCorruptionException.unfinished(file, LOWEST + " " + lowest + " names a roll file that is " +
                "gone, and the oldest there is cycle " + oldest + ": a deletion of the queue's oldest cycles " +
                "(retention, journal prune, journal rolls --remove-before) that a kill cut short; the next engine " +
                "start on the folder finishes it");
        }
        return new JournalCorruptionException(file, lowestMissing ? lowestAt : highestAt, (lowestMissing ? LOWEST +
            " " + lowest : HIGHEST + " " + highest) + " names no roll file in the folder (" + kept.size() +
            " there): a reader would " + (lowestMissing ? "find the queue empty" : "search for its end from a " +
            "cycle that is not there"));
    }

    /**
     * Retention, {@code journal prune} and {@code journal rolls --remove-before} delete a queue's oldest roll files
     * first and then have Chronicle list the folder again: a kill in between leaves a lowest cycle whose file is gone,
     * below every roll file there, and a highest one that is there. Nothing else leaves that (a creation cut short is
     * the newest file).
     *
     * @param rollFiles the roll files of the metadata file's folder, oldest first.
     * @return the cycle of the oldest roll file when the listing is in that state, else -1.
     */
    long oldestCycleBelowWhichDeleted(final List<Path> rollFiles)
    {
        if (rollFiles.isEmpty() || lowestAt < 0 || highestAt < 0)
        {
            return -1;
        }
        final Set<String> names = baseNames(rollFiles);
        final Path newest = rollFiles.get(rollFiles.size() - 1);
        if (namedByAny(lowest, names) || !namedByAny(highest, Set.of(baseName(newest))))
        {
            return -1;
        }
        final long oldest = cycleOf(baseName(rollFiles.get(0)), highest, baseName(newest));
        return lowest < oldest ? oldest : -1;
    }

    /**
     * Finishes, in the listing, a deletion a kill cut short ({@link #oldestCycleBelowWhichDeleted}): the lowest cycle
     * becomes the oldest roll file's, as Chronicle's own listing of the folder would make it; the modification count
     * moves on.
     *
     * @param channel   the metadata file, open for writing.
     * @param rollFiles the roll files of its folder, oldest first.
     * @return what changed, in words; null when the listing is not in that state.
     */
    String repointLowest(final FileChannel channel, final List<Path> rollFiles) throws IOException
    {
        final long oldest = oldestCycleBelowWhichDeleted(rollFiles);
        if (oldest < 0)
        {
            return null;
        }
        final ByteBuffer value = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        channel.write(value.putLong(0, oldest), lowestAt);
        if (modCountAt >= 0)
        {
            channel.write(value.clear().putLong(0, modCount + 1), modCountAt);
        }
        return LOWEST + " " + lowest + " -> " + oldest;
    }

    /**
     * @param rollFile a roll file of the folder.
     * @return true when the listing's lowest or highest cycle names it.
     */
    boolean names(final Path rollFile)
    {
        final Set<String> name = Set.of(baseName(rollFile));
        return lowestAt >= 0 && namedByAny(lowest, name) || highestAt >= 0 && namedByAny(highest, name);
    }

    /**
     * @param rollFiles the roll files of the folder but one.
     * @return true when the listing has both cycles, and (when there are any) they name roll files among these.
     */
    boolean agreesWith(final List<Path> rollFiles)
    {
        if (lowestAt < 0 || highestAt < 0)
        {
            return false;
        }
        final Set<String> names = baseNames(rollFiles);
        return names.isEmpty() || namedByAny(lowest, names) && namedByAny(highest, names);
    }

    /**
     * Makes the listing agree with the folder once its newest roll file is set aside, as Chronicle's own refresh
     * from the file names would: the highest cycle, if it names that file, becomes the newest other roll file's (or,
     * when there is none, both cycles Chronicle's unset values); the modification count moves on.
     *
     * @param channel   the metadata file, open for writing.
     * @param newest    the roll file being set aside.
     * @param remaining the folder's other roll files, in cycle order.
     * @return what was changed, e.g. {@code listing.highestCycle 20423 -> 20422}; null when nothing needed to be.
     */
    String repoint(final FileChannel channel, final Path newest, final List<Path> remaining) throws IOException
    {
        if (highestAt < 0 || !namedByAny(highest, Set.of(baseName(newest))))
        {
            return null;
        }
        final long newHighest;
        final long newLowest;
        if (remaining.isEmpty())
        {
            newLowest = UNSET_LOWEST;
            newHighest = UNSET_HIGHEST;
        }
        else
        {
            newLowest = lowest;
            newHighest = cycleOf(baseName(remaining.get(remaining.size() - 1)), highest, baseName(newest));
        }
        final ByteBuffer value = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        channel.write(value.putLong(0, newHighest), highestAt);
        String change = HIGHEST + " " + highest + " -> " + newHighest;
        if (newLowest != lowest && lowestAt >= 0)
        {
            channel.write(value.clear().putLong(0, newLowest), lowestAt);
            change = LOWEST + " " + lowest + " -> " + newLowest + ", " + change;
        }
        if (modCountAt >= 0)
        {
            channel.write(value.clear().putLong(0, modCount + 1), modCountAt);
        }
        return change;
    }

    /**
     * @param name       a roll file's name without its suffix.
     * @param knownCycle a cycle whose file name is known.
     * @param knownName  that file's name without its suffix.
     * @return the cycle of the named file under the roll cycle that gives the known cycle the known name.
     */
    private static long cycleOf(final String name, final long knownCycle, final String knownName)
    {
        return JournalQueues.allRollCycles()
            .map(rollCycle -> new RollingResourcesCache(rollCycle, 0, File::new, File::getName))
            .filter(files -> named(files, knownCycle, Set.of(knownName)))
            .findFirst()
            .map(files -> (long)files.parseCount(name))
            .orElseThrow(() -> new IllegalStateException("no roll cycle names cycle " + knownCycle + " " + knownName));
    }

    private static Set<String> baseNames(final List<Path> rollFiles)
    {
        final Set<String> names = new HashSet<>();
        for (final Path rollFile : rollFiles)
        {
            names.add(baseName(rollFile));
        }
        return names;
    }

    private static String baseName(final Path rollFile)
    {
        final String name = rollFile.getFileName().toString();
        return name.substring(0, name.length() - JournalFiles.ROLL_FILE_SUFFIX.length());
    }

    /**
     * Whether the cycle is a roll file's under some roll cycle a journal may use (the TEST_ ones included), with the
     * default epoch (0) a journal's queues use.
     */
    private static boolean namedByAny(final long cycle, final Set<String> names)
    {
        return JournalQueues.allRollCycles().anyMatch(rollCycle ->
            named(new RollingResourcesCache(rollCycle, 0, File::new, File::getName), cycle, names));
    }

    private static boolean named(final RollingResourcesCache files, final long cycle, final Set<String> names)
    {
        if (cycle < 0 || cycle > Integer.MAX_VALUE)
        {
            return false;
        }
        try
        {
            return names.contains(files.resourceFor(cycle).text);
        }
        catch (final RuntimeException ex)
        {
            return false; // a cycle beyond what the format can write
        }
    }
}
