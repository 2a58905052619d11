package io.chronofabric.journal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * Replaces the small files a journal folder keeps beside its queues (what retention deleted, a node's identity, the
 * clock refusals of a peer) whole: a temporary file, moved over the old one atomically, so a crash leaves either the
 * old file or the new one. Forced, the temporary file is on disk before the move and the move is forced through the
 * folder, so a power loss does too: for what must not be lost while what it describes changes (retention deletes
 * the cycles its summary counted).
 */
public final class DurableFiles
{
    private DurableFiles()
    {
    }

    /**
     * @param file    the file to replace (or create).
     * @param content what it holds from now on, position to limit; consumed.
     * @param force   force the new file and the move to disk.
     * @throws IOException when it cannot be written, forced or moved (the old file is then still in place), or when
     *     the folder cannot be forced after the move.
     */
    public static void replace(final Path file, final ByteBuffer content, final boolean force) throws IOException
    {
        final Path written = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(written, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            while (content.hasRemaining())
            {
                channel.write(content);
            }
            if (force)
            {
                channel.force(true);
            }
        }
        Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        if (force)
        {
            // the move itself: without it a power loss can bring the old file back
            try (FileChannel folder = FileChannel.open(file.getParent(), StandardOpenOption.READ))
            {
                folder.force(true);
            }
        }
    }

    /**
     * Replaces {@code file} with {@code properties}, forced to disk.
     *
     * @param file       the file to replace.
     * @param properties what it holds.
     * @param comment    its first line.
     * @throws IOException as {@link #replace}.
     */
    public static void storeProperties(final Path file, final Properties properties, final String comment)
        throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        properties.store(bytes, comment);
        replace(file, ByteBuffer.wrap(bytes.toByteArray()), true);
    }

    /**
     * @param file a properties file.
     * @return what it holds; empty when there is no such file.
     * @throws IOException when it exists but cannot be read.
     */
    public static Properties loadProperties(final Path file) throws IOException
    {
        final Properties properties = new Properties();
        if (Files.exists(file))
        {
            try (Reader reader = Files.newBufferedReader(file))
            {
                properties.load(reader);
            }
        }
        return properties;
    }
}
