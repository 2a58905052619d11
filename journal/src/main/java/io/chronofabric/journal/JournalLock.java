package io.chronofabric.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One engine per journal folder: an OS file lock on {@code chronofabric.lock} inside it, taken when an engine starts
 * and released when it closes (or its process dies: the kernel drops the lock with the process, so a SIGKILLed
 * engine never leaves a stale lock). The file holds the holder's pid, so a second engine, in this process or
 * another, is told who has the folder.
 */
public final class JournalLock implements AutoCloseable
{
    /** Name of the lock file inside a journal folder. */
    public static final String FILE = "chronofabric.lock";

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private JournalLock(final Path dir, final FileChannel channel, final FileLock lock)
    {
        this.dir = dir;
        this.channel = channel;
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
        FileChannel channel = null;
        try
        {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            final FileLock lock = tryLock(channel);
            if (null == lock)
            {
                throw new JournalInUseException(dir, readHolder(channel));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)), 0);
            return new JournalLock(dir, channel, lock);
        }
        catch (final IOException ex)
        {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock journal folder " + dir.toAbsolutePath() + ": " + ex.getMessage(), ex);
        }
        catch (final RuntimeException ex)
        {
            closeQuietly(channel);
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
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final FileLock lock = tryLock(channel);
            if (null != lock)
            {
                lock.release();
                return 0;
            }
            return readHolder(channel);
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    /** A lock held by this JVM through another channel is reported by Java as an exception, by the OS as null. */
    private static FileLock tryLock(final FileChannel channel) throws IOException
    {
        try
        {
            return channel.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            return null;
        }
    }

    private static long readHolder(final FileChannel channel)
    {
        try
        {
            final ByteBuffer text = ByteBuffer.allocate(32);
            channel.read(text, 0);
            return Long.parseLong(new String(text.array(), 0, text.position(), StandardCharsets.US_ASCII).trim());
        }
        catch (final IOException | NumberFormatException ex)
        {
            return -1;
        }
    }

    private static void closeQuietly(final FileChannel channel)
    {
        if (null != channel)
        {
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

    /** Releases the lock. */
    @Override
    public void close()
    {
        try
        {
            lock.release();
            channel.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
