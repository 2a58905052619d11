package io.chronofabric.journal;

import java.util.Arrays;

/**
 * One message as it is journaled: header fields, declared dependencies and payload.
 * Preallocated with fixed capacities and mutated in place, so that the pipeline and the readers allocate nothing
 * per message. Not thread-safe: one owner at a time (the ring slot, or a reader).
 */
public final class MessageRecord
{
    private final long[] dependencies;
    private final byte[] payload;

    private long id;
    private long hlcWall;
    private int hlcLogical;
    private int type;
    private int source;
    private int priority;
    private int flags;
    private int originNode;
    private long originId;
    private long deadlineEpochNanos;
    private int dependencyCount;
    private int payloadLength;

    /**
     * @param maxDependencies the most dependency ids a message may declare.
     * @param payloadCapacity the largest payload in bytes.
     */
    public MessageRecord(final int maxDependencies, final int payloadCapacity)
    {
        if (maxDependencies < 0 || maxDependencies > RecordLayout.MAX_DEPENDENCIES)
        {
            throw new IllegalArgumentException(
                "maxDependencies=" + maxDependencies + " must be in [0, " + RecordLayout.MAX_DEPENDENCIES + "]");
        }
        if (payloadCapacity < 0)
        {
            throw new IllegalArgumentException("payloadCapacity=" + payloadCapacity + " must be >= 0");
        }
        this.dependencies = new long[maxDependencies];
        this.payload = new byte[payloadCapacity];
    }

    /** Clears every field to its empty value; capacities are kept. */
    public void clear()
    {
        id = 0;
        hlcWall = 0;
        hlcLogical = 0;
        type = 0;
        source = 0;
        priority = 0;
        flags = 0;
        originNode = 0;
        originId = 0;
        deadlineEpochNanos = 0;
        dependencyCount = 0;
        payloadLength = 0;
    }

    /**
     * Copies every field of another record into this one.
     *
     * @param other the record to copy; its dependencies and payload must fit this one's capacities.
     */
    public void copyFrom(final MessageRecord other)
    {
        id = other.id;
        hlcWall = other.hlcWall;
        hlcLogical = other.hlcLogical;
        type = other.type;
        source = other.source;
        priority = other.priority;
        flags = other.flags;
        originNode = other.originNode;
        originId = other.originId;
        deadlineEpochNanos = other.deadlineEpochNanos;
        dependencyCount(other.dependencyCount);
        System.arraycopy(other.dependencies, 0, dependencies, 0, other.dependencyCount);
        payloadLength(other.payloadLength);
        System.arraycopy(other.payload, 0, payload, 0, other.payloadLength);
    }

    /** @return the unique message id. */
    public long id()
    {
        return id;
    }

    /** @param id the unique message id. @return this. */
    public MessageRecord id(final long id)
    {
        this.id = id;
        return this;
    }

    /** @return HLC wall component, epoch nanoseconds. */
    public long hlcWall()
    {
        return hlcWall;
    }

    /** @return HLC logical component. */
    public int hlcLogical()
    {
        return hlcLogical;
    }

    /**
     * @param wall    HLC wall component, epoch nanoseconds.
     * @param logical HLC logical component.
     * @return this.
     */
    public MessageRecord hlc(final long wall, final int logical)
    {
        this.hlcWall = wall;
        this.hlcLogical = logical;
        return this;
    }

    /** @return the message type. */
    public int type()
    {
        return type;
    }

    /** @param type the message type. @return this. */
    public MessageRecord type(final int type)
    {
        this.type = type;
        return this;
    }

    /** @return the source component id. */
    public int source()
    {
        return source;
    }

    /** @param source the source component id. @return this. */
    public MessageRecord source(final int source)
    {
        this.source = source;
        return this;
    }

    /** @return the priority, 0..255, higher is more important. */
    public int priority()
    {
        return priority;
    }

