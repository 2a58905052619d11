package io.chronofabric.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Makes a folder and everything in it read-only for this test, and writable again on close. Permissions alone do
 * not stop root, so where they do not take effect the folder is also made immutable ({@code chattr +i}); a test is
 * skipped where neither works.
 */
public final class ReadOnlyFolder implements AutoCloseable
{
    private static final Set<PosixFilePermission> READ_ONLY_FOLDER = PosixFilePermissions.fromString("r-xr-xr-x");
    private static final Set<PosixFilePermission> READ_ONLY_FILE = PosixFilePermissions.fromString("r--r--r--");
    private static final Set<PosixFilePermission> WRITABLE_FOLDER = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> WRITABLE_FILE = PosixFilePermissions.fromString("rw-r--r--");

    private final Path root;
    private boolean immutable;

    private ReadOnlyFolder(final Path root)
    {
        this.root = root;
    }

    /**
     * @param root the folder.
     * @return a handle that makes it writable again.
     * @throws IOException when permissions cannot be changed.
     */
    public static ReadOnlyFolder of(final Path root) throws IOException
    {
        final ReadOnlyFolder folder = new ReadOnlyFolder(root);
        folder.setPermissions(READ_ONLY_FOLDER, READ_ONLY_FILE);
        if (Files.isWritable(root))
        {
            folder.immutable = chattr("+i", root);
        }
        if (Files.isWritable(root))
        {
            folder.close();
        }
        assumeFalse(Files.isWritable(root), "this user can write to any folder (root without chattr)");
        return folder;
    }

    @Override
    public void close() throws IOException
    {
        if (immutable)
        {
            chattr("-i", root);
            immutable = false;
        }
        setPermissions(WRITABLE_FOLDER, WRITABLE_FILE);
    }

    private void setPermissions(final Set<PosixFilePermission> folders, final Set<PosixFilePermission> files)
        throws IOException
    {
        final List<Path> paths;
        try (Stream<Path> walk = Files.walk(root))
        {
            paths = walk.collect(Collectors.toList());
        }
        for (final Path path : paths)
        {
            Files.setPosixFilePermissions(path, Files.isDirectory(path) ? folders : files);
        }
    }

    private static boolean chattr(final String flag, final Path root)
    {
        try
        {
            final Process process = new ProcessBuilder("chattr", "-R", flag, root.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(10, TimeUnit.SECONDS) && 0 == process.exitValue();
        }
        catch (final IOException ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
