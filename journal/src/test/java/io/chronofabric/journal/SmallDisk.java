package io.chronofabric.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A small tmpfs mounted for a test that fills its disk (the journal, the trace, the settlement log failing closed).
 * Mounting needs root, as on CI; elsewhere the test is skipped, saying why.
 */
public final class SmallDisk implements AutoCloseable
{
    private final Path mountPoint;

    private SmallDisk(final Path mountPoint)
    {
        this.mountPoint = mountPoint;
    }

    /**
     * @param parent    a folder of the test's own, which receives the mount point {@code disk}.
     * @param megabytes the disk's size.
     * @return the mounted disk; the test is skipped where it cannot be mounted.
     * @throws IOException when the mount point cannot be created.
     */
    public static SmallDisk mount(final Path parent, final int megabytes) throws IOException
    {
        final Path mountPoint = Files.createDirectories(parent.resolve("disk"));
        assumeTrue(0 == command("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs",
            mountPoint.toString()), "cannot mount a tmpfs here (needs root)");
        return new SmallDisk(mountPoint);
    }

    /** @return the disk's root folder. */
    public Path path()
    {
        return mountPoint;
    }

    /**
     * Grows (or shrinks) the disk in place, keeping its files: frees room on a disk a test filled.
     *
     * @param megabytes the disk's new size.
     */
    public void resize(final int megabytes)
    {
        if (0 != command("mount", "-o", "remount,size=" + megabytes + "m", mountPoint.toString()))
        {
            throw new IllegalStateException("cannot resize the tmpfs at " + mountPoint + " to " + megabytes + " MiB");
        }
    }

    /** Unmounts lazily: an engine's mapped files are unmapped when the garbage collector gets to them. */
    @Override
    public void close()
    {
        command("umount", "-l", mountPoint.toString());
    }

    private static int command(final String... command)
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
        }
        catch (final IOException ex)
        {
            return -1;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
