package io.chronofabric.journal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;


/**
 * What a SIGKILL leaves of a roll file Chronicle Queue was creating, in the order its
 * {@code SingleChronicleQueue.StoreSupplier.acquire} creates one: the file is created by opening it (0 bytes), sized to
 * its first chunk and overlap when first mapped (every byte zero), its header word claimed by
 * {@code writeFirstHeader} (0x80000000, "not complete, length unknown") while the header and the index arrays are
 * written after it; only then is the header word published and the metadata listing told of the cycle. Each state is
 * made here from a complete roll file of the same queue, so that size and header bytes are what Chronicle wrote; a
 * process killed at these points leaves exactly these bytes, since the mapped pages outlive the process
 * ({@link KilledCreationTest} kills real writers there). The engine's tests use it through this module's test jar.
 */
public enum CreationCrash
{
    /** Killed after the file was created, before it was sized: 0 bytes. */
    CREATED,
    /** Killed after the file was sized and mapped, before its header word was claimed: every byte zero. */
    SIZED,
    /** Killed after the header word was claimed, while the header was being written after it. */
    HEADER_CLAIMED;

    /** Header word {@code writeFirstHeader} claims: not complete, length unknown. */
    public static final int CLAIMED = 0x8000_0000;
    /** How much of the header the {@link #HEADER_CLAIMED} state holds (a kill seen in the exploration). */
    private static final int HEADER_WRITTEN = 226;

    /**
     * Writes, at {@code file}, what a kill at this point leaves of its creation.
     *
     * @param file     the roll file being created (absent).
     * @param template a complete roll file of the same queue, as Chronicle created it (its size not grown).
     */
    public void leave(final Path file, final Path template) throws IOException
    {
        final long size = Files.size(template);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            if (CREATED == this)
            {
                return;
            }
            raf.setLength(size);
            if (HEADER_CLAIMED == this)
            {
                final byte[] header = new byte[HEADER_WRITTEN];
                try (RandomAccessFile source = new RandomAccessFile(template.toFile(), "r"))
                {
                    source.readFully(header);
                }
                ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putInt(0, CLAIMED);
                raf.write(header);
            }
        }
    }

    /**
     * Makes the only roll file of a queue folder the previous cycle's (FAST_DAILY: a day earlier), and the metadata
     * listing say so, as if the queue had rolled into today's cycle since: the records keep their sequence numbers.
     *
     * @param queueDir a queue folder holding one roll file of the FAST_DAILY roll cycle.
     * @return the roll file, renamed.
     */
    public static Path moveToPreviousCycle(final Path queueDir) throws IOException
    {
        final List<Path> rollFiles = JournalFiles.rollFiles(queueDir);
        if (1 != rollFiles.size())
        {
            throw new IllegalStateException(queueDir + " holds " + rollFiles);
        }
        final Path file = rollFiles.get(0);
        final String name = file.getFileName().toString();
        final java.time.LocalDate day = java.time.LocalDate.parse(name.substring(0, 8),
            java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
        final Path previous = file.resolveSibling(day.minusDays(1).format(java.time.format.DateTimeFormatter
            .BASIC_ISO_DATE) + name.substring(8));
        Files.move(file, previous);
        final long cycle = listing(queueDir, "listing.highestCycle");
        setListing(queueDir, "listing.highestCycle", cycle - 1);
        setListing(queueDir, "listing.lowestCycle", cycle - 1);
        return previous;
    }

    /**
     * @param queueDir a queue folder.
     * @param name     {@code listing.highestCycle} or {@code listing.lowestCycle}.
     * @return the value its metadata file holds.
     */
    public static long listing(final Path queueDir, final String name) throws IOException
    {
        final Path metadata = queueDir.resolve("metadata.cq4t");
        final ByteBuffer value = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(metadata, StandardOpenOption.READ))
        {
            channel.read(value, valueAt(Files.readAllBytes(metadata), name));
        }
        return value.getLong(0);
    }

    /**
     * Sets a value of a queue folder's metadata listing, as Chronicle does in place.
     *
     * @param queueDir a queue folder.
     * @param name     {@code listing.highestCycle} or {@code listing.lowestCycle}.
     * @param value    the cycle.
     */
    public static void setListing(final Path queueDir, final String name, final long value) throws IOException
    {
        final Path metadata = queueDir.resolve("metadata.cq4t");
        final ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
        try (FileChannel channel = FileChannel.open(metadata, StandardOpenOption.WRITE))
        {
            channel.write(bytes, valueAt(Files.readAllBytes(metadata), name));
        }
    }

    /** @return where the 64-bit value of the metadata document with this name is: after its int64 code. */
    private static int valueAt(final byte[] bytes, final String name)
    {
        final byte[] wanted = name.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + wanted.length <= bytes.length; i++)
        {
            if (java.util.Arrays.equals(bytes, i, i + wanted.length, wanted, 0, wanted.length))
            {
                int at = i + wanted.length;
                while ((bytes[at] & 0xFF) != 0xA7)
                {
                    at++;
                }
                return at + 1;
            }
        }
        throw new IllegalStateException(name + " not found");
    }
}
