package io.chronofabric.cli.journal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

import io.chronofabric.journal.JournalDocuments;
import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.JournalQueues;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.RollingResourcesCache;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * What Chronicle's own metadata says about a queue folder, without reading the records: roll cycle, first and last
 * index, and per roll file its cycle, size and message count. The tool checks what it reads against these facts
 * (a scan that ends before the last index has lost records). Every fact is read defensively: a damaged file makes a
 * fact unknown (-1) and is noted in {@link #problem()}, never a crash.
 */
final class QueueFacts
{
    /**
     * One Chronicle roll file: {@code documents} as Chronicle's index counts them; {@code messages} the records they
     * hold (a journal document holds one or more), -1 when not counted ({@link #of}) or unknown.
     */
    record RollFile(Path path, int cycle, long sizeBytes, long allocatedBytes, long documents, long messages,
        long firstIndex, long lastIndex)
    {
        /** @return the file name. */
        String name()
        {
            return path.getFileName().toString();
        }
    }

    private final String rollCycleName;
    private final RollCycle rollCycle;
    private final int indexSpacing;
    private final long firstIndex;
    private final long lastIndex;
    private final List<RollFile> rollFiles;
    private final String problem;

    private QueueFacts(final String rollCycleName, final RollCycle rollCycle, final int indexSpacing,
        final long firstIndex, final long lastIndex, final List<RollFile> rollFiles, final String problem)
    {
        this.rollCycleName = rollCycleName;
        this.rollCycle = rollCycle;
        this.indexSpacing = indexSpacing;
        this.firstIndex = firstIndex;
        this.lastIndex = lastIndex;
        this.rollFiles = rollFiles;
        this.problem = problem;
    }

    /**
     * @return the facts of a queue that must not be opened (a file of it cannot be read): all unknown.
     */
    static QueueFacts unknown()
    {
        return new QueueFacts("unknown", null, 0, -1, -1, List.of(), null);
    }

    /**
     * @param dir an existing queue folder (a journal, or its trace).
     * @return its facts from Chronicle's metadata; the roll files' message counts are not read (-1).
     */
    static QueueFacts of(final Path dir)
    {
        return of(dir, false);
    }

    /**
     * @param dir an existing journal folder.
     * @return its facts, with each roll file's message count read from its documents' record tables: a pass over the
     *     whole journal, for the commands that report or show progress in messages.
     */
    static QueueFacts counted(final Path dir)
    {
        return of(dir, true);
    }

    private static QueueFacts of(final Path dir, final boolean countMessages)
    {
        try
        {
            return read(dir, countMessages);
        }
        catch (final RuntimeException | InternalError ex)
        {
            return new QueueFacts("unknown", null, 0, -1, -1, List.of(), "cannot open the queue in " + dir + ": " + ex);
        }
    }

    private static QueueFacts read(final Path dir, final boolean countMessages)
    {
        final RollCycle rollCycle;
        final RollingResourcesCache names;
        final int indexSpacing;
        try (ChronicleQueue queue = JournalQueues.openForRead(dir))
        {
            rollCycle = queue.rollCycle();
            indexSpacing = ((SingleChronicleQueue)queue).indexSpacing();
            names = new RollingResourcesCache(rollCycle, ((SingleChronicleQueue)queue).epoch(),
                name -> new File(dir.toFile(), name + JournalFiles.ROLL_FILE_SUFFIX),
                file -> file.getName().substring(0, file.getName().length() - JournalFiles.ROLL_FILE_SUFFIX.length()));
        }
        final List<RollFile> files = new ArrayList<>();
        final StringBuilder problems = new StringBuilder();
        for (final Path file : JournalFiles.rollFiles(dir))
        {
            files.add(rollFile(dir, file, names, rollCycle, countMessages, problems));
        }
        return new QueueFacts(rollCycle instanceof Enum ? ((Enum<?>)rollCycle).name() : rollCycle.toString(),
            rollCycle, indexSpacing, safe(dir, "first index", ChronicleQueue::firstIndex, problems),
            safe(dir, "last index", ChronicleQueue::lastIndex, problems), files,
            0 == problems.length() ? null : problems.toString());
    }

    private static RollFile rollFile(final Path dir, final Path file, final RollingResourcesCache names,
        final RollCycle rollCycle, final boolean countMessages, final StringBuilder problems)
    {
        final String fileName = file.getFileName().toString();
        int cycle = -1;
        long documents = -1;
        long messages = -1;
        try
        {
            cycle = names.parseCount(fileName.substring(0, fileName.length() - JournalFiles.ROLL_FILE_SUFFIX.length()));
            final int fileCycle = cycle;
            documents = safe(dir, fileName + " document count", queue ->
            {
                try (ExcerptTailer tailer = queue.createTailer())
                {
                    return tailer.excerptsInCycle(fileCycle);
                }
            }, problems);
            final long fileDocuments = documents;
            final boolean read = countMessages && documents > 0;
            messages = !read ? (countMessages ? documents : -1) : safe(dir, fileName + " message count", queue ->
            {
                try (ExcerptTailer tailer = queue.createTailer())
                {
                    return new JournalDocuments().recordsInCycle(tailer, rollCycle, fileCycle, fileDocuments);
                }
            }, problems);
        }
        catch (final RuntimeException ex)
        {
            note(problems, "cannot tell the cycle of " + fileName + ": " + ex);
        }
        final boolean counted = cycle >= 0 && documents > 0;
        return new RollFile(file, cycle, size(file), allocated(file), documents, messages,
            counted ? rollCycle.toIndex(cycle, 0) : -1, counted ? rollCycle.toIndex(cycle, documents - 1) : -1);
    }

    /** Reads one fact that makes Chronicle walk document headers, on its own thread and queue: see {@link Isolated}. */
    private static long safe(final Path dir, final String what, final ToLongFunction<ChronicleQueue> fact,
        final StringBuilder problems)
    {
        try
        {
            return Isolated.read(what.replace(' ', '-'), () ->
            {
                try (ChronicleQueue queue = JournalQueues.openForRead(dir))
                {
                    return fact.applyAsLong(queue);
                }
            });
        }
        catch (final IllegalStateException ex)
        {
            note(problems, "cannot read the " + what + ": " + ex.getMessage());
            return -1;
        }
    }

    private static void note(final StringBuilder problems, final String problem)
    {
        problems.append(0 == problems.length() ? "" : "; ").append(problem);
    }

    private static long size(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    private static long allocated(final Path file)
    {
        try
        {
            return JournalFiles.allocatedBytes(file);
        }
        catch (final UncheckedIOException ex)
        {
            return size(file);
        }
    }

    /** @return the roll cycle's name, e.g. {@code FAST_DAILY}. */
    String rollCycleName()
    {
        return rollCycleName;
    }

    /** @return the roll cycle, to split an index into cycle and sequence; null when the queue cannot be opened. */
    RollCycle rollCycle()
    {
        return rollCycle;
    }

    /** @return how often Chronicle indexes a record: every record at a multiple of this sequence has an entry. */
    int indexSpacing()
    {
        return indexSpacing;
    }

    /** @return the first index per Chronicle's metadata, -1 when empty or unknown. */
    long firstIndex()
    {
        return firstIndex;
    }

    /** @return the last index per Chronicle's metadata, -1 when empty or unknown. */
    long lastIndex()
    {
        return lastIndex;
    }

    /** @return the roll files in cycle order. */
    List<RollFile> rollFiles()
    {
        return rollFiles;
    }

    /** @return the sum of the roll files' message counts (-1 when unknown). */
    long messages()
    {
        long total = 0;
        for (final RollFile file : rollFiles)
        {
            if (file.messages() < 0)
            {
                return -1;
            }
            total += file.messages();
        }
        return total;
    }

    /** @return what could not be read from the metadata, or null. */
    String problem()
    {
        return problem;
    }
}
