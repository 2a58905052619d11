package io.chronofabric.engine.internal.observability;

import java.util.function.Consumer;

import io.chronofabric.engine.api.Stage;
import io.chronofabric.engine.internal.event.SingleWriterCounter;

/**
 * The live stuck-message watchdog, run on the monitor thread: a message is stuck when it stays in one stage longer
 * than {@code tracing.stuck-ms}. It reads what the pipeline publishes anyway, plus what the {@link FlowTracer}
 * publishes with tracing on:
 * <ul>
 *     <li>delivery: a subscriber's handler running one message for too long (its id and subscriber);</li>
 *     <li>journal: the acknowledged watermark not moving while newer messages wait (the next id is stuck);</li>
 *     <li>sequencer: the oldest message held for a dependency waiting too long (the hold buffer does not publish
 *     which id it is).</li>
 * </ul>
 * Each stuck message is reported once. While a delivery is stalled, the stages before it back up behind it; their
 * waiting messages are its symptom and are not reported as stuck of their own.
 */
final class StuckWatch
{
    private final FlowTracer tracer;
    private final long[] running = new long[3];
    private final SingleWriterCounter[] stuck = new SingleWriterCounter[Stage.values().length];
    private final long acknowledgedAtStart;
    private long lastAcknowledged;
    private long acknowledgedChangedAt;
    private long reportedDeliverySince;
    private long reportedJournalId;
    private long reportedHeldSince;

    /**
     * @param tracer the delivery thread's tracer.
     * @param engine the engine, for its watermark at start.
     */
    StuckWatch(final FlowTracer tracer, final MonitoredEngine engine)
    {
        this.tracer = tracer;
        this.acknowledgedAtStart = engine.acknowledgedId();
        this.lastAcknowledged = acknowledgedAtStart;
        this.acknowledgedChangedAt = System.nanoTime();
        for (int i = 0; i < stuck.length; i++)
        {
            stuck[i] = new SingleWriterCounter();
        }
    }

    /**
     * Looks for stuck messages once.
     *
     * @param engine the engine.
     * @param now    {@link System#nanoTime()}.
     * @param sink   receives each newly stuck message.
     */
    void check(final MonitoredEngine engine, final long now, final Consumer<Anomaly> sink)
    {
        final long threshold = tracer.stuckNanos();
        if (tracer.running(running) && now - running[2] > threshold)
        {
            if (running[2] != reportedDeliverySince)
            {
                reportedDeliverySince = running[2];
                report(sink, new Anomaly(AnomalyKind.STUCK, Stage.DELIVERY, running[0], (int)running[1],
                    now - running[2], "subscriber handler still running; the messages behind it wait"));
            }
            // everything upstream backs up behind a stalled delivery: that is its symptom, not another stuck message
            acknowledgedChangedAt = now;
            return;
        }
        final long acknowledged = engine.acknowledgedId();
        if (acknowledged != lastAcknowledged)
        {
            lastAcknowledged = acknowledged;
            acknowledgedChangedAt = now;
        }
        else if (engine.published() > acknowledged - acknowledgedAtStart && now - acknowledgedChangedAt > threshold &&
            acknowledged + 1 != reportedJournalId)
        {
            reportedJournalId = acknowledged + 1;
            report(sink, new Anomaly(AnomalyKind.STUCK, Stage.JOURNAL, acknowledged + 1, -1,
                now - acknowledgedChangedAt,
                "waiting to be journaled: the journal thread is busy or blocked"));
        }
        final long wall = engine.wallNowForReports();
        final long heldAge = engine.temporal().oldestHeldAgeNanos(wall);
        if (heldAge > threshold && wall - heldAge != reportedHeldSince)
        {
            reportedHeldSince = wall - heldAge;
            report(sink, new Anomaly(AnomalyKind.STUCK, Stage.SEQUENCER, -1, -1, heldAge,
                engine.temporal().held() + " message(s) held, the oldest waits for a dependency"));
        }
    }

    private void report(final Consumer<Anomaly> sink, final Anomaly anomaly)
    {
        stuck[anomaly.stage().ordinal()].increment();
        sink.accept(anomaly);
    }

    /** @param stage a stage. @return messages found stuck in it so far (read by the scrape; written here). */
    long stuck(final Stage stage)
    {
        return stuck[stage.ordinal()].get();
    }
}
