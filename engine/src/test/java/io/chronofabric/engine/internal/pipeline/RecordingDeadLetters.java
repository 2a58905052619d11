package io.chronofabric.engine.internal.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.DeadLetterSink;

/** Records the dead letters the delivery stage journals, in order, and when it makes them durable. */
public final class RecordingDeadLetters implements DeadLetterSink
{
    /**
     * One dead letter as journaled.
     *
     * @param messageId    the message.
     * @param type         its type.
     * @param subscriberId the subscriber, or -1 for the message as a whole.
     * @param reason       why.
     * @param attempts     attempts made.
     * @param epochNanos   when, on the wall clock.
     */
    public record Letter(long messageId, int type, int subscriberId, DeadLetterReason reason, int attempts,
        long epochNanos)
    {
        /** @return "id/subscriber/REASON/attempts", as the engine tests write dead letters. */
        public String brief()
        {
            return messageId + "/" + subscriberId + "/" + reason + "/" + attempts;
        }
    }

    private final List<Letter> letters = new ArrayList<>();
    private final List<String> calls;
    private int synced;
    private int syncs;
    private boolean closed;

    /** A sink of its own. */
    public RecordingDeadLetters()
    {
        this(new ArrayList<>());
    }

    /** @param calls where each sync is noted as "dead-letters sync", in order with other sinks' calls. */
    public RecordingDeadLetters(final List<String> calls)
    {
        this.calls = calls;
    }

    @Override
    public void append(final long messageId, final int type, final int subscriberId, final DeadLetterReason reason,
        final int attempts, final long epochNanos)
    {
        if (closed)
        {
            throw new AssertionError("dead letter " + messageId + " appended after close");
        }
        letters.add(new Letter(messageId, type, subscriberId, reason, attempts, epochNanos));
    }

    @Override
    public void sync()
    {
        synced = letters.size();
        syncs++;
        calls.add("dead-letters sync");
    }

    @Override
    public void close()
    {
        closed = true;
    }

    /** @return every dead letter appended, in order. */
    public List<Letter> letters()
    {
        return letters;
    }

    /** @return {@link Letter#brief()} of each, in order. */
    public List<String> briefs()
    {
        return letters.stream().map(Letter::brief).collect(Collectors.toList());
    }

    /** @return how many of them were made durable by a sync. */
    public int synced()
    {
        return synced;
    }

    /** @return how many syncs there were. */
    public int syncs()
    {
        return syncs;
    }

    /** @return whether it was closed. */
    public boolean isClosed()
    {
        return closed;
    }
}
