package io.chronofabric.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.zip.CRC32C;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Dead-letter records, in a Chronicle Queue of their own (the {@code deadletters} folder inside the journal folder).
 * One document per record, little-endian:
 * <pre>
 *  0 1 version (1)      1 1 reason ordinal   2 2 attempts
 *  4 4 subscriber id (-1: the message as a whole, before any subscriber)
 *  8 8 message id      16 8 time, epoch nanoseconds     24 4 message type     28 4 CRC32C over bytes [0, 28)
 * </pre>
 * The message itself stays in the main journal under its id. Single-threaded writer.
 */
public final class DeadLetterJournal implements DeadLetterSink
{
    /** Name of the dead-letter folder inside a journal folder. */
    public static final String FOLDER = "deadletters";
    /** Subscriber id of a dead letter decided before delivery, for the message as a whole. */
    public static final int WHOLE_MESSAGE = -1;
    private static final int VERSION = 1;
    private static final int LENGTH = 32;
    private static final String DOCUMENT = "dead letter";

    private final DurableQueue queue;
    private final byte[] scratch = new byte[LENGTH];
    private final ByteBuffer buffer = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();

    /**
     * @param journalDir the journal folder.
     * @param rollCycle  the Chronicle roll cycle name.
     * @param durability the journal's policy, which dead letters follow once {@link #sync()} is called.
     */
    public DeadLetterJournal(final Path journalDir, final String rollCycle, final Durability durability)
    {
        this(journalDir, rollCycle, durability, JournalQueues.DEFAULT_BLOCK_SIZE);
    }

    /**
     * @param journalDir the journal folder.
     * @param rollCycle  the Chronicle roll cycle name.
     * @param durability the journal's policy, which dead letters follow once {@link #sync()} is called.
     * @param blockSize  the memory-mapped block of the queue ({@link JournalQueues#blockSize(long, int)}).
     */
    public DeadLetterJournal(final Path journalDir, final String rollCycle, final Durability durability,
        final long blockSize)
    {
        this.queue = new DurableQueue(journalDir.resolve(FOLDER), rollCycle, durability, blockSize, LENGTH);
    }

    /**
     * Appends one dead letter.
     *
     * @param messageId    the message's id.
     * @param type         the message's type.
     * @param subscriberId the subscriber it failed for, or {@link #WHOLE_MESSAGE}.
     * @param reason       why.
     * @param attempts     delivery attempts made.
     * @param epochNanos   when it was decided.
     */
    public void append(final long messageId, final int type, final int subscriberId, final DeadLetterReason reason,
        final int attempts, final long epochNanos)
    {
        buffer.put(0, (byte)VERSION).put(1, (byte)reason.ordinal()).putShort(2, (short)Math.min(attempts, 0xFFFF))
            .putInt(4, subscriberId).putLong(8, messageId).putLong(16, epochNanos).putInt(24, type);
        crc.reset();
        crc.update(scratch, 0, LENGTH - 4);
        buffer.putInt(LENGTH - 4, (int)crc.getValue());
        queue.write(scratch, 0, LENGTH);
    }

    /**
     * Makes the dead letters appended so far as durable as the journal's policy says; at the end of each delivery
     * batch, before the settlement log records them as settled.
     */
    public void sync()
    {
        queue.syncOrFail();
    }

    /**
     * Reads every dead letter of a journal folder in order.
     *
     * @param journalDir a journal folder.
     * @param sink       receives each record.
     * @return how many were read.
     * @throws JournalCorruptionException for a corrupt record, naming its index and the dead-letter folder, or when
     *     Chronicle fails to read the folder (its failure is the cause).
     */
    public static long readAll(final Path journalDir, final Consumer<DeadLetterRecord> sink)
    {
        return read(journalDir, false, record ->
        {
            sink.accept(record);
            return true;
        });
    }

    /**
     * Reads the dead letters of a journal folder newest first, for as long as the visitor asks for more.
     *
     * @param journalDir a journal folder.
     * @param visitor    receives each record; returns false to stop.
     * @return how many were read.
     * @throws JournalCorruptionException as {@link #readAll} does.
     */
    public static long readNewestFirst(final Path journalDir, final Predicate<DeadLetterRecord> visitor)
    {
        return read(journalDir, true, visitor);
    }

    private static long read(final Path journalDir, final boolean newestFirst,
        final Predicate<DeadLetterRecord> visitor)
    {
        final Path dir = journalDir.resolve(FOLDER);
        if (!Files.isDirectory(dir) || JournalFiles.rollFiles(dir).isEmpty())
        {
            return 0;
        }
        final byte[] scratch = new byte[LENGTH];
        final ByteBuffer buffer = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN);
        final CRC32C crc = new CRC32C();
        long count = 0;
        long index = -1;
        try (ChronicleQueue queue = JournalQueues.openForRead(dir); ExcerptTailer tailer = queue.createTailer())
        {
            if (newestFirst && !JournalQueues.toLastBackwards(queue, tailer))
            {
                return 0;
            }
            boolean more = true;
            while (more)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    if (!context.isPresent())
                    {
                        return count;
                    }
                    index = context.index();
                    more = visitor.test(decode(dir, context, scratch, buffer, crc));
                    count++;
                }
            }
            return count;
        }
        catch (final JournalCorruptionException ex)
        {
            throw ex;
        }
        catch (final RuntimeException | AssertionError ex)
        {
            throw JournalCorruptionException.unreadable(dir, index, ex);
        }
    }

    private static DeadLetterRecord decode(final Path dir, final DocumentContext context, final byte[] scratch,
        final ByteBuffer buffer, final CRC32C crc)
    {
        final Bytes<?> bytes = context.wire().bytes();
        if (LENGTH != bytes.readRemaining())
        {
            throw JournalCorruptionException.document(DOCUMENT, dir, context.index(), "dead letter of " +
                bytes.readRemaining() + " bytes, expected " + LENGTH);
        }
        bytes.read(scratch, 0, LENGTH);
        crc.reset();
        crc.update(scratch, 0, LENGTH - 4);
        final int reason = buffer.get(1) & 0xFF;
        if ((int)crc.getValue() != buffer.getInt(LENGTH - 4) || VERSION != buffer.get(0) ||
            reason >= DeadLetterReason.values().length)
        {
            throw JournalCorruptionException.document(DOCUMENT, dir, context.index(), "corrupt dead " +
                "letter (CRC, version or reason)");
        }
        return new DeadLetterRecord(buffer.getLong(8), buffer.getInt(24), buffer.getInt(4),
            DeadLetterReason.values()[reason], buffer.getShort(2) & 0xFFFF, buffer.getLong(16));
    }

    @Override
    public void close()
    {
        queue.close();
    }
}
