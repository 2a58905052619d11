package io.chronofabric.node;

/**
 * A node id held for a node about to start ({@link Node#reserve}): its lock is taken, so no other process can start
 * the same node id until this reservation is closed or the node started with it ({@link Node#start(NodeReservation,
 * io.chronofabric.engine.internal.Engine)}) closes. Taken before the journal is touched, so that of two processes
 * started at once with the same node id, the one refused has changed nothing.
 */
public final class NodeReservation implements AutoCloseable
{
    private final NodeConfiguration configuration;
    private NodeLock lock;

    NodeReservation(final NodeConfiguration configuration, final NodeLock lock)
    {
        this.configuration = configuration;
        this.lock = lock;
    }

    /** @return the configuration of the node reserved. */
    public NodeConfiguration configuration()
    {
        return configuration;
    }

    /** @return the held lock, now the starting node's to close. */
    NodeLock handOver()
    {
        final NodeLock held = lock;
        if (null == held)
        {
            throw new IllegalStateException("node " + configuration.nodeId() + "'s reservation was already used " +
                "or closed");
        }
        lock = null;
        return held;
    }

    /** Lets the node id go, unless a node was started with it (which then holds it until it closes). */
    @Override
    public void close()
    {
        final NodeLock held = lock;
        lock = null;
        if (null != held)
        {
            held.close();
        }
    }
}
