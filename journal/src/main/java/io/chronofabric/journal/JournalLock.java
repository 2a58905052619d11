package io.chronofabric.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One engine per journal folder: an OS file lock on {@code chronofabric.lock} inside it, taken when an engine starts
 * and released when it closes (or its process dies: the kernel drops the lock with the process, so a SIGKILLed
 * engine never leaves a stale lock). The file holds the holder's pid, so a second engine, in this process or
 * another, is told who has the folder. Taken through {@link ProcessFileLock}, so that asking in the engine's own
 * process who holds the folder, or trying a second engine there, never drops the lock for other processes.
 */
public final class JournalLock implements AutoCloseable
{
    /** Name of the lock file inside a journal folder. */
    public static final String FILE = "chronofabric.lock";

    private final Path dir;
    private final ProcessFileLock lock;

    private JournalLock(final Path dir, final ProcessFileLock lock)
    {
        this.dir = dir;
        this.lock = lock;
    }

    /**
     * Takes the lock of a journal folder, creating the folder if absent.
     *
     * @param dir the journal folder.
     * @return the held lock; close it to release it.
     * @throws JournalInUseException when another engine holds it.
     * @throws UncheckedIOException  when the lock file cannot be created or written.
     */
    public static JournalLock acquire(final Path dir)
    {
        ProcessFileLock lock = null;
        try
        {
            Files.createDirectories(dir);
            final Path file = dir.resolve(FILE);
            lock = ProcessFileLock.tryAcquire(file);
            if (null == lock)
            {
                throw new JournalInUseException(dir, holderPid(file));
            }
            lock.channel().truncate(0);
            lock.channel().write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid())
                .getBytes(StandardCharsets.US_ASCII)), 0);
            return new JournalLock(dir, lock);
        }
        catch (final IOException ex)
        {
            closeQuietly(lock);
            throw new UncheckedIOException("cannot lock journal folder " + dir.toAbsolutePath() + ": " + ex.getMessage(), ex);
        }
        catch (final RuntimeException ex)
        {
            closeQuietly(lock);
            throw ex;
        }
    }

    /** @return the journal folder this lock is of. */
    public Path dir()
    {
        return dir;
    }

    /** @return true while this lock is held: no other engine, in any process, is writing the folder. */
    public boolean held()
    {
        return lock.isValid();
    }

    /**
     * @param dir a journal folder.
     * @return the pid of the engine holding it (-1 when the holder is not known), or 0 when no engine holds it.
     */
    public static long holder(final Path dir)
    {
        final Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file))
        {
            return 0;
        }
        if (ProcessFileLock.isHeldHere(file))
        {
            return ProcessHandle.current().pid();
        }
        try
        {
            return ProcessFileLock.isHeldElsewhere(file) ? holderPid(file) : 0;
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    /** The pid a held lock file names: this process's when it holds it, -1 when the file names none. */
    private static long holderPid(final Path file)
    {
        try
        {
            final byte[] text = ProcessFileLock.readUnlessHeldHere(file);
            return null == text ? ProcessHandle.current().pid() :
                Long.parseLong(new String(text, StandardCharsets.US_ASCII).trim());
        }
        catch (final IOException | NumberFormatException ex)
        {
            return -1;
        }
    }

    private static void closeQuietly(final ProcessFileLock lock)
    {
        if (null != lock)
        {
            try
            {
                lock.close();
            }
            catch (final IOException ignored)
            {
                // the failure being reported matters more
            }
        }
    }

    /** Releases the lock. */
    @Override
    public void close()
    {
        try
        {
            lock.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
