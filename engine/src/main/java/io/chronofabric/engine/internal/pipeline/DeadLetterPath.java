package io.chronofabric.engine.internal.pipeline;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.chronofabric.engine.api.DeadLetter;
import io.chronofabric.engine.api.DeadLetterHandler;
import io.chronofabric.engine.api.Message;
import io.chronofabric.engine.api.WallClock;
import io.chronofabric.engine.internal.sequencing.TemporalCounters;
import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.DeadLetterSink;
import io.chronofabric.journal.DeadLetterReason;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.event.MessageView;

/**
 * Where undeliverable messages go, on the delivery thread: each dead letter is journaled, counted by reason, then
 * handed to the dead-letter subscribers.
 */
public final class DeadLetterPath implements DeadLetter
{
    private static final Logger LOG = LogManager.getLogger(DeadLetterPath.class);

    private final DeadLetterSink journal;
    private final TemporalCounters temporal;
    private final WallClock wallClock;
    private final List<DeadLetterHandler> handlers = new CopyOnWriteArrayList<>();
    private final MessageView message = new MessageView();
    private int subscriberId;
    private DeadLetterReason reason;
    private int attempts;

    /**
     * @param journal   the dead-letter journal (in a test, what records them), owned by the delivery thread from now
     *                  on.
     * @param temporal  the temporal health counters.
     * @param wallClock stamps each dead letter.
     */
    public DeadLetterPath(final DeadLetterSink journal, final TemporalCounters temporal, final WallClock wallClock)
    {
        this.journal = journal;
        this.temporal = temporal;
        this.wallClock = wallClock;
    }

    /** @param handler a dead-letter subscriber, invoked on the delivery thread. */
    public void subscribe(final DeadLetterHandler handler)
    {
        handlers.add(handler);
    }

    /**
     * Dead-letters a message.
     *
     * @param dead         the message.
     * @param subscriberId the subscriber it failed for, or {@link DeadLetterJournal#WHOLE_MESSAGE}.
     * @param why          the reason.
     * @param attemptsMade delivery attempts made.
     */
    public void deadLetter(final MessageEvent dead, final int subscriberId, final DeadLetterReason why,
        final int attemptsMade)
    {
        journal.append(dead.id(), dead.type(), subscriberId, why, attemptsMade, wallClock.epochNanos());
        temporal.deadLetter(why);
        this.message.wrap(dead);
        this.subscriberId = subscriberId;
        this.reason = why;
        this.attempts = attemptsMade;
        for (final DeadLetterHandler handler : handlers)
        {
            try
            {
                handler.onDeadLetter(this);
            }
            catch (final Throwable ex)
            {
                LOG.warn("dead-letter subscriber failed on message {}", dead.id(), ex);
            }
        }
    }

    /** Makes the dead letters written so far as durable as the journal's policy; at the end of each batch. */
    public void sync()
    {
        journal.sync();
    }

    /** Closes the dead-letter journal; on the delivery thread. */
    public void close()
    {
        journal.close();
    }

    @Override
    public Message message()
    {
        return message;
    }

    @Override
    public int subscriberId()
    {
        return subscriberId;
    }

    @Override
    public DeadLetterReason reason()
    {
        return reason;
    }

    @Override
    public int attempts()
    {
        return attempts;
    }
}
