package io.chronofabric.perf.model;

import io.chronofabric.perf.spi.SystemKind;

/**
 * ChronoFabric, or a system paired with a baseline ({@code SystemKind.pairedBaseline()}), measured against one
 * baseline in the same run. Throughput ratios above 1 and latency ratios below 1 favour the measured system.
 *
 * @param baseline          the baseline.
 * @param throughput        ChronoFabric's throughput over the baseline's: the median of the per-round ratios.
 * @param latencyP50        ChronoFabric's p50 over the baseline's, latency mode (all rounds merged).
 * @param latencyP99        ChronoFabric's p99 over the baseline's, latency mode.
 * @param sustainableRate   ChronoFabric's highest sustainable rate over the baseline's; NaN without a sweep or when
 *                          either found none.
 */
public record BaselineRatio(SystemKind baseline, double throughput, double latencyP50, double latencyP99,
    double sustainableRate)
{
}
