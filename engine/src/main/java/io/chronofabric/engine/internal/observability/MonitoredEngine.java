package io.chronofabric.engine.internal.observability;

import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.internal.event.PipelineCounters;
import io.chronofabric.engine.internal.layout.LayoutPlan;
import io.chronofabric.engine.internal.retention.RetentionWorker;
import io.chronofabric.engine.internal.sequencing.TemporalCounters;

/**
 * What the metrics, the monitor and the health check read from a running engine. The engine implements it; this
 * package never sees the engine's own class, so that the engine may start the monitor without a cycle.
 */
public interface MonitoredEngine
{
    /** @return the settings the engine runs with. */
    EngineConfiguration context();

    /** @return the pipeline's counters and latency recorders. */
    PipelineCounters counters();

    /** @return the temporal counters. */
    TemporalCounters temporal();

    /** @return the thread layout in use. */
    LayoutPlan layoutPlan();

    /** @return journal retention. */
    RetentionWorker retention();

    /** @return the highest acknowledged (journaled) id. */
    long acknowledgedId();

    /** @return the settled watermark. */
    long settledWatermark();

    /** @return journaled messages not settled before this start. */
    long recoveredMessages();

    /** @return messages accepted by publish. */
    long published();

    /** @return publishes refused whole. */
    long rejected();

    /** @return times a publisher found the ring full. */
    long backpressureEvents();

    /** @return publishes that met a node's pause for a lagging peer (not the ring's backpressure). */
    long pauseEvents();

    /** @return ring slots free now. */
    long remainingCapacity();

    /** @return subscriptions open now. */
    int activeSubscriptions();

    /** @return remote HLC timestamps rejected as too far ahead. */
    long clockOffsetRejections();

    /** @return forward steps of the wall clock. */
    long clockJumpsForward();

    /** @return backward steps of the wall clock. */
    long clockJumpsBackward();

    /** @return carries of the HLC's logical counter into its wall component (hlc.max-logical reached). */
    long hlcLogicalCarries();

    /** @return the wall component of the HLC's last stamp, epoch nanoseconds; readable from any thread. */
    long hlcStampedWall();

    /**
     * @return the application's wall clock now, for reports (stats, metrics, the monitor): a clock that throws (the
     *     pipeline fails on it) reads as the HLC's last stamp instead, so that reporting and close go on.
     */
    long wallNowForReports();

    /** @return the fault that stopped the engine, or null. */
    Throwable failure();

    /** @return true once closing began. */
    boolean isClosed();
}
