package io.chronofabric.journal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import net.openhft.chronicle.wire.BinaryWireCode;

/**
 * The header of a Chronicle Queue file (its first document), read strictly from a copy of its bytes, in the binary
 * layout this Chronicle version writes: a {@code header} event typed as the store, whose length ends exactly where
 * the document does; for a roll file, the fields {@code writePosition}, {@code indexing} (its own typed, length-framed
 * map of {@code indexCount}, {@code indexSpacing}, {@code index2Index}, {@code lastIndex}) and {@code dataFormat}, in
 * that order. Chronicle itself parses the header leniently (a damaged field name is skipped, a length one byte short
 * underflows a buffer, a damaged index pointer faults a mapping), so anything else is refused here, before Chronicle
 * sees it.
 */
final class ChronicleHeader
{
    /** The store type of a roll file's header. */
    static final String ROLL_STORE = "SCQStore";
    /** The store type of a metadata file's header. */
    static final String TABLE_STORE = "STStore";

    private static final String INDEXING = "SCQSIndexing";

    private final Path file;
    private final ByteBuffer bytes;
    private long writePosition = -1;
    private long index2Index = -1;
    private long indexCount;
    private long dataFormat;

    /**
     * @param file  the file, named in errors.
     * @param bytes the header's content: the bytes after its 4-byte header word, little-endian.
     */
    private ChronicleHeader(final Path file, final ByteBuffer bytes)
    {
        this.file = file;
        this.bytes = bytes;
    }

    /**
     * @param file    the file, named in errors.
     * @param content the header's content: the bytes after its 4-byte header word, little-endian.
     * @param store   {@link #ROLL_STORE} or {@link #TABLE_STORE}.
     * @return the parsed header.
     * @throws JournalCorruptionException naming the byte offset in the file where the header departs from the layout.
     */
    static ChronicleHeader parse(final Path file, final ByteBuffer content, final String store)
    {
        final ChronicleHeader header = new ChronicleHeader(file, content);
        header.expectText(BinaryWireCode.EVENT_NAME, "header", "not a Chronicle Queue file");
        header.expectText(BinaryWireCode.TYPE_PREFIX, store, "its header is not a Chronicle " + store + " header: " +
            "not a Chronicle Queue " + (ROLL_STORE.equals(store) ? "roll" : "metadata") + " file");
        final int end = header.length(content.limit());
        if (end != content.limit())
        {
            throw header.corrupt("the " + store + " header's length does not match the length of its document");
        }
        if (ROLL_STORE.equals(store))
        {
            header.rollStoreFields(end);
        }
        return header;
    }

    /** @return the position of the last document written, as the header records it; 0 when none. */
    long writePosition()
    {
        return writePosition;
    }

    /** @return whether Chronicle aligns the file's document headers to 4 bytes: data format 1 (0 when absent). */
    boolean padded()
    {
        return 1 == dataFormat;
    }

    /** @return how many entries each index document holds, as the header records it. */
    long indexCount()
    {
        return indexCount;
    }

    /** @return the position of the index of indexes, as the header records it; 0 when none, -1 when absent. */
    long index2Index()
    {
        return index2Index;
    }

    private void rollStoreFields(final int end)
    {
        boolean indexing = false;
        while (bytes.position() < end)
        {
            final int at = bytes.position();
            final String field = fieldName();
            switch (field)
            {
                case "writePosition" -> writePosition = longValue(field);
                case "indexing" -> indexing = indexingFields();
                case "dataFormat" -> dataFormat = intValue(field);
                default -> throw corrupt(at, "unexpected field '" + field + "' in the " + ROLL_STORE + " header");
            }
        }
        if (writePosition < 0 || !indexing)
        {
            throw corrupt("the " + ROLL_STORE + " header lacks " + (writePosition < 0 ? "writePosition" : "indexing"));
        }
    }

    private boolean indexingFields()
    {
        expectText(BinaryWireCode.TYPE_PREFIX, INDEXING, "the indexing field is not an " + INDEXING);
        final int end = length(bytes.limit());
        while (bytes.position() < end)
        {
            final int at = bytes.position();
            final String field = fieldName();
            switch (field)
            {
                case "indexCount" -> indexCount = powerOfTwo(field, intValue(field));
                case "indexSpacing" -> powerOfTwo(field, intValue(field));
                case "index2Index" -> index2Index = longValue(field);
                case "lastIndex" -> longValue(field);
                default -> throw corrupt(at, "unexpected field '" + field + "' in the " + INDEXING + " header");
            }
        }
        if (bytes.position() != end)
        {
            throw corrupt("the " + INDEXING + " fields overrun its length");
        }
        return true;
    }

    private long powerOfTwo(final String field, final long value)
    {
        if (value < 1 || Long.bitCount(value) != 1)
        {
            throw corrupt(field + " " + value + " is not a power of two");
        }
        return value;
    }

