package io.chronofabric.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whether a file or folder can really be written, asked by trying: permissions are not the whole answer (root may
 * write anywhere, but not in {@code /proc}), and a command should refuse such a path before its work, not after.
 * What a probe creates, it removes again.
 */
public final class WriteProbe
{
    private WriteProbe()
    {
    }

    /**
     * Opens the file for writing (creating it, and removing it again if this made it), writing nothing.
     *
     * @param file a file.
     * @return why it cannot be written; null when it can.
     */
    public static String cannotWrite(final Path file)
    {
        final boolean existed = Files.exists(file);
        try (FileChannel ignored = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE))
        {
            if (!existed)
            {
                Files.deleteIfExists(file);
            }
            return null;
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            return String.valueOf(ex.getMessage());
        }
    }

    /**
     * Creates the first missing folder on the way to {@code dir}, and removes it again.
     *
     * @param dir a folder that does not exist yet.
     * @return why it cannot be created; null when it can (or exists).
     */
    public static String cannotCreate(final Path dir)
    {
        Path first = dir.toAbsolutePath();
        if (Files.exists(first))
        {
            return null;
        }
        while (null != first.getParent() && !Files.exists(first.getParent()))
        {
            first = first.getParent();
        }
        try
        {
            Files.createDirectory(first);
            Files.delete(first);
            return null;
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            return String.valueOf(ex.getMessage());
        }
    }
}
