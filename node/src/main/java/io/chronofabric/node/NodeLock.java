package io.chronofabric.node;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.agrona.CloseHelper;

/**
 * The lock that makes a node id one process: held on {@code node-ID.lock} beside the node's media driver directory
 * for as long as the node runs. The operating system drops it when the process dies, so the directory a killed node
 * left is reclaimed by the next start at once, while a second live process with the same id is refused.
 */
final class NodeLock implements AutoCloseable
{
    private final FileChannel channel;
    private final FileLock lock;

    private NodeLock(final FileChannel channel, final FileLock lock)
    {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param baseDir the folder holding the node directories.
     * @param nodeId  the node id.
     * @return the held lock.
     * @throws NodeInUseException when another live process holds it.
     */
    static NodeLock acquire(final Path baseDir, final int nodeId)
    {
        final Path file = baseDir.resolve("node-" + nodeId + ".lock");
        FileChannel channel = null;
        try
        {
            Files.createDirectories(baseDir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            final FileLock lock = channel.tryLock();
            if (null == lock)
            {
                throw refused(nodeId, file);
            }
            return new NodeLock(channel, lock);
        }
        catch (final OverlappingFileLockException ex)
        {
            CloseHelper.quietClose(channel);
            throw refused(nodeId, file);
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(channel);
            throw new IllegalStateException("cannot lock node " + nodeId + " at " + file + ": " + ex.getMessage(), ex);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(channel);
            throw ex;
        }
    }

    /** @param baseDir the folder holding the node directories. @param nodeId the node. @return its driver folder. */
    static Path driverDir(final Path baseDir, final int nodeId)
    {
        return baseDir.resolve("node-" + nodeId);
    }

    private static NodeInUseException refused(final int nodeId, final Path file)
    {
        return new NodeInUseException(nodeId, file);
    }

    @Override
    public void close()
    {
        try
        {
            lock.release();
        }
        catch (final IOException ignored)
        {
            // the channel close below drops the lock anyway
        }
        CloseHelper.quietClose(channel);
    }
}
