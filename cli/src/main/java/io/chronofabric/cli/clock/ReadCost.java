package io.chronofabric.cli.clock;

/**
 * What reading one clock costs and how finely it steps.
 *
 * @param clock            the clock's name.
 * @param p50Nanos         the median cost of one read, nanoseconds (each batch's time over its reads).
 * @param p99Nanos         the 99th percentile of the same, nanoseconds.
 * @param granularityNanos the smallest positive step between consecutive reads, nanoseconds; 0 when no read
 *                         differed from the one before.
 * @param batches          how many timed batches.
 * @param readsPerBatch    reads per batch.
 */
public record ReadCost(String clock, double p50Nanos, double p99Nanos, long granularityNanos, int batches,
    int readsPerBatch)
{
}
