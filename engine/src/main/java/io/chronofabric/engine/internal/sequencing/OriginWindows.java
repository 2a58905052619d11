package io.chronofabric.engine.internal.sequencing;

import io.chronofabric.journal.RecordLayout;

/**
 * Per origin node, which origin ids (the ids other nodes gave the messages they shipped here) this sequencer has
 * released and which it dead-lettered: what a cross-node dependency ({@link RecordLayout#remoteDependency}) is
 * checked against. Each node's {@link IdWindow}s are allocated the first time that node needs them (a message of it
 * released or dead-lettered, or a floor given at start) and sized like the local ones; after that, marking and
 * looking up allocate nothing. Ids at or below a node's floor count as released; ids that slid out of a node's window
 * (more than the window below the highest id marked for it) count as released too, as for local ids. Owned by the
 * sequencer thread.
 */
public final class OriginWindows
{
    private static final IdWindow[] NONE = new IdWindow[0];

    private final int capacity;
    private IdWindow[] released = NONE;
    private IdWindow[] dead = NONE;

    /**
     * @param capacity origin ids tracked per node, a power of two ({@code dependencies.window}).
     */
    public OriginWindows(final int capacity)
    {
        this.capacity = capacity;
    }

    /**
     * Origin ids of {@code node} at or below {@code originId} were settled before this engine started: they count as
     * released. Only before the first message of that node is marked (a later floor replaces the window, and with it
     * what was marked); a lower floor than the one given keeps the higher.
     *
     * @param node     the origin node.
     * @param originId the floor.
     */
    void floor(final int node, final long originId)
    {
        ensure(node);
        if (null == released[node] || released[node].floor() < originId)
        {
            released[node] = new IdWindow(capacity, Math.max(0, originId));
        }
        deadOf(node);
    }

    /** @param node an origin node. @param originId an id it gave a message this sequencer released. */
    void markReleased(final int node, final long originId)
    {
        windowsOf(node);
        released[node].mark(originId);
    }

    /** @param node an origin node. @param originId an id it gave a message this sequencer dead-lettered. */
    public void markDead(final int node, final long originId)
    {
        // the dead window alone: a reader that tracks only the dead (the delivery stage) never allocates a released one
        deadOf(node).mark(originId);
    }

    /**
     * @param dependency a cross-node dependency.
     * @return true when the message it names was released here, is at or below its node's floor, or slid out of its
     *     node's window.
     */
    boolean isReleased(final long dependency)
    {
        final int node = RecordLayout.remoteDependencyNode(dependency);
        return node < released.length && null != released[node] &&
            released[node].isMarked(RecordLayout.remoteDependencyOriginId(dependency));
    }

    /**
     * @param dependency a cross-node dependency.
     * @return true when the message it names was dead-lettered here (and is still tracked).
     */
    public boolean isDead(final long dependency)
    {
        final int node = RecordLayout.remoteDependencyNode(dependency);
        if (node >= dead.length || null == dead[node])
        {
            return false;
        }
        final long originId = RecordLayout.remoteDependencyOriginId(dependency);
        return !dead[node].isTooOld(originId) && dead[node].isMarked(originId);
    }

    private void windowsOf(final int node)
    {
        if (node >= released.length || null == released[node])
        {
            floor(node, 0);
        }
    }

    /** @return the node's dead window, made (with floor 0) the first time it is needed. */
    private IdWindow deadOf(final int node)
    {
        ensure(node);
        if (null == dead[node])
        {
            dead[node] = new IdWindow(capacity, 0);
        }
        return dead[node];
    }

    private void ensure(final int node)
    {
        if (node >= released.length)
        {
            final int length = Math.min(0x10000, Math.max(node + 1, 2 * released.length));
            released = java.util.Arrays.copyOf(released, length);
            dead = java.util.Arrays.copyOf(dead, length);
        }
    }
}