    /** Consumes a code, a one-byte length and exactly that ASCII text. */
    private void expectText(final int code, final String text, final String otherwise)
    {
        final int at = bytes.position();
        final byte[] expected = text.getBytes(StandardCharsets.US_ASCII);
        boolean matches = bytes.remaining() >= 2 + expected.length && (bytes.get() & 0xFF) == code &&
            (bytes.get() & 0xFF) == expected.length;
        for (int i = 0; matches && i < expected.length; i++)
        {
            matches = bytes.get() == expected[i];
        }
        if (!matches)
        {
            bytes.position(at);
            throw corrupt(otherwise);
        }
    }

    /** Consumes a 32-bit length prefix; returns where what it frames ends, which must be within {@code limit}. */
    private int length(final int limit)
    {
        need(5, "a length");
        if ((bytes.get() & 0xFF) != BinaryWireCode.BYTES_LENGTH32)
        {
            bytes.position(bytes.position() - 1);
            throw corrupt("a length prefix was expected");
        }
        final int length = bytes.getInt();
        if (length < 0 || length > limit - bytes.position())
        {
            throw corrupt("a length of " + length + " runs past its enclosing document");
        }
        return bytes.position() + length;
    }

    private String fieldName()
    {
        skipPadding();
        need(1, "a field name");
        final int code = bytes.get() & 0xFF;
        final int length = code - BinaryWireCode.FIELD_NAME0;
        if (length < 1 || length > 31 || length > bytes.remaining())
        {
            bytes.position(bytes.position() - 1);
            throw corrupt(String.format("0x%02x is not a field name", code));
        }
        final byte[] name = new byte[length];
        bytes.get(name);
        return new String(name, StandardCharsets.US_ASCII);
    }

    /** Reads a 64-bit field as Chronicle writes the values it updates in place: a fixed int64, or an int64 array. */
    private long longValue(final String field)
    {
        skipPadding();
        need(1, field);
        final int code = bytes.get() & 0xFF;
        if (BinaryWireCode.INT64 == code)
        {
            need(8, field);
            return nonNegative(field, bytes.getLong());
        }
        if (BinaryWireCode.I64_ARRAY == code)
        {
            need(16, field);
            final long capacity = bytes.getLong();
            final long used = bytes.getLong();
            if (capacity < 1 || capacity > 16 || used < 1 || used > capacity || bytes.remaining() < capacity * 8)
            {
                throw corrupt(field + " is an array of capacity " + capacity + " and " + used + " used");
            }
            final long value = bytes.getLong();
            bytes.position(bytes.position() + (int)(capacity - 1) * 8);
            return nonNegative(field, value);
        }
        bytes.position(bytes.position() - 1);
        throw corrupt(String.format("%s has an unexpected encoding 0x%02x", field, code));
    }

    private long intValue(final String field)
    {
        skipPadding();
        need(1, field);
        final int code = bytes.get() & 0xFF;
        if (code < 0x80)
        {
            return code; // Chronicle writes 0..127 as the byte itself
        }
        final int size = switch (code)
        {
            case BinaryWireCode.UINT8, BinaryWireCode.INT8 -> 1;
            case BinaryWireCode.UINT16, BinaryWireCode.INT16 -> 2;
            case BinaryWireCode.UINT32, BinaryWireCode.INT32 -> 4;
            case BinaryWireCode.INT64 -> 8;
            default ->
            {
                bytes.position(bytes.position() - 1);
                throw corrupt(String.format("%s has an unexpected encoding 0x%02x", field, code));
            }
        };
        need(size, field);
        return switch (code)
        {
            case BinaryWireCode.UINT8 -> bytes.get() & 0xFF;
            case BinaryWireCode.INT8 -> bytes.get();
            case BinaryWireCode.UINT16 -> bytes.getShort() & 0xFFFF;
            case BinaryWireCode.INT16 -> bytes.getShort();
            case BinaryWireCode.UINT32 -> bytes.getInt() & 0xFFFF_FFFFL;
            case BinaryWireCode.INT32 -> bytes.getInt();
            default -> bytes.getLong();
        };
    }

    private void skipPadding()
    {
        while (bytes.hasRemaining())
        {
            final int code = bytes.get(bytes.position()) & 0xFF;
            if (BinaryWireCode.PADDING == code)
            {
                bytes.get();
            }
            else if (BinaryWireCode.PADDING32 == code && bytes.remaining() >= 5)
            {
                final int padding = bytes.getInt(bytes.position() + 1);
                if (padding < 0 || padding > bytes.remaining() - 5)
                {
                    throw corrupt("padding of " + padding + " bytes runs past the header");
                }
                bytes.position(bytes.position() + 5 + padding);
            }
            else
            {
                return;
            }
        }
    }

    private long nonNegative(final String field, final long value)
    {
        if (value < 0)
        {
            throw corrupt(field + " is negative: " + value);
        }
        return value;
    }

    private void need(final int count, final String what)
    {
        if (bytes.remaining() < count)
        {
            throw corrupt("the header ends inside " + what);
        }
    }

    private JournalCorruptionException corrupt(final String reason)
    {
        return corrupt(bytes.position(), reason);
    }

    private JournalCorruptionException corrupt(final int position, final String reason)
    {
        // the content starts after the 4-byte header word
        return new JournalCorruptionException(file, 4 + position, reason);
    }
}
