package io.chronofabric.journal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * Writes the small properties files a journal folder keeps beside its queues (what retention deleted, a node's
 * identity) so that a power loss leaves either the old file or the new one, whole: a temporary file forced to disk,
 * moved over the old one atomically, and the move forced through the folder. They are written rarely, and what they
 * record must not be lost while what it describes changes (retention deletes the cycles the summary counted).
 */
public final class PropertiesFiles
{
    private PropertiesFiles()
    {
    }

    /**
     * @param file       the file to replace.
     * @param properties what it holds.
     * @param comment    its first line.
     * @throws IOException when it cannot be written, forced or moved (the old file is then still in place), or when
     *     the folder cannot be forced after the move.
     */
    public static void storeDurably(final Path file, final Properties properties, final String comment)
        throws IOException
    {
        final Path written = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(written, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            final OutputStream out = Channels.newOutputStream(channel);
            properties.store(out, comment);
            out.flush();
            channel.force(true);
        }
        Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel folder = FileChannel.open(file.getParent(), StandardOpenOption.READ))
        {
            folder.force(true);
        }
    }
}
