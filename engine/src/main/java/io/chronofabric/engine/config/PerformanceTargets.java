package io.chronofabric.engine.config;

/**
 * The performance a profile promises on the hosts it is meant for, which alerts compare measurements against:
 * latency (publish to deliver, from the intended send time), throughput, drop rate, CPU use and resident memory.
 * A latency, drop rate, CPU or memory above its target, or a throughput below it, is a breach. The values are the
 * {@code target.*} settings of {@link Settings}, set through {@link EngineConfiguration.Builder}; this is their
 * immutable, typed view.
 */
public final class PerformanceTargets
{
    private final long latencyMeanNanos;
    private final long latencyP99Nanos;
    private final long throughputMsgsPerSec;
    private final double dropRate;
    private final double cpuPercent;
    private final long rssMb;
    private final double temporalCoherence;

    PerformanceTargets(final EngineConfiguration configuration)
    {
        this.latencyMeanNanos = configuration.get(Settings.TARGET_LATENCY_MEAN);
        this.latencyP99Nanos = configuration.get(Settings.TARGET_LATENCY_P99);
        this.throughputMsgsPerSec = configuration.get(Settings.TARGET_THROUGHPUT);
        this.dropRate = configuration.get(Settings.TARGET_DROP_RATE);
        this.cpuPercent = configuration.get(Settings.TARGET_CPU_PERCENT);
        this.rssMb = configuration.get(Settings.TARGET_RSS_MB);
        this.temporalCoherence = configuration.get(Settings.TARGET_TEMPORAL_COHERENCE);
    }

    /** @return the temporal coherence target, a fraction in [0, 1]. */
    public double temporalCoherence()
    {
        return temporalCoherence;
    }

    /** @return the mean latency target in nanoseconds. */
    public long latencyMeanNanos()
    {
        return latencyMeanNanos;
    }

    /** @return the 99th-percentile latency target in nanoseconds. */
    public long latencyP99Nanos()
    {
        return latencyP99Nanos;
    }

    /** @return the throughput target in messages per second. */
    public long throughputMsgsPerSec()
    {
        return throughputMsgsPerSec;
    }

    /** @return the drop-rate target, a fraction in [0, 1]. */
    public double dropRate()
    {
        return dropRate;
    }

    /** @return the CPU target in percent of one core. */
    public double cpuPercent()
    {
        return cpuPercent;
    }

    /** @return the resident-memory target in MiB. */
    public long rssMb()
    {
        return rssMb;
    }
}
