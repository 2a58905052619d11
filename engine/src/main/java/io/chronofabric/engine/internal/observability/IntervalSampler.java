package io.chronofabric.engine.internal.observability;

import io.chronofabric.engine.internal.event.LatencyRecorder;
import org.HdrHistogram.Histogram;

/**
 * Turns the engine's cumulative counters into per-interval samples, on the monitor thread. The interval's latency
 * distribution is the cumulative histogram minus the previous one, in histograms kept from tick to tick: a tick
 * allocates only its sample, since a copied histogram per tick (~180 KB) was the engine's main steady garbage, and on a
 * small heap its collections stopped the pipeline for milliseconds.
 */
final class IntervalSampler
{
    private final MonitoredEngine engine;
    /** The cumulative histogram at the previous tick and the one filled at this tick: swapped, not copied. */
    private Histogram previous = LatencyRecorder.newHistogram();
    private Histogram cumulative = LatencyRecorder.newHistogram();
    private final Histogram interval = LatencyRecorder.newHistogram();
    private long at;
    private long published;
    private long delivered;
    private long dropped;
    private long backpressure;
    private long cpuNanos;

    /** @param engine the engine to sample; the first interval starts now. */
    IntervalSampler(final MonitoredEngine engine)
    {
        this.engine = engine;
        this.at = System.nanoTime();
        this.published = engine.published();
        this.delivered = engine.counters().delivered().get();
        this.dropped = engine.counters().dropped().get();
        this.backpressure = engine.backpressureEvents();
        this.cpuNanos = ProcessStats.cpuNanos();
        engine.counters().endToEnd().cumulativeInto(previous);
    }

    /** @return when the current interval started, {@link System#nanoTime()}. */
    long startedAt()
    {
        return at;
    }

    /**
     * @param now {@link System#nanoTime()}: the end of this interval and the start of the next.
     * @return what happened since the previous call.
     */
    IntervalSample sample(final long now)
    {
        final long nowPublished = engine.published();
        final long nowDelivered = engine.counters().delivered().get();
        final long nowDropped = engine.counters().dropped().get();
        final long nowBackpressure = engine.backpressureEvents();
        final long nowCpu = ProcessStats.cpuNanos();
        engine.counters().endToEnd().cumulativeInto(cumulative);
        interval.reset();
        interval.add(cumulative);
        interval.subtract(previous);
        final Histogram last = previous;
        previous = cumulative;
        cumulative = last;
        final long nanos = Math.max(1, now - at);
        final long count = interval.getTotalCount();
        final IntervalSample sample = new IntervalSample(nanos, nowPublished - published, nowDelivered - delivered,
            nowDropped - dropped, nowBackpressure - backpressure, count, 0 == count ? 0 : interval.getMean(),
            0 == count ? 0 : interval.getValueAtPercentile(99),
            nowCpu < 0 || cpuNanos < 0 ? -1 : 100.0 * (nowCpu - cpuNanos) / nanos, ProcessStats.residentBytes(),
            engine.temporal().coherence());
        at = now;
        published = nowPublished;
        delivered = nowDelivered;
        dropped = nowDropped;
        backpressure = nowBackpressure;
        cpuNanos = nowCpu;
        return sample;
    }
}
