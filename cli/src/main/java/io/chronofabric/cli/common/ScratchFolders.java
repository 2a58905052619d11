package io.chronofabric.cli.common;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.chronofabric.journal.JournalFiles;

/**
 * Temporary folders for throwaway journals (the warm-up engine's, the replay engine's), named with the id of the
 * process that made them: a process killed before deleting its folder leaves it behind, hundreds of megabytes, and
 * the next one to make a folder of the same kind deletes it, once no process of that id is alive.
 */
public final class ScratchFolders
{
    private ScratchFolders()
    {
    }

    /**
     * Creates a folder {@code <tmpdir>/<prefix>-<pid>-<random>}, first deleting the folders of this prefix that
     * processes no longer alive left.
     *
     * @param prefix what the folder is for, e.g. {@code chronofabric-warmup}.
     * @return the new, empty folder; the caller deletes it ({@link #delete}).
     * @throws IOException when it cannot be created.
     */
    public static Path create(final String prefix) throws IOException
    {
        final Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        deleteLeftBehind(tmp, prefix);
        return Files.createTempDirectory(tmp, prefix + "-" + ProcessHandle.current().pid() + "-");
    }

    /**
     * Deletes a folder and everything in it; nothing when it is absent.
     *
     * @param root the folder.
     * @throws IOException when a file cannot be deleted.
     */
    public static void delete(final Path root) throws IOException
    {
        JournalFiles.deleteFolder(root);
    }

    /** Best effort: a folder that cannot be listed or deleted is left for the next try. */
    static void deleteLeftBehind(final Path tmp, final String prefix)
    {
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(tmp, prefix + "-*-*"))
        {
            for (final Path folder : folders)
            {
                final long pid = pidOf(folder.getFileName().toString(), prefix);
                if (pid > 0 && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                {
                    delete(folder);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // another process may be deleting the same folder; what is left goes next time
        }
    }

    /** @return the process id in {@code <prefix>-<pid>-<random>}; -1 when the name is not of that form. */
    static long pidOf(final String name, final String prefix)
    {
        final int start = prefix.length() + 1;
        final int end = name.indexOf('-', start);
        if (!name.startsWith(prefix + "-") || end <= start)
        {
            return -1;
        }
        try
        {
            return Long.parseLong(name.substring(start, end));
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }
}
