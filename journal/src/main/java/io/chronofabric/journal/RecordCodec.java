package io.chronofabric.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

import static io.chronofabric.journal.RecordLayout.*;

/**
 * Encodes a {@link MessageRecord} into the {@link RecordLayout} bytes and decodes and validates them back.
 * Owns one scratch buffer sized for the largest record, so encoding and decoding allocate nothing.
 * Not thread-safe: one codec per thread.
 */
public final class RecordCodec
{
    private final byte[] scratch;
    private final ByteBuffer buffer;
    private final CRC32C crc = new CRC32C();

    /**
     * @param maxDependencies the most dependency ids a record may carry.
     * @param payloadCapacity the largest payload in bytes.
     */
    public RecordCodec(final int maxDependencies, final int payloadCapacity)
    {
        this.scratch = new byte[recordLength(maxDependencies, payloadCapacity)];
        this.buffer = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @return the scratch array holding the last encoded record, or to be filled before {@link #decode}.
     */
    public byte[] scratch()
    {
        return scratch;
    }

    /**
     * Encodes a record into the scratch array, CRC included.
     *
     * @param record the record to encode.
     * @return the number of bytes written at the start of {@link #scratch()}.
     */
    public int encode(final MessageRecord record)
    {
        final ByteBuffer buffer = this.buffer;
        final int dependencyCount = record.dependencyCount();
        final int payloadLength = record.payloadLength();
        buffer.clear();
        buffer.put(VERSION_OFFSET, (byte)VERSION)
            .put(FLAGS_OFFSET, (byte)record.flags())
            .put(PRIORITY_OFFSET, (byte)record.priority())
            .put(RESERVED_OFFSET, (byte)0)
            .putShort(DEPENDENCY_COUNT_OFFSET, (short)dependencyCount)
            .putShort(ORIGIN_NODE_OFFSET, (short)record.originNode())
            .putInt(TYPE_OFFSET, record.type())
            .putInt(SOURCE_OFFSET, record.source())
            .putLong(ID_OFFSET, record.id())
            .putLong(HLC_WALL_OFFSET, record.hlcWall())
            .putInt(HLC_LOGICAL_OFFSET, record.hlcLogical())
            .putInt(PAYLOAD_LENGTH_OFFSET, payloadLength)
            .putLong(DEADLINE_OFFSET, record.deadlineEpochNanos())
            .putLong(ORIGIN_ID_OFFSET, record.originId());
        for (int i = 0; i < dependencyCount; i++)
        {
            buffer.putLong(HEADER_LENGTH + i * DEPENDENCY_LENGTH, record.dependency(i));
        }
        final int payloadOffset = payloadOffset(dependencyCount);
        System.arraycopy(record.payload(), 0, scratch, payloadOffset, payloadLength);
        final int crcOffset = payloadOffset + payloadLength;
        buffer.putInt(crcOffset, crcOf(crcOffset));
        return crcOffset + CRC_LENGTH;
    }

    /**
     * Validates and decodes the record held in the first {@code length} bytes of {@link #scratch()}.
     *
     * @param length the document length read from the queue.
     * @param index  the queue index the bytes came from, named in any error.
     * @param into   the record to fill; left in an unspecified state when an exception is thrown.
     * @throws JournalCorruptionException for an unknown version, a bad CRC, a truncated or inconsistent record, a
     *     reserved byte other than 0, or a valid record larger than {@code into}'s capacity
     *     ({@link JournalCorruptionException#overCapacity()}).
     */
    public void decode(final int length, final long index, final MessageRecord into)
    {
        fill(validate(length, index), index, into);
    }

    /**
     * Validates the record held in the first {@code length} bytes of {@link #scratch()} as {@link #decode} does,
     * without decoding it: for a reader that reads a few of its fields in place ({@link RawRecord}).
     *
     * @param length the document length read from the queue.
     * @param index  the queue index the bytes came from, named in any error.
     * @return the length of its header: {@link RecordLayout#HEADER_LENGTH}, or {@link RecordLayout#V1_HEADER_LENGTH}
     *     for a version 1 record.
     * @throws JournalCorruptionException for an unknown version, a bad CRC, a truncated or inconsistent record, or a
     *     reserved byte other than 0.
     */
    public int validate(final int length, final long index)
    {
        final ByteBuffer buffer = this.buffer;
        if (length > scratch.length)
        {
            throw new JournalCorruptionException(index, "record of " + length + " bytes is longer than the largest " +
                "record this reader holds (" + scratch.length + " bytes)");
        }
        if (length < V1_HEADER_LENGTH + CRC_LENGTH)
        {
            throw new JournalCorruptionException(index, "truncated record: " + length + " bytes, shorter than the " +
                (V1_HEADER_LENGTH + CRC_LENGTH) + "-byte minimum");
        }
        final int version = buffer.get(VERSION_OFFSET) & 0xFF;
        if (VERSION != version && VERSION_1 != version)
        {
            throw new JournalCorruptionException(index, "unknown record version " + version + " (this reader knows " +
                VERSION_1 + " and " + VERSION + ")");
        }
        final int headerLength = VERSION == version ? HEADER_LENGTH : V1_HEADER_LENGTH;
        if (length < headerLength + CRC_LENGTH)
        {
            throw new JournalCorruptionException(index, "truncated record: " + length + " bytes, shorter than the " +
                (headerLength + CRC_LENGTH) + "-byte minimum of version " + version);
        }
        final int dependencyCount = buffer.getShort(DEPENDENCY_COUNT_OFFSET) & 0xFFFF;
        final int payloadLength = buffer.getInt(PAYLOAD_LENGTH_OFFSET);
        final long expectedLength = (long)headerLength + (long)dependencyCount * DEPENDENCY_LENGTH +
            (long)payloadLength + CRC_LENGTH;
        if (payloadLength < 0 || expectedLength != length)
        {
            throw new JournalCorruptionException(index, "length mismatch: header declares " + dependencyCount +
                " dependencies and a " + payloadLength + "-byte payload (" + expectedLength + " bytes) but the record has " +
                length + " bytes (truncated or corrupt)");
        }
        final int crcOffset = length - CRC_LENGTH;
        final int storedCrc = buffer.getInt(crcOffset);
        final int actualCrc = crcOf(crcOffset);
        if (storedCrc != actualCrc)
        {
            throw new JournalCorruptionException(index, "CRC32C mismatch: stored 0x" + Integer.toHexString(storedCrc) +
                ", computed 0x" + Integer.toHexString(actualCrc));
        }
        final int reserved = buffer.get(RESERVED_OFFSET) & 0xFF;
        if (0 != reserved)
        {
            // after the CRC, so that a damaged byte reads as one: only a writer other than the encoder, which always
            // writes 0, sets it, and a record is accepted only in the one form it is written in
            throw new JournalCorruptionException(index, "reserved byte is 0x" + Integer.toHexString(reserved) +
                ", must be 0");
        }
        return headerLength;
    }

    /**
     * Decodes the record in {@link #scratch()} that {@link #validate} just accepted.
     *
     * @param headerLength what {@link #validate} returned for it.
     * @param index        the queue index the bytes came from, named in any error.
     * @param into         the record to fill.
     * @throws JournalCorruptionException for a record larger than {@code into}'s capacity
     *     ({@link JournalCorruptionException#overCapacity()}).
     */
    public void fill(final int headerLength, final long index, final MessageRecord into)
    {
        final ByteBuffer buffer = this.buffer;
        final int dependencyCount = buffer.getShort(DEPENDENCY_COUNT_OFFSET) & 0xFFFF;
        final int payloadLength = buffer.getInt(PAYLOAD_LENGTH_OFFSET);
        if (dependencyCount > into.dependencyCapacity() || payloadLength > into.payloadCapacity())
        {
            throw tooLarge(index, dependencyCount, payloadLength, into.dependencyCapacity(), into.payloadCapacity());
        }
        into.id(buffer.getLong(ID_OFFSET))
            .hlc(buffer.getLong(HLC_WALL_OFFSET), buffer.getInt(HLC_LOGICAL_OFFSET))
            .type(buffer.getInt(TYPE_OFFSET))
            .source(buffer.getInt(SOURCE_OFFSET))
            .priority(buffer.get(PRIORITY_OFFSET) & 0xFF)
            .flags(buffer.get(FLAGS_OFFSET))
            .originNode(buffer.getShort(ORIGIN_NODE_OFFSET))
            .deadlineEpochNanos(buffer.getLong(DEADLINE_OFFSET))
            .originId(HEADER_LENGTH == headerLength ? buffer.getLong(ORIGIN_ID_OFFSET) : buffer.getLong(ID_OFFSET));
        into.dependencyCount(dependencyCount);
        for (int i = 0; i < dependencyCount; i++)
        {
            into.dependency(i, buffer.getLong(headerLength + i * DEPENDENCY_LENGTH));
        }
        into.payloadLength(payloadLength);
        System.arraycopy(scratch, headerLength + dependencyCount * DEPENDENCY_LENGTH, into.payload(), 0, payloadLength);
    }

    /**
     * The error for a valid record (its CRC matches) that a reader's capacity cannot hold. Within the limits any engine
     * accepts, the journal was written with larger settings, and the message names the setting to raise and the size
     * needed; beyond them no engine wrote it, so it is corrupt.
     *
     * @param index           the record's queue index.
     * @param dependencyCount its dependency count.
     * @param payloadLength   its payload length.
     * @param maxDependencies the reader's dependency capacity.
     * @param payloadCapacity the reader's payload capacity.
     * @return the exception to throw.
     */
    static JournalCorruptionException tooLarge(final long index, final int dependencyCount, final long payloadLength,
        final int maxDependencies, final int payloadCapacity)
    {
        if (dependencyCount > EngineLimits.MAX_DEPENDENCIES || payloadLength > EngineLimits.MAX_PAYLOAD)
        {
            return new JournalCorruptionException(index, "record with " + dependencyCount + " dependencies and a " +
                payloadLength + "-byte payload, over what any engine writes (dependencies.max at most " +
                EngineLimits.MAX_DEPENDENCIES + ", payload.capacity at most " + EngineLimits.MAX_PAYLOAD + ")");
        }
        final StringBuilder reason = new StringBuilder("it has");
        final StringBuilder raise = new StringBuilder();
        if (payloadLength > payloadCapacity)
        {
            reason.append(" a ").append(payloadLength).append("-byte payload, over payload.capacity=")
                .append(payloadCapacity);
            raise.append("payload.capacity to at least ").append(payloadLength);
        }
        if (dependencyCount > maxDependencies)
        {
            reason.append(raise.length() > 0 ? " and" : "").append(' ').append(dependencyCount)
                .append(" dependencies, over dependencies.max=").append(maxDependencies);
            raise.append(raise.length() > 0 ? " and " : "").append("dependencies.max to at least ")
                .append(dependencyCount);
        }
        return JournalCorruptionException.overCapacity(index, reason.append("; the journal was written with a larger ")
            .append("capacity: set ").append(raise).toString());
    }

    private int crcOf(final int length)
    {
        crc.reset();
        crc.update(scratch, 0, length);
        return (int)crc.getValue();
    }
}
