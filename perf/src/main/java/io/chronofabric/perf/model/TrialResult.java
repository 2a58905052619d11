package io.chronofabric.perf.model;

import java.util.List;
import java.util.Map;

import io.chronofabric.perf.spi.SystemKind;
import org.HdrHistogram.Histogram;

/**
 * What one trial (one system, one mode, one round) measured.
 *
 * @param kind               the system.
 * @param mode               how the load was offered.
 * @param round              the round, from 0.
 * @param offeredRate        offered messages per second; 0 for as fast as possible.
 * @param messages           messages sent, and delivered (a trial that loses one fails).
 * @param elapsedNanos       from the first send to the last delivery.
 * @param histogram          every message's latency from its intended send time.
 * @param intervals          the same latencies in consecutive intervals, time-stamped, for the over-time views
 *                           (histograms kept compressed, except in sweep steps).
 * @param allocationPerMessage bytes allocated per message by the publisher and the system's threads in steady state.
 * @param threads            CPU use of the publisher and each of the system's threads.
 * @param rssIdle            resident memory with the system started and idle.
 * @param rssPeak            the highest resident memory sampled under load.
 * @param engineLatency      ChronoFabric's own statistics: end-to-end and per-stage latency percentiles (ns), backpressure
 *                           events and HLC order violations, for cross-checking; null for
 *                           baselines.
 * @param startup            latency mode: the latencies of the messages meant to be sent in the first second of the
 *                           trial (a fresh system and journal); null in the other modes.
 * @param steady             latency mode: the latencies of the others, steady state; null in the other modes.
 */
public record TrialResult(SystemKind kind, Mode mode, int round, double offeredRate, long messages, long elapsedNanos,
    Histogram histogram, List<IntervalSample> intervals, double allocationPerMessage, List<ThreadStat> threads, Rss rssIdle,
    Rss rssPeak, Map<String, Long> engineLatency, Histogram startup, Histogram steady)
{
    /** @return delivered messages per second, first send to last delivery. */
    public double throughput()
    {
        return messages / (elapsedNanos / 1e9);
    }
}
