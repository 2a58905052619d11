package io.chronofabric.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

import net.openhft.chronicle.bytes.Bytes;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

import static io.chronofabric.journal.SettlementLayout.*;

/**
 * What the settlement log says about a journal, as recovery and the journal tool need it: the settled watermark,
 * which ids above it are settled, for which subscribers a still unsettled message is settled, how many attempts a
 * retry had made, which messages were delivered to no subscriber (so that their dependents are dead-lettered
 * after a restart too), and which ids the watermark passed though they were never journaled (so that their dependents
 * wait for them after a restart too). Read backwards from the end, only as far as documents can mention an id that matters.
 *
 * <p>A dead letter is a settlement, written to the dead-letter journal before the settlement document that records it
 * (at the end of the delivery batch). After a crash between the two, the dead letters the log does not record yet
 * count as recorded, so the next engine neither dead-letters the message again nor invokes the subscriber again.
 */
public final class SettledState
{
    private static final Logger LOG = LogManager.getLogger(SettledState.class);
    private static final SettledState EMPTY = new SettledState(0, 0);
    /** What its errors call a document of the log. */
    private static final String DOCUMENT = "settlement document";

    private final long watermark;
    private final long high;
    /** The highest id settled, counting dead letters the log does not record yet. */
    private long settledHigh;
    private final BitSet settledAbove = new BitSet();
    private final TreeSet<Long> dead = new TreeSet<>();
    private final TreeSet<Long> refused = new TreeSet<>();
    private final Map<Long, Map<Integer, Boolean>> partial = new HashMap<>();
    private final Map<Long, Map<Integer, Integer>> attempts = new HashMap<>();
    /** The dead letters taken in because the log did not record them yet, newest first: (id, subscriber) pairs. */
    private final List<long[]> adopted = new ArrayList<>();

    private SettledState(final long watermark, final long high)
    {
        this.watermark = watermark;
        this.high = high;
        this.settledHigh = high;
    }

    /** @return the state of a journal with no settlement log: nothing settled, no per-subscriber state. */
    public static SettledState empty()
    {
        return EMPTY;
    }

    /**
     * Reads a journal folder's settlement log.
     *
     * @param journalDir   the journal folder.
     * @param deadLookback how far below the watermark dead messages matter: the dependency window, since a message
     *                     can depend on ids at most that far back.
     * @return the state; an empty state (nothing settled) when the folder has no settlement log.
     * @throws JournalCorruptionException for a corrupt document, naming its index and the settlement log's folder, or
     *     when Chronicle fails to read the log (its failure is the cause).
     */
    public static SettledState read(final Path journalDir, final long deadLookback)
    {
        final SettledState state = readLog(journalDir, deadLookback);
        final SettledState withDeadLetters = null == state ? new SettledState(0, 0) : state;
        boolean adopted;
        try
        {
            adopted = withDeadLetters.adoptDeadLettersNotRecorded(journalDir);
        }
        catch (final RuntimeException ex)
        {
            // the dead letters are the application's record, not the system's: a damaged one must not stop a start
            // or a journal command that needs the watermark; those after the last document are then retried
            LOG.warn("{}: the dead letters written after the settlement log's last document are not counted as " +
                "settlements: {}", journalDir, ex.toString());
            adopted = false;
        }
        return null == state && !adopted ? EMPTY : withDeadLetters;
    }

