package io.chronofabric.engine.internal.observability;

/**
 * What the engine did during one monitor interval.
 *
 * @param nanos           the interval's length.
 * @param published       messages accepted by publish.
 * @param delivered       messages delivered.
 * @param dropped         messages dropped.
 * @param backpressure    times a publisher found the ring full.
 * @param latencyCount    publish-to-deliver latencies recorded.
 * @param latencyMean     their mean, in nanoseconds (0 when none).
 * @param latencyP99      their 99th percentile, in nanoseconds (0 when none).
 * @param cpuPercent      CPU used by the process, in percent of one core; -1 when unknown.
 * @param residentBytes   resident memory at the end of the interval; -1 when unknown.
 * @param coherence       temporal coherence at the end of the interval.
 */
public record IntervalSample(long nanos, long published, long delivered, long dropped, long backpressure,
    long latencyCount, double latencyMean, long latencyP99, double cpuPercent, long residentBytes, double coherence)
{
    /** @return delivered messages per second. */
    public double throughput()
    {
        return delivered / seconds();
    }

    /** @return published (accepted) messages per second: the load offered and taken. */
    public double offeredRate()
    {
        return published / seconds();
    }

    /** @return whether messages were being offered: published, or refused by a full ring. */
    public boolean offered()
    {
        return published > 0 || backpressure > 0;
    }

    private double seconds()
    {
        return Math.max(1e-9, nanos / 1e9);
    }
}
