package io.chronofabric.engine.internal.observability;

import io.chronofabric.engine.config.PerformanceTargets;
import io.chronofabric.engine.api.Stage;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;

/**
 * The latency histograms, converted at scrape time from the HdrHistogram recorders the pipeline threads record into
 * (lock- and allocation-free for them; the copy and the conversion happen here, on the scraping thread).
 */
final class LatencyFamilies
{
    private final LatencyBuckets buckets;

    /** @param targets the latency targets, added as bucket bounds so that an SLO ratio is exact. */
    LatencyFamilies(final PerformanceTargets targets)
    {
        this.buckets = new LatencyBuckets(targets.latencyMeanNanos(), targets.latencyP99Nanos());
    }

    /**
     * @param families where they go.
     * @param engine   the engine.
     */
    void add(final Families families, final MonitoredEngine engine)
    {
        families.add(HistogramSnapshot.builder().name(Families.PREFIX + "end_to_end_latency_seconds")
            .help("Publish-to-deliver latency, from each message's intended send time to the end of its delivery.")
            .dataPoint(buckets.point(engine.counters().endToEnd().cumulative(), Labels.EMPTY)).build());
        if (engine.context().stageLatencyEnabled())
        {
            // with latency.stages.enabled=false nothing is recorded: the family is left out, not served as zeros
            final HistogramSnapshot.Builder stages = HistogramSnapshot.builder()
                .name(Families.PREFIX + "stage_latency_seconds")
                .help("Time from the end of the previous stage (for the journal: publish) to the end of this stage.");
            for (final Stage stage : Stage.values())
            {
                stages.dataPoint(buckets.point(engine.counters().stage(stage).cumulative(), Labels.of("stage",
                    stage.label())));
            }
            families.add(stages.build());
        }
        families.add(HistogramSnapshot.builder().name(Families.PREFIX + "deadline_lateness_seconds")
            .help("How late late deliveries were, past their deadline.")
            .dataPoint(buckets.point(engine.temporal().lateness().cumulative(), Labels.EMPTY)).build());
    }
}