    /** @return what the settlement log records, or null when the folder has none. */
    private static SettledState readLog(final Path journalDir, final long deadLookback)
    {
        final Path dir = SettlementLayout.settlementDir(journalDir);
        if (!Files.isDirectory(dir) || JournalFiles.rollFiles(dir).isEmpty())
        {
            return null;
        }
        final byte[] scratch = new byte[MAX_LENGTH];
        final ByteBuffer buffer = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN);
        final CRC32C crc = new CRC32C();
        SettledState state = null;
        long index = -1;
        try (ChronicleQueue queue = JournalQueues.openForRead(dir); ExcerptTailer tailer = queue.createTailer())
        {
            boolean more = JournalQueues.toLastBackwards(queue, tailer);
            while (more)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    if (!context.isPresent())
                    {
                        break;
                    }
                    index = context.index();
                    final long length = readDocument(dir, context, scratch, buffer, crc);
                    if (null == state)
                    {
                        state = new SettledState(buffer.getLong(WATERMARK_OFFSET), buffer.getLong(HIGH_OFFSET));
                        if (state.high - state.watermark >= Integer.MAX_VALUE)
                        {
                            // no writer leaves 2^31 ids unsettled; reading on would fail on the id offsets instead
                            throw JournalCorruptionException.document(DOCUMENT, dir, context.index(), "watermark " +
                                state.watermark + " and highest settled id " + state.high + " are 2^31 or more apart");
                        }
                    }
                    // this and every earlier document only mention ids that no longer matter
                    more = buffer.getLong(HIGH_OFFSET) > state.watermark - deadLookback;
                    if (more)
                    {
                        state.merge(buffer, (int)length, deadLookback);
                    }
                }
            }
        }
        catch (final JournalCorruptionException ex)
        {
            throw ex;
        }
        catch (final RuntimeException | AssertionError ex)
        {
            throw JournalCorruptionException.unreadable(dir, index, ex);
        }
        return state;
    }

    /**
     * Takes in the dead letters written after the log's last document, newest first, until the first one the log
     * records: the writer records dead letters in the order it journals them (the delivery stage records every
     * settlement of a run of retries before the dependents they release go on, and a new engine records what this
     * adopted before it delivers anything: {@link #forEachAdopted}), so the dead letters a document records are always
     * the oldest ones.
     *
     * @return true when some dead letter was not recorded.
     */
    private boolean adoptDeadLettersNotRecorded(final Path journalDir)
    {
        DeadLetterJournal.readNewestFirst(journalDir, letter ->
        {
            final long id = letter.messageId();
            final boolean whole = DeadLetterJournal.WHOLE_MESSAGE == letter.subscriberId();
            if (isSettled(id) || (!whole && null != settledFor(id, letter.subscriberId())))
            {
                return false;
            }
            if (whole)
            {
                settledAbove.set(offsetOf(id));
                settledHigh = Math.max(settledHigh, id);
                dead.add(id);
            }
            else
            {
                partial.computeIfAbsent(id, k -> new HashMap<>()).put(letter.subscriberId(), false);
            }
            adopted.add(new long[] {id, letter.subscriberId()});
            return true;
        });
        return !adopted.isEmpty();
    }

    /**
     * Reads every document of a journal folder's settlement log and checks each as {@link #read} does (length,
     * version, counts, CRC32C): recovery reads only the last documents, the journal tool's verify reads them all.
     *
     * @param journalDir a journal folder.
     * @param corrupt    receives each corrupt document, naming its index; reading goes on after it.
     * @return how many documents were valid; 0 when the folder has no settlement log.
     * @throws JournalCorruptionException when Chronicle fails to read the log (its failure is the cause).
     */
    public static long checkAll(final Path journalDir, final Consumer<JournalCorruptionException> corrupt)
    {
        return checkAll(journalDir, corrupt, (index, id) -> { });
    }

    /**
     * Receives each message id a valid settlement document names: its high, the ends of its ranges, its dead, partial
     * and retried ids. Each is the id of a message that was journaled before it was delivered (or retried): a
     * journal that lacks one lost a message.
     */
    @FunctionalInterface
    public interface NamedIdSink
    {
        /**
         * @param documentIndex the document's queue index.
         * @param id            a message id it names.
         */
        void named(long documentIndex, long id);
    }

    /**
     * As {@link #checkAll(Path, Consumer)}, also passing every message id each valid document names to {@code named}.
     *
     * @param journalDir a journal folder.
     * @param corrupt    receives each corrupt document, naming its index; reading goes on after it.
     * @param named      receives the ids each valid document names, in document order.
     * @return how many documents were valid; 0 when the folder has no settlement log.
     * @throws JournalCorruptionException when Chronicle fails to read the log (its failure is the cause).
     */
    public static long checkAll(final Path journalDir, final Consumer<JournalCorruptionException> corrupt,
        final NamedIdSink named)
    {
        final Path dir = SettlementLayout.settlementDir(journalDir);
        if (!Files.isDirectory(dir) || JournalFiles.rollFiles(dir).isEmpty())
        {
            return 0;
        }
        final byte[] scratch = new byte[MAX_LENGTH];
        final ByteBuffer buffer = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN);
        final CRC32C crc = new CRC32C();
        long valid = 0;
        long index = -1;
        try (ChronicleQueue queue = JournalQueues.openForRead(dir); ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    if (!context.isPresent())
                    {
                        return valid;
                    }
                    index = context.index();
                    final int length = (int)readDocument(dir, context, scratch, buffer, crc);
                    valid++;
                    nameIds(buffer, length, index, named);
                }
                catch (final JournalCorruptionException ex)
                {
                    corrupt.accept(ex);
                }
            }
        }
        catch (final RuntimeException | AssertionError ex)
        {
            throw JournalCorruptionException.unreadable(dir, index, ex);
        }
    }

    private static long readDocument(final Path dir, final DocumentContext context, final byte[] scratch,
        final ByteBuffer buffer, final CRC32C crc)
    {
        final Bytes<?> bytes = context.wire().bytes();
        final long length = bytes.readRemaining();
        if (length < HEADER_LENGTH || length > scratch.length)
        {
            throw JournalCorruptionException.document(DOCUMENT, dir, context.index(), length + " bytes, outside [" +
                HEADER_LENGTH + ", " + scratch.length + "]");
        }
        bytes.read(scratch, 0, (int)length);
        crc.reset();
        crc.update(scratch, WATERMARK_OFFSET, (int)length - WATERMARK_OFFSET);
        final long expected = HEADER_LENGTH + (long)buffer.getInt(RANGES_OFFSET) * RANGE_LENGTH +
            (long)buffer.getInt(DEAD_OFFSET) * DEAD_LENGTH + (long)buffer.getInt(PARTIAL_OFFSET) * PARTIAL_LENGTH +
            (long)buffer.getInt(RETRY_OFFSET) * RETRY_LENGTH +
            (long)refusedCount(buffer) * REFUSED_LENGTH;
        final byte version = buffer.get(0);
        if ((VERSION != version && VERSION_WITHOUT_REFUSED != version) ||
            (int)crc.getValue() != buffer.getInt(CRC_OFFSET) || expected != length)
        {
            throw JournalCorruptionException.document(DOCUMENT, dir, context.index(), "version, CRC32C or counts do " +
                "not match its length of " + length + " bytes");
        }
        return length;
    }

    /**
     * The refused ids at the document's end are left out: they were never journaled. So is the high when it is one
     * of them (a document written full in the middle of a long run of refused ids).
     */
    private static void nameIds(final ByteBuffer buffer, final int length, final long index,
        final NamedIdSink named)
    {
        final long high = buffer.getLong(HIGH_OFFSET);
        if (!refusedHere(buffer, length, high))
        {
            named.named(index, high);
        }
        int offset = HEADER_LENGTH;
        for (int i = 0, n = buffer.getInt(RANGES_OFFSET); i < n; i++, offset += RANGE_LENGTH)
        {
            named.named(index, buffer.getLong(offset));
            named.named(index, buffer.getLong(offset + 8));
        }
        for (int i = 0, n = buffer.getInt(DEAD_OFFSET); i < n; i++, offset += DEAD_LENGTH)
        {
            named.named(index, buffer.getLong(offset));
        }
        for (int i = 0, n = buffer.getInt(PARTIAL_OFFSET); i < n; i++, offset += PARTIAL_LENGTH)
        {
            named.named(index, buffer.getLong(offset));
        }
        for (int i = 0, n = buffer.getInt(RETRY_OFFSET); i < n; i++, offset += RETRY_LENGTH)
        {
            named.named(index, buffer.getLong(offset));
        }
    }

    /** @return true when the refused ids, which end the document, include {@code id}. */
    private static boolean refusedHere(final ByteBuffer buffer, final int length, final long id)
    {
        for (int offset = length - refusedCount(buffer) * REFUSED_LENGTH; offset < length; offset += REFUSED_LENGTH)
        {
            if (buffer.getLong(offset) == id)
            {
                return true;
            }
        }
        return false;
    }

    /** @return how many refused ids end the document (0 in a version 1 document, whose bytes were reserved). */
    private static int refusedCount(final ByteBuffer buffer)
    {
        return Short.toUnsignedInt(buffer.getShort(REFUSED_OFFSET));
    }

    private void merge(final ByteBuffer buffer, final int length, final long deadLookback)
    {
        int offset = HEADER_LENGTH;
        for (int i = 0, n = buffer.getInt(RANGES_OFFSET); i < n; i++, offset += RANGE_LENGTH)
        {
            final long start = Math.max(buffer.getLong(offset), watermark + 1);
            final long end = Math.min(buffer.getLong(offset + 8), high);
            if (start <= end)
            {
                settledAbove.set(offsetOf(start), offsetOf(end) + 1);
            }
        }
        for (int i = 0, n = buffer.getInt(DEAD_OFFSET); i < n; i++, offset += DEAD_LENGTH)
        {
            final long id = buffer.getLong(offset);
            if (id > watermark - deadLookback)
            {
                dead.add(id);
            }
        }
        for (int i = 0, n = buffer.getInt(PARTIAL_OFFSET); i < n; i++, offset += PARTIAL_LENGTH)
        {
            final long id = buffer.getLong(offset);
            if (id > watermark)
            {
                partial.computeIfAbsent(id, k -> new HashMap<>()).put(buffer.getInt(offset + 8), 0 != buffer.getInt(offset + 12));
            }
        }
        for (int i = 0, n = buffer.getInt(RETRY_OFFSET); i < n; i++, offset += RETRY_LENGTH)
        {
            final long id = buffer.getLong(offset);
            if (id > watermark)
            {
                attempts.computeIfAbsent(id, k -> new HashMap<>()).merge(buffer.getInt(offset + 8), buffer.getInt(offset + 12), Math::max);
            }
        }
        for (int i = 0, n = refusedCount(buffer); i < n; i++, offset += REFUSED_LENGTH)
        {
            final long id = buffer.getLong(offset);
            if (id > watermark - deadLookback)
            {
                refused.add(id);
            }
        }
        assert offset == length;
    }

    private int offsetOf(final long id)
    {
        final long offset = id - watermark - 1;
        if (offset >= Integer.MAX_VALUE)
        {
            throw new IllegalStateException("more than 2^31 ids between the settled watermark " + watermark +
                " and message " + id);
        }
        return (int)offset;
    }

    /**
     * Counts the journaled messages that are not settled: those above the watermark the log does not mention as
     * settled. Reads the journal backwards from its end down to the watermark only.
     *
     * @param journalDir      a journal folder.
     * @param maxDependencies the most dependency ids a record may carry.
     * @param payloadCapacity the largest payload in bytes.
     * @return how many journaled messages are unsettled.
     * @throws JournalCorruptionException for a corrupt record or settlement document.
     */
    public long countUnsettled(final Path journalDir, final int maxDependencies, final int payloadCapacity)
    {
        if (JournalFiles.rollFiles(journalDir).isEmpty())
        {
            return 0;
        }
        final MessageRecord record = new MessageRecord(maxDependencies, payloadCapacity);
        long unsettled = 0;
        try (JournalReader backwards = new JournalReader(journalDir, maxDependencies, payloadCapacity))
        {
            backwards.toEndBackwards();
            while (backwards.next(record) && record.id() > watermark)
            {
                if (!isSettled(record.id()))
                {
                    unsettled++;
                }
            }
        }
        return unsettled;
    }

    /** @return every journaled id at or below it is settled; 0 when nothing is. */
    public long watermark()
    {
        return watermark;
    }

    /** @return the highest id ever settled, the dead letters the log did not record yet included. */
    public long high()
    {
        return settledHigh;
    }

    /**
     * The dead letters written after the log's last document, which this state counts as settlements: the next engine
     * records them in a document of its own before it delivers anything, so that the log records dead letters in the
     * order they were journaled across restarts too (else a dead letter it journals and records first would make a
     * later start stop looking before these).
     *
     * @param sink receives each, oldest first: its message id and subscriber ({@link DeadLetterJournal#WHOLE_MESSAGE}
     *             for the message as a whole).
     */
    public void forEachAdopted(final AdoptedSink sink)
    {
        for (int i = adopted.size() - 1; i >= 0; i--)
        {
            sink.adopted(adopted.get(i)[0], (int)adopted.get(i)[1]);
        }
    }

    /** Receives the dead letters a {@link SettledState} counted as settlements though the log did not record them. */
    @FunctionalInterface
    public interface AdoptedSink
    {
        /**
         * @param messageId  the message.
         * @param subscriber the subscriber, or {@link DeadLetterJournal#WHOLE_MESSAGE}.
         */
        void adopted(long messageId, int subscriber);
    }

    /**
     * @param id a journaled message id.
     * @return true when settled for every subscriber it was routed to.
     */
    public boolean isSettled(final long id)
    {
        return id <= watermark || (id <= settledHigh && settledAbove.get(offsetOf(id)));
    }

    /**
     * @param id a message id within the dead lookback of the watermark.
     * @return true when it was delivered to no subscriber (dead-lettered whole or for each subscriber).
     */
    public boolean isDead(final long id)
    {
        return dead.contains(id);
    }

    /** @return the dead ids at or below the watermark that are still within the lookback, ascending. */
    public Set<Long> deadAtOrBelowWatermark()
    {
        return dead.headSet(watermark, true);
    }

    /**
     * @return the ids at or below the watermark, still within the lookback, that were never journaled (a publish
     *     refused after it took the id), ascending: the watermark passed them, yet a dependent must wait for them.
     */
    public long[] refusedAtOrBelowWatermark()
    {
        return refused.headSet(watermark, true).stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * @param id         an unsettled message.
     * @param subscriber a subscriber id.
     * @return null when the message is not yet settled for that subscriber; else true when it was delivered to it,
     *     false when it was dead-lettered for it.
     */
    public Boolean settledFor(final long id, final int subscriber)
    {
        final Map<Integer, Boolean> bySubscriber = partial.get(id);
        return null == bySubscriber ? null : bySubscriber.get(subscriber);
    }

    /**
     * @param id         an unsettled message.
     * @param subscriber a subscriber id.
     * @return the delivery attempts already made for it, 0 when none failed.
     */
    public int attemptsMade(final long id, final int subscriber)
    {
        final Map<Integer, Integer> bySubscriber = attempts.get(id);
        return null == bySubscriber ? 0 : bySubscriber.getOrDefault(subscriber, 0);
    }

    /**
     * The per-subscriber state of the unsettled messages: a writer records it again before its documents fall out of
     * what a start reads ({@link #read}'s lookback), so that it outlives any number of older messages settling.
     *
     * @param sink receives each message's settlement for one subscriber, and each retry's attempts made for a subscriber
     *             the message is not settled for yet.
     */
    public void forEachSubscriberState(final SubscriberStateSink sink)
    {
        partial.forEach((id, bySubscriber) -> bySubscriber.forEach((subscriber, delivered) ->
        {
            if (!isSettled(id))
            {
                sink.settled(id, subscriber, delivered);
            }
        }));
        attempts.forEach((id, bySubscriber) -> bySubscriber.forEach((subscriber, made) ->
        {
            if (!isSettled(id) && null == settledFor(id, subscriber))
            {
                sink.retrying(id, subscriber, made);
            }
        }));
    }

    /** Receives the per-subscriber state of unsettled messages from {@link #forEachSubscriberState}. */
    public interface SubscriberStateSink
    {
        /**
         * @param id         an unsettled message.
         * @param subscriber a subscriber it is settled for.
         * @param delivered  true when delivered to it, false when dead-lettered for it.
         */
        void settled(long id, int subscriber, boolean delivered);

        /**
         * @param id         an unsettled message.
         * @param subscriber a subscriber it is being retried for.
         * @param attempts   the attempts made.
         */
        void retrying(long id, int subscriber, int attempts);
    }

    /** @return true when some unsettled message is settled for some subscribers or was being retried. */
    public boolean hasPerSubscriberState()
    {
        return !partial.isEmpty() || !attempts.isEmpty();
    }
}
