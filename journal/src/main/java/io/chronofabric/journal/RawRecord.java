package io.chronofabric.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.chronofabric.journal.RecordLayout.*;

/**
 * A journaled record as its {@link RecordLayout} bytes, validated (CRC included) but not decoded: a reader that needs
 * a few of its fields, or its bytes as they are (a node shipping its records to a peer), reads them here in place
 * instead of copying every field and the payload into a {@link MessageRecord}. A view over its reader's scratch,
 * valid until that reader reads again; read-only. Obtained from {@link JournalReader#nextRaw()}.
 */
public final class RawRecord
{
    private final byte[] bytes;
    private final ByteBuffer buffer;
    private int length;
    private int headerLength;

    RawRecord(final byte[] bytes)
    {
        this.bytes = bytes;
        this.buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    void wrap(final int length, final int headerLength)
    {
        this.length = length;
        this.headerLength = headerLength;
    }

    /** @return the record's bytes, from index 0 to {@link #length()}: do not modify them. */
    public byte[] bytes()
    {
        return bytes;
    }

    /** @return the record's length in bytes, CRC included. */
    public int length()
    {
        return length;
    }

    /** @return its {@link RecordFlags}. */
    public int flags()
    {
        return buffer.get(FLAGS_OFFSET) & 0xFF;
    }

    /** @return its message id in this journal. */
    public long id()
    {
        return buffer.getLong(ID_OFFSET);
    }

    /** @return the node that published it, 0..65535. */
    public int originNode()
    {
        return buffer.getShort(ORIGIN_NODE_OFFSET) & 0xFFFF;
    }

    /** @return the id its origin node gave it (its id, for a version 1 record). */
    public long originId()
    {
        return buffer.getLong(HEADER_LENGTH == headerLength ? ORIGIN_ID_OFFSET : ID_OFFSET);
    }

    /** @return how many dependency ids it carries. */
    public int dependencyCount()
    {
        return buffer.getShort(DEPENDENCY_COUNT_OFFSET) & 0xFFFF;
    }

    /** @return true for a record in the layout this code writes: its bytes are what encoding it again gives. */
    public boolean isCurrentVersion()
    {
        return HEADER_LENGTH == headerLength;
    }

    int headerLength()
    {
        return headerLength;
    }
}
