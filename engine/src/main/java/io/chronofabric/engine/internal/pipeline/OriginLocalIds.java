package io.chronofabric.engine.internal.pipeline;

import java.util.Arrays;

import io.chronofabric.journal.RecordLayout;

/**
 * The local ids that messages shipped from other nodes got here, by (origin node, origin id): what lets the delivery
 * stage treat a cross-node dependency as it treats a local one (a dependent waits behind its dependency's retry, and
 * follows it when it was delivered to none). The delivery stage remembers only the shipped messages that were parked,
 * left pending or dead. One slot per origin id modulo the capacity, per node: a later such message of the same node
 * whose origin id falls in the same slot takes it over. A node's two arrays are allocated the first time one of its
 * messages is remembered; after that, remembering and looking up allocate nothing. Owned by the delivery stage's
 * thread.
 */
final class OriginLocalIds
{
    /** Most slots per node: 1 MiB per node whose messages were remembered. */
    static final int MAX_CAPACITY = 1 << 16;
    private static final long[][] NONE = new long[0][];

    private final int mask;
    private long[][] originIds = NONE;
    private long[][] localIds = NONE;

    /** @param capacity slots per node, a power of two, at most {@link #MAX_CAPACITY}. */
    OriginLocalIds(final int capacity)
    {
        if (Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity " + capacity + " must be a power of two");
        }
        this.mask = capacity - 1;
    }

    /**
     * @param node     the origin node, 1..65535.
     * @param originId the id it gave the message, >= 1.
     * @param localId  the id the message got here.
     */
    void remember(final int node, final long originId, final long localId)
    {
        if (node >= originIds.length)
        {
            final int length = Math.min(0x10000, Math.max(node + 1, 2 * originIds.length));
            originIds = Arrays.copyOf(originIds, length);
            localIds = Arrays.copyOf(localIds, length);
        }
        if (null == originIds[node])
        {
            originIds[node] = new long[mask + 1];
            localIds[node] = new long[mask + 1];
        }
        final int slot = (int)(originId & mask);
        originIds[node][slot] = originId;
        localIds[node][slot] = localId;
    }

    /**
     * @param remoteDependency a cross-node dependency ({@link RecordLayout#remoteDependency}).
     * @return the local id of the message it names, 0 when that message has not passed here or is too far back.
     */
    long localIdOf(final long remoteDependency)
    {
        final int node = RecordLayout.remoteDependencyNode(remoteDependency);
        final long originId = RecordLayout.remoteDependencyOriginId(remoteDependency);
        if (node >= originIds.length || null == originIds[node])
        {
            return 0;
        }
        final int slot = (int)(originId & mask);
        return originIds[node][slot] == originId ? localIds[node][slot] : 0;
    }
}