    /** @param priority the priority, 0..255. @return this. */
    public MessageRecord priority(final int priority)
    {
        if (priority < 0 || priority > RecordLayout.MAX_PRIORITY)
        {
            throw new IllegalArgumentException("priority=" + priority + " must be in [0, " + RecordLayout.MAX_PRIORITY + "]");
        }
        this.priority = priority;
        return this;
    }

    /** @return the flag bits. */
    public int flags()
    {
        return flags;
    }

    /** @param flags the flag bits (8 bits). @return this. */
    public MessageRecord flags(final int flags)
    {
        this.flags = flags & 0xFF;
        return this;
    }

    /** @return the id the origin node gave this message; the message id itself for a local message. */
    public long originId()
    {
        return originId;
    }

    /** @param originId the id the origin node gave this message. @return this. */
    public MessageRecord originId(final long originId)
    {
        this.originId = originId;
        return this;
    }

    /** @return the node that published this message; 0 in a single-node engine. */
    public int originNode()
    {
        return originNode;
    }

    /** @param originNode node id, 0..65535. @return this. */
    public MessageRecord originNode(final int originNode)
    {
        this.originNode = originNode & 0xFFFF;
        return this;
    }

    /** @return the deadline in epoch nanoseconds, 0 when none. */
    public long deadlineEpochNanos()
    {
        return deadlineEpochNanos;
    }

    /** @param deadlineEpochNanos the deadline in epoch nanoseconds, 0 for none. @return this. */
    public MessageRecord deadlineEpochNanos(final long deadlineEpochNanos)
    {
        this.deadlineEpochNanos = deadlineEpochNanos;
        return this;
    }

    /** @return how many dependency ids are declared. */
    public int dependencyCount()
    {
        return dependencyCount;
    }

    /** @param count how many dependency ids are declared; ids are set with {@link #dependency(int, long)}. */
    public void dependencyCount(final int count)
    {
        if (count < 0 || count > dependencies.length)
        {
            throw new IllegalArgumentException("dependency count " + count + " exceeds the maximum of " + dependencies.length);
        }
        this.dependencyCount = count;
    }

    /** @param i index below {@link #dependencyCount()}. @return the i-th dependency id. */
    public long dependency(final int i)
    {
        return dependencies[i];
    }

    /** @param i index below the dependency capacity. @param id the dependency id. */
    public void dependency(final int i, final long id)
    {
        dependencies[i] = id;
    }

    /** @return the most dependency ids this record can hold. */
    public int dependencyCapacity()
    {
        return dependencies.length;
    }

    /** @return the payload array; the first {@link #payloadLength()} bytes are the payload. */
    public byte[] payload()
    {
        return payload;
    }

    /** @return the payload length in bytes. */
    public int payloadLength()
    {
        return payloadLength;
    }

    /** @param length the payload length in bytes, within the capacity. */
    public void payloadLength(final int length)
    {
        if (length < 0 || length > payload.length)
        {
            throw new IllegalArgumentException("payload of " + length + " bytes exceeds the capacity of " + payload.length);
        }
        this.payloadLength = length;
    }

    /** @return the payload capacity in bytes. */
    public int payloadCapacity()
    {
        return payload.length;
    }

    /**
     * @param other another record.
     * @return true when every field, the dependencies and the payload bytes are equal.
     */
    public boolean contentEquals(final MessageRecord other)
    {
        return id == other.id && hlcWall == other.hlcWall && hlcLogical == other.hlcLogical && type == other.type &&
            source == other.source && priority == other.priority && flags == other.flags &&
            originNode == other.originNode && originId == other.originId &&
            deadlineEpochNanos == other.deadlineEpochNanos &&
            Arrays.equals(dependencies, 0, dependencyCount, other.dependencies, 0, other.dependencyCount) &&
            Arrays.equals(payload, 0, payloadLength, other.payload, 0, other.payloadLength);
    }

    @Override
    public String toString()
    {
        return "MessageRecord{id=" + id + ", hlc=" + hlcWall + "." + hlcLogical + ", type=" + type + ", source=" +
            source + ", priority=" + priority + ", deps=" + dependencyCount + ", payload=" + payloadLength + "B}";
    }
}
