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
        return SingleChronicleQueueBuilder.single(dir.toFile())
            .rollCycle(rollCycle(rollCycle))
            .syncMode(durability.syncMode())
            .build();
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
