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
    /** Longest value name read: the document's event name is compared with these only. */
    private static final int NAME_LIMIT = 64;

    private final Path file;
    private long lowest = Long.MIN_VALUE;
    private long highest = Long.MIN_VALUE;
    private long lowestAt = -1;
    private long highestAt = -1;

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
        if (!LOWEST.equals(key) && !HIGHEST.equals(key))
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
        else
        {
            highest = bytes.getLong();
            highestAt = at;
        }
    }

    /**
     * @param rollFiles the roll files of the metadata file's folder.
     * @return what is wrong with the listing, or null when both cycles name roll files there (or there are none).
     */
    JournalCorruptionException problem(final List<Path> rollFiles)
    {
        if (rollFiles.isEmpty() || lowestAt < 0 || highestAt < 0)
        {
            return null;
        }
        final Set<String> names = new HashSet<>();
        for (final Path rollFile : rollFiles)
        {
            final String name = rollFile.getFileName().toString();
            names.add(name.substring(0, name.length() - JournalFiles.ROLL_FILE_SUFFIX.length()));
        }
        final boolean lowestMissing = !namedByAny(lowest, names);
        if (!lowestMissing && namedByAny(highest, names))
        {
            return null;
        }
        return new JournalCorruptionException(file, lowestMissing ? lowestAt : highestAt, (lowestMissing ? LOWEST +
            " " + lowest : HIGHEST + " " + highest) + " names no roll file in the folder (" + rollFiles.size() +
            " there): a reader would " + (lowestMissing ? "find the queue empty" : "search for its end from a " +
            "cycle that is not there"));
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
