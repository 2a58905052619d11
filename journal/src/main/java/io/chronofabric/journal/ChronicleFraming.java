package io.chronofabric.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import net.openhft.chronicle.wire.BinaryWireCode;
import net.openhft.chronicle.wire.Wires;

/**
 * Walks the documents of a roll file the way Chronicle's forward reading does, from the header to the end of what was
 * written, checking that nothing sends a reader past the end of the file: each document's length, and each position
 * in Chronicle's index arrays. Chronicle follows both without checking, into memory past the end of the mapped file,
 * a fault the JVM raises late and asynchronously (in compiled code several reads later), so reading goes on through
 * garbage before it stops. The walk reads the file through a channel, sequentially.
 *
 * <p>A document whose length is damaged but stays within the file is not found here: the reader's own checks (length,
 * CRC32C) find that record, and a reader can go on at a record Chronicle's index locates.
 */
final class ChronicleFraming
{
    private static final int HEADER_WORD = 4;
    private static final int WINDOW = 1 << 20;
    /** Holds one index document whole (Chronicle's default 4,096 entries take 32 KiB): they are read one by one. */
    private static final int INDEX_WINDOW = 1 << 16;
    private static final byte[] INDEX = "index".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INDEX2INDEX = "index2index".getBytes(StandardCharsets.US_ASCII);
    /** The most entries an index array has: Chronicle's largest index count. */
    private static final long MAX_INDEX_ENTRIES = 1 << 20;

    private final Path file;
    private final FileChannel channel;
    /** The file's size as last read: a live writer grows the file while it is walked. */
    private long size;
    private final ByteBuffer window;
    private long windowStart;
    /** Where each document walked starts, ascending. */
    private long[] documentStarts = new long[1024];
    private int documents;
    /** Each index entry read (the position it holds, and where it is held), checked once the walk is done. */
    private long[] indexEntries = new long[1024];
    private int entries;

    private ChronicleFraming(final Path file, final FileChannel channel, final long size, final int windowBytes)
    {
        this.file = file;
        this.channel = channel;
        this.size = size;
        this.window = ByteBuffer.allocate(windowBytes).order(ByteOrder.LITTLE_ENDIAN);
        window.limit(0);
    }

    /**
     * @param file          a roll file whose header passed {@link ChronicleHeader}.
     * @param channel       the file, open for reading.
     * @param firstDocument the position of the first document after the header.
     * @param padded        whether Chronicle aligns document headers to 4 bytes in this file.
     * @return what sends a reader past the end of the file, or null when nothing does.
     */
    static JournalCorruptionException check(final Path file, final FileChannel channel, final long firstDocument,
        final boolean padded) throws IOException
    {
        return new ChronicleFraming(file, channel, channel.size(), WINDOW).walk(firstDocument, padded);
    }

    /**
     * Checks the index documents a reader looks up before any record: the index of indexes the header points to, and
     * each index it lists. Chronicle reads them leniently: a damaged event name surfaces later, mid-read, as a dump of
     * the bytes (the walk above takes such a document for another metadata document), and an entry past the end of
     * the file as a fault.
     *
     * @param file            a roll file whose header passed {@link ChronicleHeader}.
     * @param channel         the file, open for reading.
     * @param index2Index     the index of indexes' position, from the header; 0 while there is none.
     * @param indexCount      the entries of each index, from the header.
     * @param mayBeInCreation true when a live writer may be writing an index it has not finished.
     * @return what is wrong with them, or null.
     */
    static JournalCorruptionException checkIndexes(final Path file, final FileChannel channel, final long index2Index,
        final long indexCount, final boolean mayBeInCreation) throws IOException
    {
        if (index2Index <= 0)
        {
            return null;
        }
        return new ChronicleFraming(file, channel, channel.size(), INDEX_WINDOW)
            .indexes(index2Index, indexCount, mayBeInCreation);
    }

