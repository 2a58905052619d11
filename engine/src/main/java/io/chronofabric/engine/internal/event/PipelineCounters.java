package io.chronofabric.engine.internal.event;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.chronofabric.engine.api.Stage;

/**
 * The pipeline's counters and latency recorders. Each is written by exactly one pipeline thread (the stage that
 * owns it) and read by anyone, so recording costs no lock and no allocation.
 */
public final class PipelineCounters
{
    private final SingleWriterCounter delivered = new SingleWriterCounter();
    private final SingleWriterCounter unrouted = new SingleWriterCounter();
    private final SingleWriterCounter handlerFailures = new SingleWriterCounter();
    private final SingleWriterCounter journalFailures = new SingleWriterCounter();
    private final SingleWriterCounter orderViolations = new SingleWriterCounter();
    private final SingleWriterCounter dropped = new SingleWriterCounter();
    private final LatencyRecorder endToEnd = new LatencyRecorder();
    private final Map<Stage, LatencyRecorder> stages = new EnumMap<>(Stage.class);
    private final SingleWriterCounter acknowledgedId = new SingleWriterCounter();
    private final SingleWriterCounter settledWatermark = new SingleWriterCounter();
    private final SingleWriterCounter recoveredSettled = new SingleWriterCounter();
    private final Set<Long> stranded = ConcurrentHashMap.newKeySet();
    private volatile Throwable failure;
    private volatile boolean journalFailed;
    private volatile boolean halted;

    /** Creates the counters with one latency recorder per stage. */
    public PipelineCounters()
    {
        for (final Stage stage : Stage.values())
        {
            stages.put(stage, new LatencyRecorder());
        }
    }

    /** @return messages that completed delivery (handed to every subscriber of their type, or to none). */
    public SingleWriterCounter delivered()
    {
        return delivered;
    }

    /** @return delivered messages whose type had no subscriber. */
    public SingleWriterCounter unrouted()
    {
        return unrouted;
    }

    /**
     * @return the settled watermark as last persisted: every journaled id at or below it was delivered or
     *     dead-lettered for every subscriber it was routed to. Written by the delivery thread.
     */
    public SingleWriterCounter settledWatermark()
    {
        return settledWatermark;
    }

    /** @return messages recovered at start (journaled, unsettled before a crash) that have since been settled. */
    public SingleWriterCounter recoveredSettled()
    {
        return recoveredSettled;
    }

    /** @return handler invocations that threw. */
    public SingleWriterCounter handlerFailures()
    {
        return handlerFailures;
    }

    /** @return journal appends that failed. */
    public SingleWriterCounter journalFailures()
    {
        return journalFailures;
    }

    /** @return messages released out of HLC order; must stay 0. */
    public SingleWriterCounter orderViolations()
    {
        return orderViolations;
    }

    /** @return accepted messages that were not delivered (only a failed journal drops today). */
    public SingleWriterCounter dropped()
    {
        return dropped;
    }

    /** @return publish-to-deliver latency, from the intended send time. */
    public LatencyRecorder endToEnd()
    {
        return endToEnd;
    }

    /**
     * @param stage a stage.
     * @return the time messages spent reaching the end of that stage from the end of the previous one
     *     (for the journal stage: from publish).
     */
    public LatencyRecorder stage(final Stage stage)
    {
        return stages.get(stage);
    }

    /**
     * Advances the acknowledged watermark; written by the journal stage only.
     *
     * @param id the highest id now as durable as the journal's policy promises.
     */
    public void acknowledge(final long id)
    {
        acknowledgedId.set(id);
    }

    /** @return the highest id acknowledged: journaled and as durable as the policy promises. */
    public long acknowledgedId()
    {
        return acknowledgedId.get();
    }

    /** @param cause the journal's failure; from now on the engine refuses publishes. The first failure is kept. */
    public void failJournal(final Throwable cause)
    {
        if (null == failure)
        {
            journalFailed = true;
            failure = cause;
        }
    }

    /** @param cause a stage's failure; from now on the engine refuses publishes. The first failure is kept. */
    public void failPipeline(final Throwable cause)
    {
        if (null == failure)
        {
            failure = cause;
        }
    }

    /**
     * A stage failed on a journaled message mid-way, so the stages after it may never see the message: it must not
     * count as settled by a gap (ids the sequencer never saw count as never journaled), and so stays unsettled for the
     * next engine on the journal to deliver. Called on the failing stage's thread before the failure is recorded.
     *
     * @param id the message's id.
     */
    public void strand(final long id)
    {
        stranded.add(id);
    }

    /**
     * @param id a message id.
     * @return true when a stage failed on it mid-way ({@link #strand}); false at no cost while the engine is healthy.
     */
    public boolean isStranded(final long id)
    {
        return null != failure && !stranded.isEmpty() && stranded.contains(id);
    }

    /** @return the fault that made the engine refuse publishes, or null while it is healthy. */
    public Throwable failure()
    {
        return failure;
    }

    /**
     * The close ran out of time: from now on no pipeline thread takes a further message (not even the rest of the
     * batch in hand) or runs an idle tick, nothing more is journaled or handed to a subscriber, a release waiting for
     * a slot of the release ring gives up, and the retries under way stay unsettled for the next start. One flag for
     * every stage, set once: a stage reads it before each message, so a message an earlier stage skipped (its
     * sequence published after the flag was set) is skipped by every later stage too.
     */
    public void halt()
    {
        halted = true;
    }

    /** @return true once the close has {@link #halt() halted} the pipeline. */
    public boolean halted()
    {
        return halted;
    }

    /** @return true when the {@link #failure()} is the journal's. */
    public boolean journalFailed()
    {
        return journalFailed;
    }
}
