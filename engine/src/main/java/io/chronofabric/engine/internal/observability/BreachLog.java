package io.chronofabric.engine.internal.observability;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Reports the monitor's verdicts: each breach is counted; it is logged (WARN, logger
 * {@code io.chronofabric.engine.internal.observability.PerformanceMonitor}) when it starts and every {@value #REPEAT_EVERY}
 * intervals while it lasts, so that a lasting breach does not flood the log; its end is logged at INFO.
 */
final class BreachLog
{
    private static final Logger LOG = LogManager.getLogger(PerformanceMonitor.class);
    private static final int REPEAT_EVERY = 10;

    private final Map<String, Long> counts = new ConcurrentHashMap<>();
    private final Map<String, Integer> streaks = new ConcurrentHashMap<>();
    private final List<Consumer<Breach>> listeners = new CopyOnWriteArrayList<>();

    BreachLog()
    {
        TargetChecks.METRICS.forEach(metric -> counts.put(metric, 0L));
    }

    /**
     * Monitor thread: one metric's verdict for one interval.
     *
     * @param metric the metric.
     * @param breach its breach, or null when the target was met or the interval could not be judged.
     * @param judged whether the interval was judged for this metric (a met target ends a breach, an unjudged
     *               interval does not).
     */
    void verdict(final String metric, final Breach breach, final boolean judged)
    {
        final int streak = streaks.getOrDefault(metric, 0);
        if (null == breach)
        {
            if (0 < streak && judged)
            {
                LOG.info("target met again: metric={} after {} breached interval(s)", metric, streak);
                streaks.put(metric, 0);
            }
            return;
        }
        counts.merge(metric, 1L, Long::sum);
        streaks.put(metric, streak + 1);
        if (0 == streak % REPEAT_EVERY)
        {
            LOG.warn("{}{}", breach.describe(), 0 == streak ? "" : " (breached for " + (streak + 1) + " intervals)");
        }
        listeners.forEach(listener -> listener.accept(breach));
    }

    void onBreach(final Consumer<Breach> listener)
    {
        listeners.add(listener);
    }

    Map<String, Long> counts()
    {
        return Map.copyOf(counts);
    }
}
