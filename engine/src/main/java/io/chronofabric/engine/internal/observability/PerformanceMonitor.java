package io.chronofabric.engine.internal.observability;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.chronofabric.engine.config.PerformanceTargets;

/**
 * The performance monitor: a background thread ({@code cf-monitor}, never a pipeline thread) that every
 * {@code monitor.interval-ms} samples the engine, compares the interval with the profile's targets and logs each
 * breach (WARN, logger {@code io.chronofabric.engine.internal.observability.PerformanceMonitor}: metric, value, target, hint; again
 * every 10 intervals while it lasts, INFO when it ends), counted in
 * {@code chronofabric_target_breaches_total{metric}}. With tracing on, the same thread runs the stuck-message
 * watchdog, more often than the interval. It also tracks the ring's peak occupancy.
 */
public final class PerformanceMonitor implements AutoCloseable
{
    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final MonitoredEngine engine;
    private final PerformanceTargets targets;
    private final long intervalNanos;
    private final AnomalyMonitor anomalies;
    private final BreachLog breaches = new BreachLog();
    private final DiskSpaceWatch diskSpace;
    private final Thread thread;
    private IntervalSampler sampler;
    private IntervalSample beforeLast;
    private volatile IntervalSample last;
    private final long residentAtStart = ProcessStats.residentBytes();
    private volatile long ringUsedMax;
    private volatile boolean running = true;

    /**
     * Starts monitoring: a thread runs when {@code monitor.interval-ms} is not 0 or tracing is on.
     *
     * @param engine    the engine; its context gives the interval and the targets.
     * @param anomalies the flow tracing side to tick, or null without tracing.
     */
    public PerformanceMonitor(final MonitoredEngine engine, final AnomalyMonitor anomalies)
    {
        this.engine = engine;
        this.targets = engine.context().targets();
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(engine.context().monitorIntervalMillis());
        this.diskSpace = new DiskSpaceWatch(engine.context());
        this.anomalies = anomalies;
        this.thread = new Thread(this::run, "cf-monitor");
        thread.setDaemon(true);
        if (0 < intervalNanos || null != anomalies)
        {
            thread.start();
        }
    }

    private void run()
    {
        final long tick = null == anomalies ? intervalNanos :
            Math.max(MIN_TICK_NANOS, Math.min(0 < intervalNanos ? intervalNanos : Long.MAX_VALUE,
                engine.context().tracingStuckMillis() * 250_000L));
        long nextSample = System.nanoTime() + intervalNanos;
        if (0 < intervalNanos)
        {
            sampler = new IntervalSampler(engine);
        }
        while (running)
        {
            LockSupport.parkNanos(tick);
            final long now = System.nanoTime();
            ringUsedMax = Math.max(ringUsedMax, engine.context().ringSize() - engine.remainingCapacity());
            if (null != anomalies)
            {
                anomalies.tick(engine, now);
            }
            if (0 < intervalNanos && now - nextSample >= 0 && running)
            {
                nextSample = now + intervalNanos;
                evaluate(now);
            }
        }
    }

    private void evaluate(final long now)
    {
        diskSpace.check();
        final IntervalSample sample = sampler.sample(now);
        final List<Breach> found = TargetChecks.check(sample, targets);
        final boolean throughputJudged = null != last &&
            TargetChecks.judgesThroughput(beforeLast, last, sample, targets);
        final Breach throughput = throughputJudged ? TargetChecks.throughput(last, targets) : null;
        if (null != throughput)
        {
            found.add(throughput);
        }
        for (final String metric : TargetChecks.METRICS)
        {
            final Breach breach = found.stream().filter(b -> metric.equals(b.metric())).findFirst().orElse(null);
            breaches.verdict(metric, breach, !"throughput".equals(metric) || throughputJudged);
        }
        beforeLast = last;
        last = sample;
    }

    /** @param listener told each breach, on the monitor thread, after it is logged. */
    public void onBreach(final Consumer<Breach> listener)
    {
        breaches.onBreach(listener);
    }

    /** @return breaches so far, per metric (every metric of {@link TargetChecks#METRICS}, 0 when none). */
    public Map<String, Long> breaches()
    {
        return breaches.counts();
    }

    /** @return the last complete interval, or null before the first one ends. */
    public IntervalSample lastInterval()
    {
        return last;
    }

    /**
     * @return the most ring slots seen in use at once since start: sampled at every monitor tick, and the ring's
     *     capacity once a publisher found it full (ticks miss such moments: a short run's only sample comes after the
     *     drain); read here rather than recorded by the publisher, so that publishing does no extra work.
     */
    public long ringUsedMax()
    {
        return engine.backpressureEvents() > 0 ? engine.context().ringSize() : ringUsedMax;
    }

    /** @return the process's resident memory when the engine started, in bytes; -1 when unknown. */
    public long residentAtStart()
    {
        return residentAtStart;
    }

    /** @return the journal's disk space watch: free space and the time until full. */
    public DiskSpaceWatch diskSpace()
    {
        return diskSpace;
    }

    /** @return the flow tracing side, or null without tracing. */
    public AnomalyMonitor anomalies()
    {
        return anomalies;
    }

    /**
     * Stops the thread and waits for it, then judges the last, partial interval (when it lasted at least a tenth of
     * an interval, so that a run shorter than one interval is judged too) and runs a last anomaly tick on what the
     * drained pipeline left. Call it after the pipeline has drained.
     */
    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive())
        {
            return;
        }
        final long now = System.nanoTime();
        if (null != sampler && now - sampler.startedAt() >= intervalNanos / 10)
        {
            evaluate(now);
        }
        if (null != anomalies)
        {
            anomalies.tick(engine, now);
        }
    }
}
