package io.chronofabric.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

/**
 * Opens the Chronicle Queues that hold a journal, with one set of builder settings for writers and readers.
 */
public final class JournalQueues
{
    /** The roll cycle used when none is configured: one file per day, Chronicle's own default. */
    public static final String DEFAULT_ROLL_CYCLE = "FAST_DAILY";
    /**
     * The block (memory-mapped chunk) an engine's queues are mapped in unless configured otherwise
     * ({@code journal.block-size}): 256 KiB. Chronicle's own default is 64 MiB, and the pages written stay resident
     * until the appender leaves their block, so at a light rate each queue kept up to 80 MiB of the process resident;
     * with 256 KiB a queue keeps a few blocks of 320 KiB mapped (the one written, the one holding the current index
     * array, and with a {@link BlockMapper} the next one and, while the appender's index view trails there, the one
     * before), for one more mapping per 256 KiB written (no cost measured at a million messages a second).
     */
    public static final long DEFAULT_BLOCK_SIZE = 1L << 18;
    /** The smallest block accepted: 64 KiB (Chronicle raises it to what its roll cycle's index needs). */
    public static final long MIN_BLOCK_SIZE = 1L << 16;
    /** The largest block accepted: 1 GiB. */
    public static final long MAX_BLOCK_SIZE = 1L << 30;
    /** A document must fit in a chunk's overlap, a quarter of the block (Chronicle's own rule). */
    private static final int DOCUMENTS_PER_BLOCK = 4;
    /** The file Chronicle keeps a queue's metadata in. */
    private static final String METADATA_FILE = "metadata.cq4t";
    /** Free space a queue's new metadata file needs: the file is 128 KiB, mapped whole. */
    private static final long METADATA_ROOM_BYTES = 256 * 1024;
    /** Room for Chronicle's own header and alignment around a document. */
    private static final int DOCUMENT_OVERHEAD = 64;

    private JournalQueues()
    {
    }

    /**
     * Opens (creating if absent) a journal folder for appending.
     *
     * @param dir       the journal folder.
     * @param rollCycle the name of a {@link RollCycles} constant, e.g. {@code FAST_DAILY}.
     * @return the open queue, with {@link Durability#NONE}; the caller closes it.
     */
    public static ChronicleQueue openForWrite(final Path dir, final String rollCycle)
    {
        return openForWrite(dir, rollCycle, Durability.NONE);
    }

    /**
     * Opens (creating if absent) a journal folder for appending with a durability policy.
     *
     * @param dir        the journal folder.
     * @param rollCycle  the name of a {@link RollCycles} constant, e.g. {@code FAST_DAILY}.
     * @param durability what {@code sync()} on its appenders does.
     * @return the open queue; the caller closes it.
     */
    public static ChronicleQueue openForWrite(final Path dir, final String rollCycle, final Durability durability)
    {
        requireRoomToCreate(dir);
        return SingleChronicleQueueBuilder.single(dir.toFile())
            .rollCycle(rollCycle(rollCycle))
            .syncMode(durability.syncMode())
            .build();
    }

    /**
     * Opens an existing queue for the journal tool's changes (a retention's deletions, the listing and counts kept in
     * its metadata), mapped in an engine's blocks: with Chronicle's default of 64 MiB every roll file read grew to
     * 80 MiB.
     *
     * @param dir       the queue folder.
     * @param rollCycle the name of its {@link RollCycles} constant.
     * @return the open queue; the caller closes it.
     */
    public static ChronicleQueue openForMaintenance(final Path dir, final String rollCycle)
    {
        return openForWrite(dir, rollCycle, Durability.NONE, DEFAULT_BLOCK_SIZE, 0);
    }

    /**
     * Opens (creating if absent) a queue for appending documents of at most {@code maxDocumentBytes}, mapped in
     * blocks of {@link #blockSize(long, int)}: what an engine's writers use.
     *
     * @param dir              the queue folder.
     * @param rollCycle        the name of a {@link RollCycles} constant, e.g. {@code FAST_DAILY}.
     * @param durability       what {@code sync()} on its appenders does.
     * @param blockSize        the block wanted, a power of two in [{@link #MIN_BLOCK_SIZE}, {@link #MAX_BLOCK_SIZE}].
     * @param maxDocumentBytes the longest document the caller appends.
     * @return the open queue; the caller closes it.
     */
    public static ChronicleQueue openForWrite(final Path dir, final String rollCycle, final Durability durability,
        final long blockSize, final int maxDocumentBytes)
    {
        requireRoomToCreate(dir);
        return SingleChronicleQueueBuilder.single(dir.toFile())
            .rollCycle(rollCycle(rollCycle))
            .syncMode(durability.syncMode())
            .blockSize(blockSize(blockSize, maxDocumentBytes))
            .build();
    }

    /**
     * A queue opened for the first time creates its metadata file and writes it through a mapping, where a page the
     * file system cannot back is a fault (a crash, in the JVM's own code): refused first when there is no room for it.
     */
    private static void requireRoomToCreate(final Path dir)
    {
        if (!Files.exists(dir.resolve(METADATA_FILE)))
        {
            FreeSpace.require(dir, METADATA_ROOM_BYTES, "a new queue's metadata file needs");
        }
    }

