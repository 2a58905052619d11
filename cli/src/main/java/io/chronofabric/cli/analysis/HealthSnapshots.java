package io.chronofabric.cli.analysis;

import io.chronofabric.engine.internal.Engine;
import java.util.LinkedHashMap;
import java.util.Map;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.internal.layout.LayoutPlan;
import io.chronofabric.engine.config.PerformanceTargets;
import io.chronofabric.engine.api.Stage;
import io.chronofabric.engine.internal.sequencing.TemporalCounters;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.engine.internal.observability.DiskSpaceWatch;
import io.chronofabric.engine.internal.observability.ProcessStats;

/**
 * Builds the {@link HealthSnapshot} of a live engine ({@code run --diagnose}); {@link ScrapedHealth} builds one from
 * a {@code /metrics} text ({@code diagnose}).
 */
public final class HealthSnapshots
{
    private static final double NANOS_PER_SECOND = 1e9;
    private static final double BYTES_PER_MIB = 1024.0 * 1024.0;

    private HealthSnapshots()
    {
    }

    /**
     * @param engine a running (or closed) engine.
     * @return its health facts now.
     */
    public static HealthSnapshot of(final Engine engine)
    {
        final LayoutPlan plan = engine.layoutPlan();
        final PerformanceTargets targets = engine.context().targets();
        final HealthSnapshot.Engine facts = new HealthSnapshot.Engine(engine.context().profile(),
            plan.waitStrategy().label(), plan.threads().size(),
            plan.waitStrategy().burnsCore() ? plan.threads().size() : 0, ProcessStats.cpus(), engine.published(),
            engine.counters().delivered().get(), engine.counters().dropped().get(),
            engine.counters().handlerFailures().get(), engine.monitor().breaches());
        final Map<String, Double> stages = new LinkedHashMap<>();
        // empty with latency.stages.enabled=false: nothing is recorded per stage
        for (final Stage stage : engine.context().stageLatencyEnabled() ? Stage.values() : new Stage[0])
        {
            stages.put(stage.label(), p99(engine.counters().stage(stage).cumulative().getValueAtPercentile(99)));
        }
        final long used = engine.context().ringSize() - engine.remainingCapacity();
        final HealthSnapshot.Latency latency = new HealthSnapshot.Latency(engine.context().ringSize(),
            Math.max(used, engine.monitor().ringUsedMax()), engine.backpressureEvents(),
            p99(engine.counters().endToEnd().cumulative().getValueAtPercentile(99)),
            targets.latencyP99Nanos() / NANOS_PER_SECOND, stages);
        final HealthSnapshot.Memory memory = new HealthSnapshot.Memory(ProcessStats.heapUsedBytes(),
            ProcessStats.heapMaxBytes(), ProcessStats.residentBytes(), engine.monitor().residentAtStart(),
            targets.rssMb() * BYTES_PER_MIB);
        final HealthSnapshot.Journal journal = new HealthSnapshot.Journal(
            DiskSpaceWatch.freeBytes(engine.context().journalDir()), engine.context().journalMinFreeBytes(),
            engine.monitor().diskSpace().secondsUntilFull(), engine.retention().blocked(),
            engine.retention().oldestUnsettledId(), engine.settledWatermark(), engine.retention().held());
        return new HealthSnapshot(facts, latency, memory, temporal(engine, targets), journal);
    }

    private static HealthSnapshot.Temporal temporal(final Engine engine, final PerformanceTargets targets)
    {
        final TemporalCounters temporal = engine.temporal();
        final Map<String, Long> deadLetters = new LinkedHashMap<>();
        for (final DeadLetterReason reason : DeadLetterReason.values())
        {
            deadLetters.put(reason.label(), temporal.deadLetters(reason));
        }
        return new HealthSnapshot.Temporal(temporal.held(), engine.context().holdCapacity(),
            temporal.oldestHeldAgeNanos(engine.context().wallClock().epochNanos()) / NANOS_PER_SECOND,
            engine.context().holdTimeoutNanos() / NANOS_PER_SECOND, temporal.deadlineMisses(),
            temporal.causalityViolations().get(), deadLetters, temporal.coherence(), targets.temporalCoherence(),
            engine.clockOffsetRejections(), engine.clockJumpsForward() + engine.clockJumpsBackward());
    }

    private static double p99(final long nanos)
    {
        return nanos / NANOS_PER_SECOND;
    }
}
