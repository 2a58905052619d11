package io.chronofabric.node;

import java.nio.file.Path;

/**
 * Another live process runs this node id ({@link NodeLock}): two processes of one node would each resume its stream
 * and hand out the same origin ids.
 */
public final class NodeInUseException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param nodeId the node id.
     * @param lock   the lock file the other process holds.
     */
    public NodeInUseException(final int nodeId, final Path lock)
    {
        super("node " + nodeId + " is already running in another process (it holds " + lock + "); one process per " +
            "node id");
    }
}
