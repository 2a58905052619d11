package io.chronofabric.engine.internal.observability;

import java.util.ArrayList;
import java.util.List;

import io.chronofabric.engine.config.PerformanceTargets;
import io.chronofabric.engine.config.Settings;

/**
 * Compares one interval with the profile's targets. Latency, drop rate, CPU and memory are judged on every interval
 * that has data; throughput only on an interval during which messages were offered from start to end (offered in
 * the intervals before and after it too, so that the partial first and last intervals of a burst do not count) and
 * at least at the target rate or into a full ring: an engine that is idle, or offered less than its target, is not
 * too slow.
 */
public final class TargetChecks
{
    /** Every metric a breach can name, as in {@code chronofabric_target_breaches_total{metric}}. */
    static final List<String> METRICS = List.of("latency_mean", "latency_p99", "throughput", "drop_rate", "cpu",
        "resident_memory", "temporal_coherence");
    private static final double BYTES_PER_MIB = 1024.0 * 1024.0;

    private TargetChecks()
    {
    }

    /**
     * @param sample  the interval just ended.
     * @param targets the profile's targets.
     * @return the breaches of everything but throughput.
     */
    static List<Breach> check(final IntervalSample sample, final PerformanceTargets targets)
    {
        final List<Breach> breaches = new ArrayList<>();
        if (sample.latencyCount() > 0 && sample.latencyMean() > targets.latencyMeanNanos())
        {
            breaches.add(new Breach("latency_mean", Math.round(sample.latencyMean()), targets.latencyMeanNanos(), " ns",
                Settings.TARGET_LATENCY_MEAN.name(), "queueing or a slow stage: see " +
                "chronofabric_stage_latency_seconds; lower the offered rate or run a profile with more pipeline " +
                "threads on a host with the cores"));
        }
        if (sample.latencyCount() > 0 && sample.latencyP99() > targets.latencyP99Nanos())
        {
            breaches.add(new Breach("latency_p99", sample.latencyP99(), targets.latencyP99Nanos(), " ns",
                Settings.TARGET_LATENCY_P99.name(), "tail latency: GC pauses, a full ring (backpressure) or a slow " +
                "subscriber; run `chronofabric diagnose` for the slowest stage"));
        }
        // drops are judged against the messages settled (delivered or dropped) in the same interval, not those
        // published in it: a held message is dropped intervals after its publish, often when nothing is published
        final double dropRate = 0 == sample.dropped() ? 0 :
            (double)sample.dropped() / (sample.delivered() + sample.dropped());
        if (dropRate > targets.dropRate())
        {
            breaches.add(new Breach("drop_rate", dropRate, targets.dropRate(),
                "", Settings.TARGET_DROP_RATE.name(), "a dropped message was dead-lettered whole by a policy " +
                "(expired, a dependency dead or timed out, hold overflow: chronofabric_dead_letters_total by reason) " +
                "or, once the journal or a stage failed, never journaled (the ERROR log says which)"));
        }
        if (sample.cpuPercent() > targets.cpuPercent())
        {
            breaches.add(new Breach("cpu", Math.round(sample.cpuPercent()), targets.cpuPercent(), " %",
                Settings.TARGET_CPU_PERCENT.name(), "busy-spin and yielding threads keep cores busy even when idle: " +
                "use wait.strategy=sleeping or fewer pipeline threads"));
        }
        if (sample.residentBytes() > targets.rssMb() * BYTES_PER_MIB)
        {
            breaches.add(new Breach("resident_memory", Math.round(sample.residentBytes() / BYTES_PER_MIB),
                targets.rssMb(), " MiB", Settings.TARGET_RSS_MB.name(), "heap (-Xmx), ring.size x " +
                "payload.capacity and the journal's mapped pages count: lower them or raise the target"));
        }
        if (sample.coherence() < targets.temporalCoherence())
        {
            breaches.add(new Breach("temporal_coherence", sample.coherence(), targets.temporalCoherence(), "",
                Settings.TARGET_TEMPORAL_COHERENCE.name(), "late deliveries or causality violations: see " +
                "chronofabric_deadline_misses_total; lower the load or give messages longer deadlines"));
        }
        return breaches;
    }

    /**
     * @param before  the interval before.
     * @param sample  the interval to judge.
     * @param after   the interval after.
     * @param targets the profile's targets.
     * @return whether the interval's throughput says anything about the engine: offered throughout, at least at the
     *     target rate or into a full ring.
     */
    public static boolean judgesThroughput(final IntervalSample before, final IntervalSample sample,
        final IntervalSample after, final PerformanceTargets targets)
    {
        final boolean offeredThroughout = null != before && before.offered() && sample.offered() && after.offered();
        return offeredThroughout &&
            (sample.offeredRate() >= targets.throughputMsgsPerSec() || sample.backpressure() > 0);
    }

    /**
     * @param sample  an interval {@link #judgesThroughput judged}.
     * @param targets the profile's targets.
     * @return a throughput breach, or null when the target was met.
     */
    public static Breach throughput(final IntervalSample sample, final PerformanceTargets targets)
    {
        if (sample.throughput() >= targets.throughputMsgsPerSec())
        {
            return null;
        }
        return new Breach("throughput", Math.round(sample.throughput()), targets.throughputMsgsPerSec(), " msg/s",
            Settings.TARGET_THROUGHPUT.name(), "the pipeline could not keep up with the offered load: see the " +
            "slowest stage (journal disk, a slow subscriber); a larger ring or the throughput profile on more cores");
    }
}