    /**
     * The block a queue is mapped in. Chronicle maps a queue file in blocks that overlap by a quarter, and a document
     * must fit in that quarter: the block wanted, raised when needed to the smallest power of two that holds four of
     * the longest document (a journal with 1 MiB payloads gets 8 MiB blocks).
     *
     * @param blockSize        the block wanted, a power of two in [{@link #MIN_BLOCK_SIZE}, {@link #MAX_BLOCK_SIZE}].
     * @param maxDocumentBytes the longest document, in bytes (>= 0).
     * @return the block size in bytes.
     * @throws IllegalArgumentException when the block wanted is not such a power of two or the length is negative.
     */
    public static long blockSize(final long blockSize, final int maxDocumentBytes)
    {
        if (!isBlockSize(blockSize))
        {
            throw new IllegalArgumentException("block size must be a power of two in [" + MIN_BLOCK_SIZE + ", " +
                MAX_BLOCK_SIZE + "], got " + blockSize);
        }
        if (maxDocumentBytes < 0)
        {
            throw new IllegalArgumentException("maxDocumentBytes must be >= 0, got " + maxDocumentBytes);
        }
        final long needed = DOCUMENTS_PER_BLOCK * ((long)maxDocumentBytes + DOCUMENT_OVERHEAD);
        return Math.max(blockSize, Long.highestOneBit(needed - 1) << 1);
    }

    /**
     * @param bytes a block size.
     * @return true when it is a power of two in [{@link #MIN_BLOCK_SIZE}, {@link #MAX_BLOCK_SIZE}].
     */
    public static boolean isBlockSize(final long bytes)
    {
        return bytes >= MIN_BLOCK_SIZE && bytes <= MAX_BLOCK_SIZE && 1 == Long.bitCount(bytes);
    }

    /**
     * Opens an existing journal folder for reading only.
     *
     * @param dir the journal folder.
     * @return the open queue; the caller closes it.
     * @throws IllegalArgumentException when the folder does not exist.
     */
    public static ChronicleQueue openForRead(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            throw new IllegalArgumentException("journal folder " + dir + " does not exist");
        }
        return SingleChronicleQueueBuilder.single(dir.toFile())
            .readOnly(true)
            .build();
    }

    /**
     * Positions a tailer at a queue's last document and makes it read backwards from there. Chronicle's own
     * {@code direction(BACKWARD).toEnd()} falls back to its forward-only start-of-queue path (an internal assertion)
     * when the last cycle holds no complete document, as after a kill inside the very first append.
     *
     * @param queue  the queue.
     * @param tailer a tailer of it.
     * @return false when the queue holds no complete document: the tailer is left where it was.
     */
    public static boolean toLastBackwards(final ChronicleQueue queue, final ExcerptTailer tailer)
    {
        final long last = queue.lastIndex();
        if (last < 0 || !tailer.moveToIndex(last))
        {
            return false;
        }
        tailer.direction(TailerDirection.BACKWARD);
        return true;
    }

    /**
     * @param dir a queue's folder.
     * @return the name of the roll cycle the queue in it was written with (its metadata keeps it, and Chronicle uses
     *     that whatever a writer asks for), or null when the folder holds no queue yet or its metadata cannot be read.
     */
    public static String writtenRollCycle(final Path dir)
    {
        if (!Files.isRegularFile(dir.resolve(JournalFileCheck.METADATA_FILE)))
        {
            return null;
        }
        try (ChronicleQueue queue = openForRead(dir))
        {
            return nameOf(queue.rollCycle());
        }
        catch (final RuntimeException unreadable)
        {
            return null; // what cannot be read is reported by whoever reads the queue
        }
    }

    /**
     * @param name a roll cycle's name, as {@link #rollCycle(String)} accepts it.
     * @return its canonical name.
     */
    public static String canonicalRollCycle(final String name)
    {
        return nameOf(rollCycle(name));
    }

    private static String nameOf(final RollCycle cycle)
    {
        return cycle instanceof Enum ? ((Enum<?>)cycle).name() : cycle.toString();
    }

    /**
     * Resolves a roll cycle by name.
     *
     * @param name the name of a {@link RollCycles} constant, or of a {@link TestRollCycles} one (e.g.
     *             {@code TEST_SECONDLY}: a file a second, for tests and demos of rolling and retention),
     *             case-insensitive.
     * @return the roll cycle.
     * @throws IllegalArgumentException naming the allowed values when the name is unknown.
     */
    public static RollCycle rollCycle(final String name)
    {
        final String upper = name.trim().toUpperCase(Locale.ROOT);
        return allRollCycles().filter(cycle -> ((Enum<?>)cycle).name().equals(upper)).findFirst().orElseThrow(
            () -> new IllegalArgumentException("unknown roll cycle '" + name + "'; allowed: " + rollCycleNames()));
    }

    /**
     * @return the names of the roll cycles {@link #rollCycle(String)} accepts, comma separated (the TEST_ ones are
     *     for tests and demos).
     */
    public static String rollCycleNames()
    {
        return allRollCycles().map(cycle -> ((Enum<?>)cycle).name()).collect(Collectors.joining(", "));
    }

    /** @return every roll cycle {@link #rollCycle(String)} accepts: Chronicle's own and its TEST_ ones. */
    static Stream<RollCycle> allRollCycles()
    {
        return Stream.concat(Arrays.stream(RollCycles.values()), Arrays.stream(TestRollCycles.values()));
    }
}
