package io.chronofabric.journal;

/**
 * The versioned binary layout of one journaled message, as written into one Chronicle Queue document.
 * All integers are little-endian. Documented field by field in {@code journal/README.md}.
 *
 * <pre>
 * offset size field
 *  0      1   version            (currently 2; version 1 records, without the origin id, are still read)
 *  1      1   flags
 *  2      1   priority           (0..255, higher is more important)
 *  3      1   reserved           (0)
 *  4      2   dependency count n (0..65535, bounded further by the engine)
 *  6      2   origin node id     (node that published the message; 0 = a single-node engine)
 *  8      4   message type
 * 12      4   source component id
 * 16      8   message id
 * 24      8   HLC wall time, epoch nanoseconds
 * 32      4   HLC logical counter
 * 36      4   payload length p
 * 40      8   deadline, epoch nanoseconds (0 = none)
 * 48      8   origin id          (the message id its origin node gave it; equals the message id for local ones)
 * 56     8n   dependency ids     (a negative id is a cross-node dependency, see {@link #remoteDependency})
 * 56+8n   p   payload
 * 56+8n+p 4   CRC32C over bytes [0, 56+8n+p)
 * </pre>
 */
public final class RecordLayout
{
    /** The record version this code writes and reads. */
    public static final int VERSION = 2;
    /** The first record version, without the origin id (its header is {@link #V1_HEADER_LENGTH} bytes). */
    public static final int VERSION_1 = 1;

    /** Offset of the version byte. */
    public static final int VERSION_OFFSET = 0;
    /** Offset of the flags byte. */
    public static final int FLAGS_OFFSET = 1;
    /** Offset of the priority byte. */
    public static final int PRIORITY_OFFSET = 2;
    /** Offset of the reserved byte that must be zero. */
    public static final int RESERVED_OFFSET = 3;
    /** Offset of the unsigned 16-bit dependency count. */
    public static final int DEPENDENCY_COUNT_OFFSET = 4;
    /** Offset of the unsigned 16-bit origin node id. */
    public static final int ORIGIN_NODE_OFFSET = 6;
    /** Offset of the 32-bit message type. */
    public static final int TYPE_OFFSET = 8;
    /** Offset of the 32-bit source component id. */
    public static final int SOURCE_OFFSET = 12;
    /** Offset of the 64-bit message id. */
    public static final int ID_OFFSET = 16;
    /** Offset of the 64-bit HLC wall time. */
    public static final int HLC_WALL_OFFSET = 24;
    /** Offset of the 32-bit HLC logical counter. */
    public static final int HLC_LOGICAL_OFFSET = 32;
    /** Offset of the 32-bit payload length. */
    public static final int PAYLOAD_LENGTH_OFFSET = 36;
    /** Offset of the 64-bit deadline. */
    public static final int DEADLINE_OFFSET = 40;
    /** Offset of the 64-bit origin id (version 2). */
    public static final int ORIGIN_ID_OFFSET = 48;
    /** Length of a version 1 header. */
    public static final int V1_HEADER_LENGTH = 48;
    /** Length of the fixed header; dependencies start here. */
    public static final int HEADER_LENGTH = 56;
    /** Length of one dependency id. */
    public static final int DEPENDENCY_LENGTH = 8;
    /** Length of the trailing CRC32C. */
    public static final int CRC_LENGTH = 4;
    /** Largest dependency count the layout can hold. */
    public static final int MAX_DEPENDENCIES = 0xFFFF;
    /** Largest priority the layout can hold. */
    public static final int MAX_PRIORITY = 0xFF;
    /** Largest origin id a cross-node dependency can name. */
    public static final long MAX_REMOTE_ORIGIN_ID = (1L << 47) - 1;

    private RecordLayout()
    {
    }

    /**
     * Length in bytes of a record.
     *
     * @param dependencyCount number of dependency ids.
     * @param payloadLength   payload bytes.
     * @return the whole record length, CRC included.
     */
    public static int recordLength(final int dependencyCount, final int payloadLength)
    {
        return HEADER_LENGTH + dependencyCount * DEPENDENCY_LENGTH + payloadLength + CRC_LENGTH;
    }

    /**
     * Offset of the payload in a record.
     *
     * @param dependencyCount number of dependency ids.
     * @return the payload offset.
     */
    public static int payloadOffset(final int dependencyCount)
    {
        return HEADER_LENGTH + dependencyCount * DEPENDENCY_LENGTH;
    }

    /**
     * The dependency id that names a message of another node: the sign bit set, then the 16-bit node and the 47-bit
     * origin id. Local message ids are positive, so the two never meet.
     *
     * @param node     the origin node, 1..65535.
     * @param originId the id the origin node gave the message, 1..{@link #MAX_REMOTE_ORIGIN_ID}.
     * @return the encoded dependency.
     */
    public static long remoteDependency(final int node, final long originId)
    {
        if (node < 1 || node > 0xFFFF || originId < 1 || originId > MAX_REMOTE_ORIGIN_ID)
        {
            throw new IllegalArgumentException("cross-node dependency (node " + node + ", id " + originId +
                ") must have node in [1, 65535] and id in [1, " + MAX_REMOTE_ORIGIN_ID + "]");
        }
        return Long.MIN_VALUE | ((long)node << 47) | originId;
    }

    /**
     * @param record a journaled record.
     * @return the cross-node dependency that names it when another node shipped it here with an origin id that can
     *     be named ({@link RecordFlags#REMOTE}, origin node 1..65535, origin id 1..{@link #MAX_REMOTE_ORIGIN_ID}),
     *     else 0: this node's own message, or one relayed with another node's clock only (origin id 0).
     */
    public static long crossNodeName(final MessageRecord record)
    {
        final int node = record.originNode();
        final long originId = record.originId();
        if (0 == (record.flags() & RecordFlags.REMOTE) || originId < 1 || originId > MAX_REMOTE_ORIGIN_ID ||
            node < 1 || node > 0xFFFF)
        {
            return 0;
        }
        return remoteDependency(node, originId);
    }

    /** @param dependency a dependency id. @return true when it names a message of another node. */
    public static boolean isRemoteDependency(final long dependency)
    {
        return dependency < 0;
    }

    /** @param dependency a cross-node dependency. @return its origin node. */
    public static int remoteDependencyNode(final long dependency)
    {
        return (int)((dependency >>> 47) & 0xFFFF);
    }

    /** @param dependency a cross-node dependency. @return its origin id. */
    public static long remoteDependencyOriginId(final long dependency)
    {
        return dependency & MAX_REMOTE_ORIGIN_ID;
    }
}
