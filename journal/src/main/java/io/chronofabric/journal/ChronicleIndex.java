package io.chronofabric.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import net.openhft.chronicle.wire.BinaryWireCode;
import net.openhft.chronicle.wire.Wires;

/**
 * The index documents of a Chronicle roll file, read strictly: the index of indexes the header points to (the event
 * {@code index2index}), and each index it lists (the event {@code index}). Each is a metadata document holding its
 * event, padding, and an array of {@code indexCount} 64-bit positions, each 0 or within the file. Chronicle reads them leniently and fails later, mid-read, with a dump of
 * the bytes (a damaged event name, a position past the file's end), so a damaged one is refused here, by its byte
 * offset, before Chronicle sees it.
 */
final class ChronicleIndex
{
    private static final byte[] INDEX_OF_INDEXES = "index2index".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INDEX = "index".getBytes(StandardCharsets.US_ASCII);
    private static final int ARRAY_HEADER = 1 + 2 * Long.BYTES;

    private ChronicleIndex()
    {
    }

    /**
     * @param file            the roll file, named in errors.
     * @param channel         open on it.
     * @param size            its size.
     * @param index2Index     the index of indexes' position, from the header (0: none yet).
     * @param indexCount      the entries of each index, from the header.
     * @param mayBeInCreation true when a live writer may be writing an index it has not finished.
     * @throws JournalCorruptionException naming the byte offset of the first index document that is not one.
     * @throws IOException                when the file cannot be read.
     */
    static void check(final Path file, final FileChannel channel, final long size, final long index2Index,
        final long indexCount, final boolean mayBeInCreation) throws IOException
    {
        if (index2Index <= 0)
        {
            return;
        }
        final long[] indexes = positions(file, channel, size, index2Index, INDEX_OF_INDEXES, indexCount,
            mayBeInCreation);
        for (final long index : indexes)
        {
            if (0 != index)
            {
                positions(file, channel, size, index, INDEX, indexCount, mayBeInCreation);
            }
        }
    }

    /** @return the positions the index document at {@code position} lists (0 for an unused entry). */
    private static long[] positions(final Path file, final FileChannel channel, final long size, final long position,
        final byte[] event, final long indexCount, final boolean mayBeInCreation) throws IOException
    {
        final ByteBuffer word = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        if (position + Integer.BYTES > size || channel.read(word, position) < Integer.BYTES)
        {
            throw new JournalCorruptionException(file, position, "an index document at byte offset " + position +
                " lies past the end of the file (" + size + " bytes)");
        }
        final int header = word.getInt(0);
        if (!Wires.isReady(header) && mayBeInCreation)
        {
            return new long[0]; // being written
        }
        final long length = Wires.lengthOf(header);
        if (!Wires.isReadyMetaData(header) || position + Integer.BYTES + length > size)
        {
            throw new JournalCorruptionException(file, position, String.format("header word 0x%08x is not that of " +
                "an index document within the file's %d bytes", header, size));
        }
        final ByteBuffer content = ByteBuffer.allocate((int)length).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(content, position + Integer.BYTES);
        content.flip();
        final long base = position + Integer.BYTES;
        final String name = new String(event, StandardCharsets.US_ASCII);
        if (content.remaining() < 2 + event.length || (content.get() & 0xFF) != BinaryWireCode.EVENT_NAME ||
            (content.get() & 0xFF) != event.length || !nameIs(content, event))
        {
            throw new JournalCorruptionException(file, base, "the " + name + " document at byte offset " + position +
                " does not start with its event '" + name + "'");
        }
        skipPadding(content);
        final long at = base + content.position();
        if (content.remaining() < ARRAY_HEADER || (content.get() & 0xFF) != BinaryWireCode.I64_ARRAY)
        {
            throw new JournalCorruptionException(file, at, "the " + name + " document holds no array of positions");
        }
        final long capacity = content.getLong();
        final long used = content.getLong();
        if (capacity != indexCount || used < 0 || used > capacity || content.remaining() < capacity * Long.BYTES)
        {
            throw new JournalCorruptionException(file, at, "the " + name + " document's array has capacity " + capacity +
                " and " + used + " used, where the header gives " + indexCount + " entries within the document");
        }
        final long[] positions = new long[(int)used];
        for (int i = 0; i < used; i++)
        {
            final long entry = content.getLong();
            if (entry < 0 || entry >= size)
            {
                // worded as the document walk words it (ChronicleFraming)
                throw new JournalCorruptionException(file, base + content.position() - Long.BYTES, "an index entry " +
                    "points to byte offset " + entry + ", outside the file (" + size + " bytes)");
            }
            positions[i] = entry;
        }
        return positions;
    }

    private static void skipPadding(final ByteBuffer content)
    {
        while (content.hasRemaining())
        {
            final int code = content.get(content.position()) & 0xFF;
            if (BinaryWireCode.PADDING == code)
            {
                content.get();
            }
            else if (BinaryWireCode.PADDING32 == code && content.remaining() >= 1 + Integer.BYTES)
            {
                final int padding = content.getInt(content.position() + 1);
                if (padding < 0 || padding > content.remaining() - 1 - Integer.BYTES)
                {
                    return; // not padding: the array check below names the offset
                }
                content.position(content.position() + 1 + Integer.BYTES + padding);
            }
            else
            {
                return;
            }
        }
    }

    private static boolean nameIs(final ByteBuffer content, final byte[] event)
    {
        for (final byte expected : event)
        {
            if (content.get() != expected)
            {
                return false;
            }
        }
        return true;
    }
}
