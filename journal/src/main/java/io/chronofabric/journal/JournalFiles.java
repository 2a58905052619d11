package io.chronofabric.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a journal folder holds on disk: its Chronicle roll files and their size; and how a folder (a journal, a
 * scratch copy) is deleted whole.
 */
public final class JournalFiles
{
    /** Suffix of Chronicle Queue roll files. */
    public static final String ROLL_FILE_SUFFIX = ".cq4";

    private JournalFiles()
    {
    }

    /**
     * Deletes a folder and everything in it, files before their folders; a folder already gone is fine.
     *
     * @param dir the folder.
     * @throws IOException when something in it cannot be deleted.
     */
    public static void deleteFolder(final Path dir) throws IOException
    {
        if (null == dir || !Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : (Iterable<Path>)paths.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * @param dir a journal folder.
     * @return its roll files, sorted by name (which is cycle order); empty when the folder is absent.
     */
    public static List<Path> rollFiles(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(f -> f.getFileName().toString().endsWith(ROLL_FILE_SUFFIX)).sorted()
                .collect(Collectors.toList());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list journal folder " + dir, ex);
        }
    }

    /**
     * @param dir a journal folder.
     * @return the bytes its files occupy on disk (allocated blocks where the file system reports them, since
     *     Chronicle files are sparse), 0 when absent.
     */
    public static long bytesOnDisk(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir))
        {
            return files.filter(Files::isRegularFile).mapToLong(JournalFiles::allocatedBytes).sum();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot size journal folder " + dir, ex);
        }
    }

    /**
     * @param dir a journal folder.
     * @return the number of records in it, each read and CRC-checked.
     * @throws JournalCorruptionException at the first corrupt record.
     */
    public static long countRecords(final Path dir)
    {
        if (rollFiles(dir).isEmpty())
        {
            return 0;
        }
        final MessageRecord record = new MessageRecord(EngineLimits.MAX_DEPENDENCIES, EngineLimits.MAX_PAYLOAD);
        long count = 0;
        try (JournalReader reader = new JournalReader(dir, record.dependencyCapacity(), record.payloadCapacity()))
        {
            while (reader.next(record))
            {
                count++;
            }
        }
        return count;
    }

    /**
     * @param file a file of a journal folder.
     * @return the disk its data takes (roll files are sparse: their size says little), 0 when it is gone.
     */
    public static long allocatedBytes(final Path file)
    {
        try
        {
            return FileExtents.dataBytes(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot size " + file, ex);
        }
    }
}