    private JournalCorruptionException indexes(final long index2Index, final long indexCount,
        final boolean mayBeInCreation) throws IOException
    {
        JournalCorruptionException problem = indexDocument(index2Index, INDEX2INDEX, indexCount, mayBeInCreation);
        final int listed = entries; // the index of indexes' entries: where each index is
        for (int i = 0; null == problem && i < listed; i += 2)
        {
            problem = indexDocument(indexEntries[i], INDEX, indexCount, mayBeInCreation);
        }
        return problem;
    }

    /** The document at {@code position} must be a complete index document of {@code event}, its entries in the file. */
    private JournalCorruptionException indexDocument(final long position, final byte[] event, final long indexCount,
        final boolean mayBeInCreation) throws IOException
    {
        if (isPastTheEnd(position + HEADER_WORD))
        {
            return new JournalCorruptionException(file, position, "an index document at byte offset " + position +
                " lies past the end of the file (" + size + " bytes)");
        }
        final int header = intAt(position);
        if (!Wires.isReady(header) && mayBeInCreation)
        {
            return null; // being written
        }
        final long end = position + HEADER_WORD + Wires.lengthOf(header);
        if (!Wires.isReadyMetaData(header) || isPastTheEnd(end))
        {
            return new JournalCorruptionException(file, position, String.format("header word 0x%08x is not that of " +
                "an index document within the file's %d bytes", header, size));
        }
        final String name = new String(event, StandardCharsets.US_ASCII);
        if (!startsWith(position + HEADER_WORD, end, BinaryWireCode.EVENT_NAME, event))
        {
            return new JournalCorruptionException(file, position + HEADER_WORD, "the " + name + " document at byte " +
                "offset " + position + " does not start with its event '" + name + "'");
        }
        return indexProblem(position, end, indexCount);
    }

    private JournalCorruptionException walk(final long firstDocument, final boolean padded) throws IOException
    {
        long position = align(firstDocument, padded);
        while (position + HEADER_WORD <= size)
        {
            final int header = intAt(position);
            // an empty word ends what was written; an incomplete one is where a writer stopped, as Chronicle reads it
            if (!Wires.isReady(header))
            {
                return misplacedIndexEntry(position);
            }
            final long end = position + HEADER_WORD + Wires.lengthOf(header);
            if (isPastTheEnd(end))
            {
                return new JournalCorruptionException(file, position, String.format("the document header 0x%08x " +
                    "declares %d bytes, past the end of the file (%d bytes)", header, Wires.lengthOf(header), size));
            }
            if (!Wires.isData(header))
            {
                final JournalCorruptionException index = indexProblem(position, end, -1);
                if (null != index)
                {
                    return index;
                }
            }
            documentStarts = grown(documentStarts, documents);
            documentStarts[documents++] = position;
            position = align(end, padded);
        }
        return misplacedIndexEntry(position);
    }

    /**
     * Every index entry that points within what was walked must point at the start of a document: an entry that points
     * elsewhere in the file (a damaged entry) would have a reader, addressing a record by its index, read another
     * record, or the middle of one, in silence. Entries past the walked end are a live writer's, not yet checkable.
     *
     * @param walkedEnd where the walk stopped.
     */
    private JournalCorruptionException misplacedIndexEntry(final long walkedEnd)
    {
        for (int i = 0; i < entries; i += 2)
        {
            final long target = indexEntries[i];
            if (target < walkedEnd && Arrays.binarySearch(documentStarts, 0, documents, target) < 0)
            {
                return new JournalCorruptionException(file, indexEntries[i + 1], "an index entry points to byte " +
                    "offset " + target + ", where no document starts");
            }
        }
        return null;
    }

    private static long[] grown(final long[] array, final int used)
    {
        return used < array.length ? array : Arrays.copyOf(array, array.length * 2);
    }

