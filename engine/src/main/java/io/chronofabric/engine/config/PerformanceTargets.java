package io.chronofabric.engine.config;

import io.chronofabric.engine.api.ConfigurationException;

/**
 * The performance a profile promises on the hosts it is meant for, which alerts compare measurements against:
 * latency (publish to deliver, from the intended send time), throughput, drop rate, CPU use and resident memory.
 * A latency, drop rate, CPU or memory above its target, or a throughput below it, is a breach. Each setter validates
 * at once; the defaults are the {@code dev} profile's.
 */
public final class PerformanceTargets
{
    /** Largest CPU target: 1024 cores fully busy, in percent of one core. */
    public static final double MAX_CPU_PERCENT = 102_400;

    private long latencyMeanNanos = 200_000;
    private long latencyP99Nanos = 2_000_000;
    private long throughputMsgsPerSec = 100_000;
    private double dropRate;
    private double cpuPercent = 200;
    private long rssMb = 1_024;
    private double temporalCoherence = 0.99;

    /** @param nanos the highest acceptable mean latency, in nanoseconds (&gt; 0). @return this. */
    public PerformanceTargets latencyMeanNanos(final long nanos)
    {
        this.latencyMeanNanos = positive("target.latency.mean-ns", nanos, "nanoseconds > 0");
        return this;
    }

    /** @param nanos the highest acceptable 99th-percentile latency, in nanoseconds (&gt; 0). @return this. */
    public PerformanceTargets latencyP99Nanos(final long nanos)
    {
        this.latencyP99Nanos = positive("target.latency.p99-ns", nanos, "nanoseconds > 0");
        return this;
    }

    /** @param msgsPerSec the lowest acceptable sustained throughput, in messages per second (&gt; 0). @return this. */
    public PerformanceTargets throughputMsgsPerSec(final long msgsPerSec)
    {
        this.throughputMsgsPerSec = positive("target.throughput.msgs-per-sec", msgsPerSec, "messages per second > 0");
        return this;
    }

    /**
     * @param rate the highest acceptable fraction of published messages not delivered, in [0, 1] (0 for an engine
     *             whose full ring is backpressure, never loss).
     * @return this.
     */
    public PerformanceTargets dropRate(final double rate)
    {
        if (!(rate >= 0 && rate <= 1))
        {
            throw new ConfigurationException("target.drop-rate", rate, "a fraction in [0, 1], e.g. 0 or 0.0001");
        }
        this.dropRate = rate;
        return this;
    }

    /**
     * @param percent the highest acceptable CPU use of the process, in percent of one core as {@code top} shows it
     *                (200 = two cores fully busy), in (0, 102400].
     * @return this.
     */
    public PerformanceTargets cpuPercent(final double percent)
    {
        if (!(percent > 0 && percent <= MAX_CPU_PERCENT))
        {
            throw new ConfigurationException("target.cpu.percent", percent, "percent of one core in (0, 102400], " +
                "e.g. 200 for two busy cores");
        }
        this.cpuPercent = percent;
        return this;
    }

    /** @param megabytes the highest acceptable resident set size of the process, in MiB (&gt; 0). @return this. */
    public PerformanceTargets rssMb(final long megabytes)
    {
        this.rssMb = positive("target.rss.mb", megabytes, "MiB > 0");
        return this;
    }

    /**
     * @param fraction the lowest acceptable temporal coherence: the fraction of deliveries on time and in causal order,
     *                 in [0, 1].
     * @return this.
     */
    public PerformanceTargets temporalCoherence(final double fraction)
    {
        if (!(fraction >= 0 && fraction <= 1))
        {
            throw new ConfigurationException("target.temporal-coherence", fraction, "a fraction in [0, 1], e.g. 0.99");
        }
        this.temporalCoherence = fraction;
        return this;
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

    private static long positive(final String key, final long value, final String allowed)
    {
        if (value <= 0)
        {
            throw new ConfigurationException(key, value, allowed);
        }
        return value;
    }
}
