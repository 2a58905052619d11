package io.chronofabric.engine.internal.observability;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import io.chronofabric.engine.internal.layout.LayoutPlan;
import io.chronofabric.engine.config.PerformanceTargets;
import io.chronofabric.engine.api.Stage;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * Every ChronoFabric metric, built when Prometheus scrapes: it reads the counters, gauges and HdrHistogram recorders
 * the pipeline threads write anyway, so collecting adds no work, allocation or lock on those threads.
 */
final class EngineCollector implements MultiCollector
{
    private static final double NANOS_PER_SECOND = 1e9;
    private static final double BYTES_PER_MIB = 1024.0 * 1024.0;

    private final MonitoredEngine engine;
    private final PerformanceMonitor monitor;
    private final JournalIndex journal;
    private final LatencyFamilies latency;
    private final double startSeconds = System.currentTimeMillis() / 1e3;

    EngineCollector(final MonitoredEngine engine, final PerformanceMonitor monitor, final JournalIndex journal)
    {
        this.engine = engine;
        this.monitor = monitor;
        this.journal = journal;
        this.latency = new LatencyFamilies(engine.context().targets());
    }

    @Override
    public MetricSnapshots collect()
    {
        final List<MetricSnapshot> snapshots = new ArrayList<>();
        final Families families = new Families(snapshots);
        engineFacts(families);
        PipelineFamilies.add(families, engine, journal);
        JournalFamilies.add(families, engine, monitor);
        TemporalFamilies.add(families, engine);
        latency.add(families, engine);
        monitorFamilies(families);
        return new MetricSnapshots(snapshots);
    }

    private void engineFacts(final Families families)
    {
        final LayoutPlan plan = engine.layoutPlan();
        families.add(InfoSnapshot.builder().name(Families.PREFIX + "engine").help("The engine's profile, thread " +
            "layout, wait strategy and node id (0: not a node of a deployment).").dataPoint(
                InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of("profile", engine.context().profile(),
                "thread_layout", plan.layout().toString(), "wait_strategy", plan.waitStrategy().label(),
                "node", String.valueOf(engine.context().nodeId()))).build()).build());
        families.gauge("start_time_seconds", "When the engine started, in seconds since the epoch.", startSeconds);
        families.gauge("pipeline_threads", "Pipeline threads running the stages.", plan.threads().size());
        families.gauge("busy_waiting_threads", "Pipeline threads that keep a core busy while idle (busy-spin or " +
            "yielding wait strategy).", plan.waitStrategy().burnsCore() ? plan.threads().size() : 0);
        families.gauge("host_cpus", "CPUs this process may run on.", ProcessStats.cpus());
        families.gauge("resident_memory_at_start_bytes", "Resident memory of the process when the engine started.",
            monitor.residentAtStart());
        final PerformanceTargets targets = engine.context().targets();
        families.gauge("target_latency_mean_seconds", "Target: highest mean publish-to-deliver latency.",
            targets.latencyMeanNanos() / NANOS_PER_SECOND);
        families.gauge("target_latency_p99_seconds", "Target: highest 99th-percentile latency.",
            targets.latencyP99Nanos() / NANOS_PER_SECOND);
        families.gauge("target_throughput_messages_per_second", "Target: lowest sustained throughput.",
            targets.throughputMsgsPerSec());
        families.gauge("target_drop_ratio", "Target: highest fraction of published messages dropped.",
            targets.dropRate());
        families.gauge("target_cpu_seconds_per_second", "Target: highest CPU use of the process, in cores.",
            targets.cpuPercent() / 100);
        families.gauge("target_resident_memory_bytes", "Target: highest resident memory of the process.",
            targets.rssMb() * BYTES_PER_MIB);
        families.gauge("target_temporal_coherence_ratio", "Target: lowest temporal coherence.",
            targets.temporalCoherence());
    }

    private void monitorFamilies(final Families families)
    {
        families.counter("target_breaches", "Monitor intervals in which a measurement missed its target, by metric.",
            "metric", new TreeMap<>(monitor.breaches()));
        final IntervalSample last = monitor.lastInterval();
        if (null != last)
        {
            families.gauge("throughput_messages_per_second", "Messages delivered per second over the last monitor " +
                "interval.", last.throughput());
        }
        families.gauge("ring_used_max", "Most ring slots seen in use at once since start (sampled by the " +
            "monitor; the capacity once a publisher found the ring full).",
            monitor.ringUsedMax());
        final AnomalyMonitor anomalies = monitor.anomalies();
        if (null == anomalies)
        {
            return;
        }
        final List<Labels> labels = new ArrayList<>();
        final List<Long> counts = new ArrayList<>();
        for (final AnomalyKind kind : AnomalyKind.values())
        {
            for (final Stage stage : Stage.values())
            {
                labels.add(Labels.of("kind", kind.label(), "stage", stage.label()));
                counts.add(anomalies.total(kind, stage));
            }
        }
        families.counter("anomalies", "Message flow anomalies found by tracing, by kind and stage.", labels, counts);
        families.counter("anomalies_unreported", "Anomalies counted but not logged because the monitor fell behind.",
            anomalies.overflows());
    }
}
