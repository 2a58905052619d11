package io.chronofabric.cli.analysis;

import io.chronofabric.engine.internal.Engine;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chronofabric.engine.api.Stage;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.engine.internal.observability.Families;

/**
 * Builds a {@link HealthSnapshot} from an engine's {@code /metrics} text: what {@code chronofabric diagnose} reads
 * from a running engine. Percentiles come from the histogram buckets, interpolated as PromQL's
 * {@code histogram_quantile} does.
 */
public final class ScrapedHealth
{
    private static final String P = Families.PREFIX;

    private ScrapedHealth()
    {
    }

    /**
     * @param metrics the parsed text of a ChronoFabric {@code /metrics} endpoint.
     * @return the health facts it holds.
     * @throws IllegalArgumentException when it is not a ChronoFabric endpoint (a family is missing).
     */
    public static HealthSnapshot of(final MetricsText metrics)
    {
        final MetricsText.Sample info = metrics.samples(P + "engine_info").stream().findFirst()
            .orElseThrow(() -> missing(P + "engine_info"));
        final Map<String, Long> breaches = new LinkedHashMap<>();
        metrics.samples(P + "target_breaches_total")
            .forEach(sample -> breaches.put(sample.labels().get("metric"), (long)sample.value()));
        final HealthSnapshot.Engine engine = new HealthSnapshot.Engine(info.labels().get("profile"),
            info.labels().get("wait_strategy"), (int)need(metrics, "pipeline_threads"),
            (int)need(metrics, "busy_waiting_threads"), (int)need(metrics, "host_cpus"),
            (long)need(metrics, "messages_published_total"), (long)need(metrics, "messages_delivered_total"),
            (long)need(metrics, "messages_dropped_total"), (long)need(metrics, "handler_failures_total"), breaches);
        final Map<String, Double> stages = new LinkedHashMap<>();
        // an engine run with latency.stages.enabled=false serves no stage family: the stages are left empty
        final boolean stagesServed = !metrics.samples(P + "stage_latency_seconds_bucket").isEmpty();
        for (final Stage stage : stagesServed ? Stage.values() : new Stage[0])
        {
            stages.put(stage.label(), quantile(metrics, P + "stage_latency_seconds", 0.99, "stage", stage.label()));
        }
        final long capacity = (long)need(metrics, "ring_capacity");
        final long usedNow = capacity - (long)need(metrics, "ring_remaining_capacity");
        final HealthSnapshot.Latency latency = new HealthSnapshot.Latency(capacity,
            Math.max(usedNow, (long)need(metrics, "ring_used_max")), (long)need(metrics, "backpressure_events_total"),
            quantile(metrics, P + "end_to_end_latency_seconds", 0.99), need(metrics, "target_latency_p99_seconds"),
            stages);
        final HealthSnapshot.Memory memory = new HealthSnapshot.Memory(
            metrics.value("jvm_memory_used_bytes", "area", "heap").orElse(-1),
            metrics.value("jvm_memory_max_bytes", "area", "heap").orElse(-1),
            metrics.value("process_resident_memory_bytes").orElse(-1), need(metrics, "resident_memory_at_start_bytes"),
            need(metrics, "target_resident_memory_bytes"));
        final Map<String, Long> deadLetters = new LinkedHashMap<>();
        for (final DeadLetterReason reason : DeadLetterReason.values())
        {
            deadLetters.put(reason.label(), (long)metrics.value(P + "dead_letters_total", "reason", reason.label())
                .orElse(0));
        }
        final HealthSnapshot.Temporal temporal = new HealthSnapshot.Temporal((long)need(metrics, "held_messages"),
            (long)need(metrics, "hold_capacity"), need(metrics, "oldest_held_age_seconds"),
            need(metrics, "hold_timeout_seconds"), (long)need(metrics, "deadline_misses_total"),
            (long)need(metrics, "causality_violations_total"), deadLetters, need(metrics, "temporal_coherence_ratio"),
            need(metrics, "target_temporal_coherence_ratio"), (long)need(metrics, "hlc_offset_rejections_total"),
            metrics.samples(P + "clock_jumps_total").stream().mapToLong(s -> (long)s.value()).sum());
        final HealthSnapshot.Journal journal = new HealthSnapshot.Journal(need(metrics, "journal_free_bytes"),
            need(metrics, "journal_min_free_bytes"), need(metrics, "journal_seconds_until_full"),
            0 != need(metrics, "retention_blocked"), (long)need(metrics, "retention_oldest_unsettled_id"),
            (long)need(metrics, "journal_settled_watermark"),
            0 != metrics.value(P + "retention_held").orElse(0.0)); // absent before it existed: not held
        return new HealthSnapshot(engine, latency, memory, temporal, journal, ScrapedNode.of(metrics));
    }

    /**
     * The q-quantile of a histogram family's buckets, as {@code histogram_quantile} computes it: linear within the
     * bucket that holds the rank, the highest finite bound when the rank falls in {@code +Inf}.
     *
     * @param metrics     the parsed metrics.
     * @param family      the histogram's name, without {@code _bucket}.
     * @param q           the quantile, in [0, 1].
     * @param labelValues label name, value, ...: which of its series.
     * @return the quantile, 0 when the histogram is empty.
     */
    public static double quantile(final MetricsText metrics, final String family, final double q,
        final String... labelValues)
    {
        final List<MetricsText.Sample> buckets = metrics.samples(family + "_bucket", labelValues);
        if (buckets.isEmpty())
        {
            throw missing(family + "_bucket");
        }
        buckets.sort(Comparator.comparingDouble(b -> Double.parseDouble(b.labels().get("le").replace("+Inf",
            "Infinity"))));
        final double count = buckets.get(buckets.size() - 1).value();
        if (0 == count)
        {
            return 0;
        }
        final double rank = q * count;
        double lower = 0;
        double below = 0;
        for (final MetricsText.Sample bucket : buckets)
        {
            final double upper = Double.parseDouble(bucket.labels().get("le").replace("+Inf", "Infinity"));
            if (bucket.value() >= rank)
            {
                return Double.isInfinite(upper) ? lower :
                    lower + (upper - lower) * (rank - below) / Math.max(1, bucket.value() - below);
            }
            lower = upper;
            below = bucket.value();
        }
        return lower;
    }

    private static double need(final MetricsText metrics, final String name)
    {
        return metrics.value(P + name).orElseThrow(() -> missing(P + name));
    }

    private static IllegalArgumentException missing(final String name)
    {
        return new IllegalArgumentException("not a ChronoFabric metrics endpoint: " + name + " is missing");
    }
}
