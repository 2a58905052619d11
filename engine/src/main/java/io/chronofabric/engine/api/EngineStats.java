package io.chronofabric.engine.api;

import java.util.Map;

/**
 * A snapshot of an engine's counters and latencies.
 *
 * @param profile             the profile the engine runs.
 * @param published           messages accepted by publish, or fed by a replay.
 * @param delivered           messages that completed delivery: offered to each subscriber they were routed to (or
 *                            routed to none), each subscriber's attempts over, whether delivered to it or
 *                            dead-lettered for it ({@code expired}, {@code retries_exhausted}, {@code retry_timeout},
 *                            {@code retry_queue_full}: a message dead-lettered for every subscriber counts here).
 * @param dropped             accepted messages offered to no subscriber: dead-lettered whole (a dependency's reasons,
 *                            {@code hold_overflow}, {@code dependent_queue_full}, {@code engine_closed}) or discarded
 *                            by a journal failure; 0 unless a policy or failure drops.
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
