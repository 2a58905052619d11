package io.chronofabric.engine.internal.observability;

import java.util.Arrays;
import java.util.stream.LongStream;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import org.HdrHistogram.Histogram;

/**
 * Prometheus classic-histogram buckets for nanosecond latencies, built at scrape time from an HdrHistogram copy (the
 * pipeline records into HdrHistogram recorders and never touches a Prometheus object). The bounds resolve the
 * sub-microsecond range (100 ns, 250 ns, 500 ns, 1 us ...) up to 10 s, plus any SLO threshold given, so that
 * {@code le="<slo>"} yields an exact ratio. A bucket counts values up to its bound at HdrHistogram's resolution
 * (3 significant digits).
 */
final class LatencyBuckets
{
    private static final long[] DEFAULT_BOUNDS_NANOS = {
        100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000,
        5_000_000, 10_000_000, 25_000_000, 50_000_000, 100_000_000, 250_000_000, 500_000_000, 1_000_000_000,
        10_000_000_000L};
    private static final double NANOS_PER_SECOND = 1e9;

    private final long[] boundsNanos;
    private final double[] upperBoundsSeconds;

    /**
     * @param extraBoundsNanos further bucket bounds in nanoseconds, e.g. the latency targets; duplicates are merged.
     */
    public LatencyBuckets(final long... extraBoundsNanos)
    {
        this.boundsNanos = LongStream.concat(Arrays.stream(DEFAULT_BOUNDS_NANOS), Arrays.stream(extraBoundsNanos))
            .filter(bound -> bound > 0).distinct().sorted().toArray();
        this.upperBoundsSeconds = new double[boundsNanos.length + 1];
        for (int i = 0; i < boundsNanos.length; i++)
        {
            upperBoundsSeconds[i] = boundsNanos[i] / NANOS_PER_SECOND;
        }
        upperBoundsSeconds[boundsNanos.length] = Double.POSITIVE_INFINITY;
    }

    /** @return the finite bucket bounds in nanoseconds, ascending. */
    public long[] boundsNanos()
    {
        return boundsNanos.clone();
    }

    /**
     * @param histogram a nanosecond histogram (a copy the caller owns).
     * @param labels    the data point's labels.
     * @return the histogram as a Prometheus data point in seconds: per-bucket counts, count and sum.
     */
    public HistogramDataPointSnapshot point(final Histogram histogram, final Labels labels)
    {
        final long total = histogram.getTotalCount();
        final long[] counts = new long[upperBoundsSeconds.length];
        long below = 0;
        for (int i = 0; i < boundsNanos.length; i++)
        {
            final long upTo = 0 == total ? 0 : Math.min(total, histogram.getCountBetweenValues(0, boundsNanos[i]));
            counts[i] = upTo - below;
            below = upTo;
        }
        counts[boundsNanos.length] = total - below;
        final double sumSeconds = 0 == total ? 0 : histogram.getMean() * total / NANOS_PER_SECOND;
        return HistogramDataPointSnapshot.builder()
            .classicHistogramBuckets(ClassicHistogramBuckets.of(upperBoundsSeconds, counts))
            .sum(sumSeconds)
            .labels(labels)
            .build();
    }
}
