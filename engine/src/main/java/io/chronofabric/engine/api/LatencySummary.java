package io.chronofabric.engine.api;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of a latency distribution, in nanoseconds.
 *
 * @param count number of samples.
 * @param mean  mean.
 * @param p50   median.
 * @param p90   90th percentile.
 * @param p99   99th percentile.
 * @param p999  99.9th percentile.
 * @param p9999 99.99th percentile.
 * @param max   largest sample.
 */
public record LatencySummary(long count, double mean, long p50, long p90, long p99, long p999, long p9999, long max)
{
    /**
     * @param histogram a nanosecond histogram.
     * @return its summary; all zero when it is empty.
     */
    public static LatencySummary of(final Histogram histogram)
    {
        if (0 == histogram.getTotalCount())
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0, 0);
        }
        return new LatencySummary(histogram.getTotalCount(), histogram.getMean(),
            histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(90),
            histogram.getValueAtPercentile(99), histogram.getValueAtPercentile(99.9),
            histogram.getValueAtPercentile(99.99), histogram.getMaxValue());
    }
}
