package io.chronofabric.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.chronofabric.journal.ProcessFileLock;

/**
 * The lock that makes a node id one process: held on {@code node-ID.lock} beside the node's media driver directory
 * for as long as the node runs. The operating system drops it when the process dies, so the directory a killed node
 * left is reclaimed by the next start at once, while a second live process with the same id is refused. Taken through
 * {@link ProcessFileLock}, so that a second start of the id in the node's own process never drops the lock for other
 * processes.
 */
final class NodeLock implements AutoCloseable
{
    private final ProcessFileLock lock;

    private NodeLock(final ProcessFileLock lock)
    {
        this.lock = lock;
    }

    /**
     * @param baseDir the folder holding the node directories.
     * @param nodeId  the node id.
     * @return the held lock.
     * @throws NodeInUseException when another live process, or this one, holds it.
     */
    static NodeLock acquire(final Path baseDir, final int nodeId)
    {
        final Path file = baseDir.resolve("node-" + nodeId + ".lock");
        try
        {
            Files.createDirectories(baseDir);
            final ProcessFileLock lock = ProcessFileLock.tryAcquire(file);
            if (null == lock)
            {
                throw new NodeInUseException(nodeId, file);
            }
            return new NodeLock(lock);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot lock node " + nodeId + " at " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** @param baseDir the folder holding the node directories. @param nodeId the node. @return its driver folder. */
    static Path driverDir(final Path baseDir, final int nodeId)
    {
        return baseDir.resolve("node-" + nodeId);
    }

    @Override
    public void close()
    {
        try
        {
            lock.close();
        }
        catch (final IOException ignored)
        {
            // closing the file drops the lock whatever the release said
        }
    }
}