    /**
     * Checks the positions an index array (or the index of index arrays) holds, if the document is one.
     *
     * @param capacity the capacity the header gives each array, -1 for any up to Chronicle's largest.
     */
    private JournalCorruptionException indexProblem(final long document, final long end, final long capacity)
        throws IOException
    {
        long at = document + HEADER_WORD;
        if (!startsWith(at, end, BinaryWireCode.EVENT_NAME, INDEX) &&
            !startsWith(at, end, BinaryWireCode.EVENT_NAME, INDEX2INDEX))
        {
            return null;
        }
        at += 2 + byteAt(at + 1);
        while (at < end && BinaryWireCode.PADDING == byteAt(at) ||
            at + 5 <= end && BinaryWireCode.PADDING32 == byteAt(at))
        {
            at += BinaryWireCode.PADDING == byteAt(at) ? 1 : 5 + Math.max(0, intAt(at + 1));
        }
        if (at + 17 > end || BinaryWireCode.I64_ARRAY != byteAt(at))
        {
            return new JournalCorruptionException(file, document, "an index document without its array of positions");
        }
        final long arrayCapacity = longAt(at + 1);
        final long used = longAt(at + 9);
        if (arrayCapacity < 0 || arrayCapacity > MAX_INDEX_ENTRIES || used < 0 || used > arrayCapacity ||
            at + 17 + arrayCapacity * 8 > end)
        {
            return new JournalCorruptionException(file, document, "an index array of capacity " + arrayCapacity +
                " with " + used + " used does not fit its document");
        }
        if (capacity >= 0 && arrayCapacity != capacity)
        {
            return new JournalCorruptionException(file, document, "an index array of capacity " + arrayCapacity +
                ", where the header gives " + capacity + " entries");
        }
        for (long i = 0; i < used; i++)
        {
            final long position = longAt(at + 17 + i * 8);
            if (position < 0 || isPastTheEnd(position + 1))
            {
                return new JournalCorruptionException(file, at + 17 + i * 8, "an index entry points to byte offset " +
                    position + ", outside the file (" + size + " bytes)");
            }
            if (0 != position)
            {
                indexEntries = grown(indexEntries, entries + 1); // room for the pair
                indexEntries[entries++] = position;
                indexEntries[entries++] = at + 17 + i * 8;
            }
        }
        return null;
    }

    /**
     * Whether a position lies past the end of the file, read again before it says so: a writer still appending may
     * have grown the file since its size was read, and what was written since then is not damage.
     */
    private boolean isPastTheEnd(final long position) throws IOException
    {
        size = sizeCovering(channel, size, position);
        return position > size;
    }

    /**
     * @param channel  the file.
     * @param size     its size as read before.
     * @param position a position to be within the file.
     * @return the size, read again when the position lies beyond it: a writer still appending grows the file.
     * @throws IOException when the size cannot be read.
     */
    static long sizeCovering(final FileChannel channel, final long size, final long position) throws IOException
    {
        return position > size ? Math.max(size, channel.size()) : size;
    }

    private boolean startsWith(final long at, final long end, final int code, final byte[] name) throws IOException
    {
        if (at + 2 + name.length > end || byteAt(at) != code || byteAt(at + 1) != name.length)
        {
            return false;
        }
        for (int i = 0; i < name.length; i++)
        {
            if (byteAt(at + 2 + i) != (name[i] & 0xFF))
            {
                return false;
            }
        }
        return true;
    }

    private static long align(final long position, final boolean padded)
    {
        return padded ? (position + 3) & ~3L : position;
    }

    private int byteAt(final long position) throws IOException
    {
        return window(position, 1).get((int)(position - windowStart)) & 0xFF;
    }

    private int intAt(final long position) throws IOException
    {
        return window(position, 4).getInt((int)(position - windowStart));
    }

    private long longAt(final long position) throws IOException
    {
        return window(position, 8).getLong((int)(position - windowStart));
    }

    /** Moves the window, when needed, so that it holds {@code length} bytes from {@code position}. */
    private ByteBuffer window(final long position, final int length) throws IOException
    {
        if (position < windowStart || position + length > windowStart + window.limit())
        {
            window.clear();
            windowStart = position;
            while (window.hasRemaining() && channel.read(window, windowStart + window.position()) > 0)
            {
                // read up to the window or the end of the file
            }
            window.flip();
            if (window.limit() < length)
            {
                throw new IOException("read past the end of " + file + " at byte offset " + position);
            }
        }
        return window;
    }
}
