package io.chronofabric.journal;

import java.util.zip.CRC32C;

/**
 * The layout of a journal document that holds a batch of records ({@link JournalWriter#add}). All integers
 * little-endian.
 * <pre>
 * offset          size  field
 * 0               1     marker 0xB1 (a document that is one record starts with the record's version, 1 or 2)
 * 1               1     0
 * 2               2     record count n, 1..{@value #MAX_RECORDS}
 * 4               4     CRC32C of the record table
 * 8               ...   the n records, back to back, each in the {@link RecordLayout} format with its own CRC32C
 * length - 4n     4n    the record table: each record's length, in order
 * </pre>
 * Where a record starts is told by the table, which its CRC vouches for, never by a record's own header: a damaged
 * length field then costs only its record, and the bytes of a payload are never taken for a record whatever they hold.
 */
public final class BatchLayout
{
    /** The first byte of a batch document. */
    public static final int MARKER = 0xB1;
    /** The most records one document holds. */
    public static final int MAX_RECORDS = 64;
    /** Offset of the record count. */
    public static final int COUNT_OFFSET = 2;
    /** Offset of the record table's CRC32C. */
    public static final int TABLE_CRC_OFFSET = 4;
    /** Length of the header before the records. */
    public static final int HEADER_LENGTH = 8;
    /** Length of one record table entry. */
    public static final int ENTRY_LENGTH = 4;

    private BatchLayout()
    {
    }

    /**
     * Finds where a document's records start: a batch document's by its record table, a document without the batch
     * marker holds one record, the whole document.
     *
     * @param document the document's bytes.
     * @param length   how many.
     * @param starts   receives the {@code n + 1} record boundaries; holds at least {@value #MAX_RECORDS} + 1.
     * @param crc      a CRC32C to use.
     * @return the record count {@code n}; -1 when the batch header or record table is damaged (its CRC, the count, or
     *     lengths that do not add up to the document), so that no record of it can be located.
     */
    public static int split(final byte[] document, final int length, final int[] starts, final CRC32C crc)
    {
        if (length < 1 || MARKER != (document[0] & 0xFF))
        {
            starts[0] = 0;
            starts[1] = length;
            return 1;
        }
        if (length < HEADER_LENGTH || 0 != document[1])
        {
            return -1;
        }
        final int count = (document[COUNT_OFFSET] & 0xFF) | (document[COUNT_OFFSET + 1] & 0xFF) << 8;
        final int table = length - count * ENTRY_LENGTH;
        if (count < 1 || count > MAX_RECORDS || table < HEADER_LENGTH)
        {
            return -1;
        }
        crc.reset();
        crc.update(document, table, count * ENTRY_LENGTH);
        if ((int)crc.getValue() != intAt(document, TABLE_CRC_OFFSET))
        {
            return -1;
        }
        int offset = HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            final int recordLength = intAt(document, table + i * ENTRY_LENGTH);
            if (recordLength < 1 || recordLength > table - offset)
            {
                return -1;
            }
            starts[i] = offset;
            offset += recordLength;
        }
        if (offset != table)
        {
            return -1;
        }
        starts[count] = table;
        return count;
    }

    /**
     * @param bytes  little-endian bytes.
     * @param offset where the int starts.
     * @return the int there.
     */
    static int intAt(final byte[] bytes, final int offset)
    {
        return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8 | (bytes[offset + 2] & 0xFF) << 16 |
            (bytes[offset + 3] & 0xFF) << 24;
    }

    /**
     * @param bytes  where to write.
     * @param offset where the int goes.
     * @param value  the int, little-endian.
     */
    static void putInt(final byte[] bytes, final int offset, final int value)
    {
        bytes[offset] = (byte)value;
        bytes[offset + 1] = (byte)(value >>> 8);
        bytes[offset + 2] = (byte)(value >>> 16);
        bytes[offset + 3] = (byte)(value >>> 24);
    }
}
