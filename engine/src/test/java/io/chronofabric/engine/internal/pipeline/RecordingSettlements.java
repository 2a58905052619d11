package io.chronofabric.engine.internal.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import io.chronofabric.journal.SettlementSink;

/**
 * Records the settlement documents the delivery stage writes: what each says (watermark, highest settled id, and the
 * settled, dead, partially settled and retried messages collected since the one before). Never full.
 */
public final class RecordingSettlements implements SettlementSink
{
    /**
     * One document.
     *
     * @param watermark every id at or below it is settled.
     * @param high      the highest settled id.
     * @param settled   ids settled since the last document.
     * @param dead      ids delivered to no subscriber since the last document.
     * @param partial   "id/subscriber/delivered|dead-lettered" since the last document.
     * @param retries   "id/subscriber/attempts" since the last document.
     */
    public record Document(long watermark, long high, List<Long> settled, List<Long> dead, List<String> partial,
        List<String> retries)
    {
    }

    private final List<Document> documents = new ArrayList<>();
    private final List<String> calls;
    private List<Long> settled = new ArrayList<>();
    private List<Long> dead = new ArrayList<>();
    private List<String> partial = new ArrayList<>();
    private List<String> retries = new ArrayList<>();
    private boolean closed;
    private Runnable afterEachWrite = () -> { };

    /** A sink of its own. */
    public RecordingSettlements()
    {
        this(new ArrayList<>());
    }

    /** @param calls where each document written is noted as "settlement write", in order with other sinks' calls. */
    public RecordingSettlements(final List<String> calls)
    {
        this.calls = calls;
    }

    @Override
    public boolean settled(final long id)
    {
        settled.add(id);
        return true;
    }

    @Override
    public boolean dead(final long id)
    {
        dead.add(id);
        return true;
    }

    @Override
    public boolean partial(final long id, final int subscriber, final boolean delivered)
    {
        partial.add(id + "/" + subscriber + "/" + (delivered ? "delivered" : "dead-lettered"));
        return true;
    }

    @Override
    public boolean retry(final long id, final int subscriber, final int attempts)
    {
        retries.add(id + "/" + subscriber + "/" + attempts);
        return true;
    }

    @Override
    public boolean refused(final long id)
    {
        return true; // ids never journaled: not what these documents are compared by
    }

    @Override
    public void write(final long watermark, final long high)
    {
        if (closed)
        {
            throw new AssertionError("settlement written after close");
        }
        documents.add(new Document(watermark, high, settled, dead, partial, retries));
        calls.add("settlement write");
        settled = new ArrayList<>();
        dead = new ArrayList<>();
        partial = new ArrayList<>();
        retries = new ArrayList<>();
        afterEachWrite.run();
    }

    /** @param check run after each document is written, with it among {@link #documents()}. */
    public void afterEachWrite(final Runnable check)
    {
        this.afterEachWrite = check;
    }

    @Override
    public void close()
    {
        closed = true;
    }

    /** @return the documents written, in order. */
    public List<Document> documents()
    {
        return documents;
    }

    /** @return the watermark of the last document, 0 when none was written. */
    public long watermark()
    {
        return documents.isEmpty() ? 0 : documents.get(documents.size() - 1).watermark();
    }

    /** @return every id written as settled, in order. */
    public List<Long> settledIds()
    {
        return documents.stream().flatMap(document -> document.settled().stream()).collect(Collectors.toList());
    }

    /** @return every id written as dead, in order. */
    public List<Long> deadIds()
    {
        return documents.stream().flatMap(document -> document.dead().stream()).collect(Collectors.toList());
    }

    /** @return every partial settlement written, in order. */
    public List<String> partials()
    {
        return documents.stream().flatMap(document -> document.partial().stream()).collect(Collectors.toList());
    }

    /** @return every retry written, in order. */
    public List<String> retries()
    {
        return documents.stream().flatMap(document -> document.retries().stream()).collect(Collectors.toList());
    }

    /**
     * A restart counts the dead letters written after the log's last document as settlements, newest first, down to
     * the first one the log records: so the log must record dead letters in the order they were journaled.
     *
     * @param deadLetters the dead letters journaled so far.
     * @return the first dead letter the documents so far record while one journaled before it is unrecorded, if any.
     */
    public Optional<String> recordedOutOfOrder(final RecordingDeadLetters deadLetters)
    {
        final List<Long> settledIds = settledIds();
        final List<String> partials = partials();
        String unrecorded = null;
        for (final RecordingDeadLetters.Letter letter : deadLetters.letters())
        {
            final boolean recorded = isRecorded(letter, settledIds, partials);
            if (!recorded && null == unrecorded)
            {
                unrecorded = letter.brief();
            }
            else if (recorded && null != unrecorded)
            {
                return Optional.of("document " + documents.size() + " records dead letter " + letter.brief() +
                    " but not " + unrecorded + ", journaled before it");
            }
        }
        return Optional.empty();
    }

    /** @return how many of the dead letters journaled so far no document records. */
    public long unrecorded(final RecordingDeadLetters deadLetters)
    {
        final List<Long> settledIds = settledIds();
        final List<String> partials = partials();
        return deadLetters.letters().stream().filter(letter -> !isRecorded(letter, settledIds, partials)).count();
    }

    private static boolean isRecorded(final RecordingDeadLetters.Letter letter, final List<Long> settledIds,
        final List<String> partials)
    {
        return settledIds.contains(letter.messageId()) || (-1 != letter.subscriberId() &&
            partials.contains(letter.messageId() + "/" + letter.subscriberId() + "/dead-lettered"));
    }

    /** @return whether it was closed. */
    public boolean isClosed()
    {
        return closed;
    }
}
