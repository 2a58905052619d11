package io.chronofabric.cli.crash;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One incarnation's record of what its subscribers processed, in delivery order, that survives SIGKILL of the JVM:
 * records are stored into a {@link MappedByteBuffer} over a preallocated (sparse) file, so each store is in the page
 * cache the moment it is made and the kernel keeps it when the process dies. It proves what the victim's handlers
 * completed, independently of the engine's own trace.
 *
 * <p>Each record is 16 bytes, little-endian: {@code 0 4 marker, 4 2 incarnation, 6 2 subscriber index, 8 8 message
 * id}. The id is stored first and the first 8 bytes last, as one aligned store, so a record is either complete or
 * absent; the reader stops at the first record without the marker. One writer thread (the delivery thread).
 */
public final class DeliveryLog
{
    /** Bytes per record. */
    public static final int RECORD_LENGTH = 16;
    private static final int MARKER = 0x43464C47;
    private static final int MAX_RECORDS = Integer.MAX_VALUE / RECORD_LENGTH;

    private final MappedByteBuffer buffer;
    private final int incarnation;
    private final int capacity;
    private int next;

    private DeliveryLog(final MappedByteBuffer buffer, final int incarnation, final int capacity)
    {
        this.buffer = buffer;
        this.incarnation = incarnation;
        this.capacity = capacity;
    }

    /**
     * Creates (or truncates) a log file with room for {@code records} records.
     *
     * @param file        the log file.
     * @param incarnation the incarnation writing it, 0 .. 65535.
     * @param records     how many records it must hold.
     * @return the open log.
     */
    public static DeliveryLog create(final Path file, final int incarnation, final long records)
    {
        if (incarnation < 0 || incarnation > 0xFFFF)
        {
            throw new IllegalArgumentException("incarnation " + incarnation + " does not fit the record");
        }
        final int capacity = (int)Math.min(MAX_RECORDS, records);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(0);
            raf.setLength((long)capacity * RECORD_LENGTH);
            final MappedByteBuffer buffer = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0,
                (long)capacity * RECORD_LENGTH);
            buffer.order(ByteOrder.LITTLE_ENDIAN);
            return new DeliveryLog(buffer, incarnation, capacity);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create delivery log " + file, ex);
        }
    }

    /**
     * Records that a subscriber processed a message. A full log halts the JVM with exit code 70: a log that silently
     * stopped recording would make the checks lie.
     *
     * @param subscriber the subscriber index, 0 .. 65535.
     * @param messageId  the message id.
     */
    public void append(final int subscriber, final long messageId)
    {
        if (next == capacity)
        {
            System.err.println("delivery log full after " + capacity + " records (incarnation " + incarnation + ")");
            System.err.flush();
            Runtime.getRuntime().halt(70);
        }
        final int at = next++ * RECORD_LENGTH;
        buffer.putLong(at + 8, messageId);
        buffer.putLong(at, (MARKER & 0xFFFFFFFFL) | (long)incarnation << 32 | (long)subscriber << 48);
    }

    /** Receives the records of a log, in order. */
    @FunctionalInterface
    public interface Reader
    {
        /**
         * @param incarnation the incarnation stored in the record.
         * @param subscriber  the subscriber index.
         * @param messageId   the message id.
         */
        void delivered(int incarnation, int subscriber, long messageId);
    }

    /**
     * Reads every complete record of a log file in order, up to the first slot without the marker.
     *
     * @param file   a log file; an absent one holds no record (the incarnation died before creating it).
     * @param reader receives each record.
     * @return how many records were read.
     */
    public static long read(final Path file, final Reader reader)
    {
        if (!Files.exists(file))
        {
            return 0;
        }
        try (FileChannel channel = FileChannel.open(file))
        {
            final MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            buffer.order(ByteOrder.LITTLE_ENDIAN);
            long count = 0;
            for (int at = 0; at + RECORD_LENGTH <= buffer.capacity(); at += RECORD_LENGTH)
            {
                final long head = buffer.getLong(at);
                if (MARKER != (int)head)
                {
                    break;
                }
                reader.delivered((int)(head >>> 32) & 0xFFFF, (int)(head >>> 48) & 0xFFFF, buffer.getLong(at + 8));
                count++;
            }
            return count;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read delivery log " + file, ex);
        }
    }
}
