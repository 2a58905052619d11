package io.chronofabric.engine.api;

import java.util.Map;

/**
 * A snapshot of an engine's counters and latencies.
 *
 * @param profile             the profile the engine runs.
 * @param published           messages accepted by publish.
 * @param delivered           messages that completed delivery.
 * @param dropped             accepted messages that will never be delivered; 0 unless a policy or failure drops.
 * @param rejected            publishes refused whole (oversize payload), never counted as published.
 * @param backpressureEvents  times a publisher found the ring full.
 * @param handlerFailures     handler invocations that threw.
 * @param unrouted            delivered messages whose type had no subscriber.
 * @param activeSubscriptions subscriptions open now.
 * @param orderViolations     messages released out of HLC order; must be 0.
 * @param hlcOffsetRejections remote timestamps rejected as too far ahead.
 * @param elapsedNanos        time since the engine started.
 * @param throughput          delivered messages per second since start.
 * @param endToEnd            publish-to-deliver latency from the intended send time.
 * @param stages              time spent per stage; every stage with count 0 and zero percentiles when the engine
 *                            runs with {@code latency.stages.enabled=false} (nothing is recorded per stage).
 * @param temporal            temporal health: holding, deadlines, retries, dead letters, clocks.
 */
public record EngineStats(String profile, long published, long delivered, long dropped, long rejected,
    long backpressureEvents, long handlerFailures, long unrouted, int activeSubscriptions, long orderViolations,
    long hlcOffsetRejections, long elapsedNanos, double throughput, LatencySummary endToEnd,
    Map<Stage, LatencySummary> stages, TemporalStats temporal)
{
    /** @return messages published but not yet delivered nor dropped. */
    public long inFlight()
    {
        return published - delivered - dropped;
    }
}
