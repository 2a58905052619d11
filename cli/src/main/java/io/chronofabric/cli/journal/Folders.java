package io.chronofabric.cli.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removes the temporary folders the tool creates (the replay engine's journal).
 */
final class Folders
{
    private Folders()
    {
    }

    /**
     * Deletes a folder and everything in it; nothing when it is absent.
     *
     * @param root the folder.
     * @throws IOException when a file cannot be deleted.
     */
    static void delete(final Path root) throws IOException
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : (Iterable<Path>)paths.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.delete(path);
            }
        }
    }
}
