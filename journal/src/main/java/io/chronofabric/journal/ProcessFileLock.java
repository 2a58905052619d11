package io.chronofabric.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * An exclusive OS lock on a file, held by this process, with the one rule Java's {@link FileLock} leaves to its
 * callers: the OS drops every lock a process holds on a file when the process closes <em>any</em> channel on that
 * file. So a file this process holds is never opened again here, neither to take it a second time nor to ask who
 * holds it: this JVM keeps the set of the files it holds and answers from it. Taking, asking and releasing are
 * serialised in this JVM (they are rare), so that no question opens a file while another thread is taking it. Used for
 * a journal folder's lock and a node id's lock.
 */
public final class ProcessFileLock implements AutoCloseable
{
    /** Guarded by the class: the files this process holds, by {@link #keyOf}. */
    private static final Set<Path> HELD_HERE = new HashSet<>();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private ProcessFileLock(final Path key, final FileChannel channel, final FileLock lock)
    {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of a file, creating the file (not its folder) if absent.
     *
     * @param file the lock file; its folder must exist.
     * @return the held lock, or null when this process or another one holds it.
     * @throws IOException when the file cannot be created, opened or locked.
     */
    public static synchronized ProcessFileLock tryAcquire(final Path file) throws IOException
    {
        final Path key = keyOf(file);
        if (!HELD_HERE.add(key))
        {
            return null;
        }
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            final FileLock lock = channel.tryLock();
            if (null == lock)
            {
                // another process holds it
                forget(key, channel);
                return null;
            }
            return new ProcessFileLock(key, channel, lock);
        }
        catch (final OverlappingFileLockException ex)
        {
            // held in this JVM through a channel of its own, not through this class: refused as held; closing the
            // channel this opened drops that holder's OS lock, as Java documents, which only this class avoids
            forget(key, channel);
            return null;
        }
        catch (final IOException | RuntimeException | Error ex)
        {
            forget(key, channel);
            throw ex;
        }
    }

    /**
     * @param file a lock file.
     * @return true when this process holds it through {@link #tryAcquire}.
     */
    public static synchronized boolean isHeldHere(final Path file)
    {
        try
        {
            return HELD_HERE.contains(keyOf(file));
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /**
     * Whether another process holds a file's lock, asked without taking it for more than a moment (a shared lock,
     * so a file that can only be read can be asked about too). Never opens a file this process holds.
     *
     * @param file a lock file.
     * @return true when a process other than this one holds it; false when none does, or this one does.
     * @throws IOException when the file cannot be opened.
     */
    public static synchronized boolean isHeldElsewhere(final Path file) throws IOException
    {
        if (isHeldHere(file))
        {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final FileLock probe = channel.tryLock(0, Long.MAX_VALUE, true);
            if (null == probe)
            {
                return true;
            }
            probe.release();
            return false;
        }
        catch (final OverlappingFileLockException ex)
        {
            // held in this JVM through a channel this class does not know of: not another process
            return false;
        }
    }

    /**
     * Reads a lock file unless this process holds it (then its channel is the one to read it through).
     *
     * @param file a lock file.
     * @return its bytes, or null when this process holds it.
     * @throws IOException when it cannot be read.
     */
    public static synchronized byte[] readUnlessHeldHere(final Path file) throws IOException
    {
        return HELD_HERE.contains(keyOf(file)) ? null : Files.readAllBytes(file);
    }

    /** @return the channel the lock is held through: read and write the file through it, never through another. */
    public FileChannel channel()
    {
        return channel;
    }

    /** @return true while the lock is held. */
    public boolean isValid()
    {
        return lock.isValid();
    }

    /** Releases the lock and closes the file; this process may take it again afterwards. */
    @Override
    public void close() throws IOException
    {
        synchronized (ProcessFileLock.class)
        {
            release();
        }
    }

    private void release() throws IOException
    {
        try
        {
            lock.release();
        }
        finally
        {
            try
            {
                channel.close();
            }
            finally
            {
                HELD_HERE.remove(key);
            }
        }
    }

    /** The same file however it is named (relative, through a link, with {@code ..}): its folder's real path. */
    private static Path keyOf(final Path file) throws IOException
    {
        final Path absolute = file.toAbsolutePath().normalize();
        final Path parent = absolute.getParent();
        return null == parent || !Files.exists(parent) ? absolute :
            parent.toRealPath().resolve(absolute.getFileName());
    }

    /** A take that failed: the channel it opened is closed (this process held no lock on the file) and the key goes. */
    private static void forget(final Path key, final FileChannel channel)
    {
        HELD_HERE.remove(key);
        if (null == channel)
        {
            return;
        }
        try
        {
            channel.close();
        }
        catch (final IOException ignored)
        {
            // the failure being reported matters more
        }
    }
}
