package io.chronofabric.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Free space on the file system a journal folder is, or would be created, on: what a queue needs before Chronicle
 * writes a new file through its mapping, where a page the file system cannot back is a fault, not an error.
 */
public final class FreeSpace
{
    private FreeSpace()
    {
    }

    /**
     * @param dir a folder, or one not created yet: then the file system of its nearest existing ancestor, where it
     *            would be created.
     * @return bytes that file system has free for this process, or -1 when it cannot be told.
     */
    public static long usableBytes(final Path dir)
    {
        Path existing = dir.toAbsolutePath();
        while (null != existing.getParent() && !Files.exists(existing))
        {
            existing = existing.getParent();
        }
        try
        {
            return Files.getFileStore(existing).getUsableSpace();
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    /**
     * Refuses what would write a new file of {@code needed} bytes through a mapping when the file system has less.
     * An unknown free space does not refuse.
     *
     * @param dir    the queue's folder.
     * @param needed bytes the new file takes.
     * @param what   what needs them, for the message.
     * @throws JournalWriteException naming the folder, with an {@link IOException} saying "No space left on device".
     */
    static void require(final Path dir, final long needed, final String what)
    {
        final long usable = usableBytes(dir);
        if (usable >= 0 && usable < needed)
        {
            throw new JournalWriteException(dir, new IOException("No space left on device: " + usable + " bytes " +
                "free, under the " + needed + " " + what));
        }
    }
}
