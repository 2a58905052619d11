package io.chronofabric.perf.model;

import org.HdrHistogram.Histogram;

/**
 * The percentiles the report shows for one histogram, in nanoseconds.
 *
 * @param count  messages recorded.
 * @param mean   mean latency.
 * @param p50    median.
 * @param p90    90th percentile.
 * @param p99    99th percentile.
 * @param p999   99.9th percentile.
 * @param p9999  99.99th percentile.
 * @param max    the largest latency.
 */
public record LatencyStats(long count, double mean, long p50, long p90, long p99, long p999, long p9999, long max)
{
    /** @param histogram latencies in nanoseconds. @return its percentiles. */
    public static LatencyStats of(final Histogram histogram)
    {
        return new LatencyStats(histogram.getTotalCount(), histogram.getMean(), histogram.getValueAtPercentile(50),
            histogram.getValueAtPercentile(90), histogram.getValueAtPercentile(99), histogram.getValueAtPercentile(99.9),
            histogram.getValueAtPercentile(99.99), histogram.getMaxValue());
    }
}
