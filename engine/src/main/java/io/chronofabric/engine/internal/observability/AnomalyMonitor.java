package io.chronofabric.engine.internal.observability;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.chronofabric.engine.api.Stage;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The monitor thread's side of message flow tracing: each tick it looks for stuck messages, takes the anomalies the
 * delivery thread found, logs them (WARN, at most {@value #LOG_PER_TICK} lines a tick plus one summary line, so that
 * a burst of slow hops cannot flood the log) and keeps the latest {@value #RECENT} for reports.
 */
public final class AnomalyMonitor
{
    private static final Logger LOG = LogManager.getLogger(AnomalyMonitor.class);
    private static final int LOG_PER_TICK = 10;
    private static final int RECENT = 256;

    private final FlowTracer tracer;
    private final StuckWatch stuck;
    private final ArrayDeque<Anomaly> recent = new ArrayDeque<>();
    private final Map<AnomalyKind, Map<Stage, Long>> unlogged = new EnumMap<>(AnomalyKind.class);
    private int loggedThisTick;

    /**
     * @param tracer the delivery thread's tracer.
     * @param engine the engine it traces.
     */
    public AnomalyMonitor(final FlowTracer tracer, final MonitoredEngine engine)
    {
        this.tracer = tracer;
        this.stuck = new StuckWatch(tracer, engine);
    }

    /**
     * Monitor thread: one round of detection and reporting.
     *
     * @param engine the engine.
     * @param now    {@link System#nanoTime()}.
     */
    public void tick(final MonitoredEngine engine, final long now)
    {
        loggedThisTick = 0;
        unlogged.clear();
        stuck.check(engine, now, this::found);
        tracer.ring().drain(this::found);
        unlogged.forEach((kind, stages) -> stages.forEach((stage, count) ->
            LOG.warn("flow anomalies: {} more {} in {} this interval (not logged one by one; see " +
                "chronofabric_anomalies_total)", count, kind.label(), stage.label())));
    }

    private void found(final Anomaly anomaly)
    {
        synchronized (recent)
        {
            if (RECENT == recent.size())
            {
                recent.pollFirst();
            }
            recent.addLast(anomaly);
        }
        if (AnomalyKind.STUCK == anomaly.kind() || loggedThisTick < LOG_PER_TICK)
        {
            loggedThisTick++;
            LOG.warn("flow anomaly: {} (tracing.stuck-ms={}, tracing.slow-hop-us={})", anomaly.describe(),
                tracer.stuckNanos() / 1_000_000, tracer.slowHopNanos() / 1_000);
            return;
        }
        unlogged.computeIfAbsent(anomaly.kind(), kind -> new EnumMap<>(Stage.class))
            .merge(anomaly.stage(), 1L, Long::sum);
    }

    /** @return the latest anomalies, oldest first. */
    public List<Anomaly> recent()
    {
        synchronized (recent)
        {
            return new ArrayList<>(recent);
        }
    }

    /**
     * @param kind  a kind.
     * @param stage a stage.
     * @return anomalies of that kind found in that stage since the engine started.
     */
    public long total(final AnomalyKind kind, final Stage stage)
    {
        return tracer.count(kind, stage) + (AnomalyKind.STUCK == kind ? stuck.stuck(stage) : 0);
    }

    /** @return anomalies the delivery thread found but could not hand over (the monitor fell behind). */
    public long overflows()
    {
        return tracer.ring().overflows();
    }
}
