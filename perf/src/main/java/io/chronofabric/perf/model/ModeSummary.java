package io.chronofabric.perf.model;

import java.util.List;
import java.util.Map;

import io.chronofabric.perf.spi.LatencyProbe;
import io.chronofabric.perf.spi.SystemKind;
import org.HdrHistogram.Histogram;

/**
 * One system in one mode over all rounds.
 *
 * @param kind                 the system.
 * @param mode                 the mode.
 * @param trials               each round's trial, in round order.
 * @param throughputs          each round's throughput, messages per second, in round order.
 * @param throughput           the median of those.
 * @param histogram            every round's latencies merged.
 * @param latency              the merged percentiles.
 * @param allocationPerMessage the worst round's steady-state allocation per message, bytes.
 * @param threads              CPU use per thread in the last round.
 * @param rssIdle              the lowest idle resident memory over the rounds.
 * @param rssPeak              the highest resident memory under load over the rounds.
 * @param engine               ChronoFabric's own statistics in the last round; null for baselines.
 * @param startup              latency mode: the first second of every round's trial, merged; null otherwise.
 * @param steady               latency mode: the rest of every round's trial (steady state), merged; null otherwise.
 */
public record ModeSummary(SystemKind kind, Mode mode, List<TrialResult> trials, double[] throughputs, double throughput,
    Histogram histogram, LatencyStats latency, double allocationPerMessage, List<ThreadStat> threads, Rss rssIdle,
    Rss rssPeak, Map<String, Long> engine, LatencyStats startup, LatencyStats steady)
{
    /**
     * @param trials the rounds' trials of one system in one mode, in round order; at least one.
     * @return their summary.
     */
    public static ModeSummary of(final List<TrialResult> trials)
    {
        final TrialResult last = trials.get(trials.size() - 1);
        final double[] throughputs = trials.stream().mapToDouble(TrialResult::throughput).toArray();
        final Histogram merged = LatencyProbe.newHistogram();
        final Histogram startup = LatencyProbe.newHistogram();
        final Histogram steady = LatencyProbe.newHistogram();
        final boolean split = null != last.startup();
        double allocation = 0;
        Rss idle = trials.get(0).rssIdle();
        Rss peak = trials.get(0).rssPeak();
        for (final TrialResult trial : trials)
        {
            merged.add(trial.histogram());
            if (split)
            {
                startup.add(trial.startup());
                steady.add(trial.steady());
            }
            allocation = Math.max(allocation, trial.allocationPerMessage());
            idle = new Rss(Math.min(idle.totalKb(), trial.rssIdle().totalKb()),
                Math.min(idle.anonKb(), trial.rssIdle().anonKb()), Math.min(idle.fileKb(), trial.rssIdle().fileKb()));
            peak = peak.max(trial.rssPeak());
        }
        return new ModeSummary(last.kind(), last.mode(), List.copyOf(trials), throughputs, Rounds.median(throughputs),
            merged, LatencyStats.of(merged), allocation, last.threads(), idle, peak, last.engineLatency(),
            split ? LatencyStats.of(startup) : null, split ? LatencyStats.of(steady) : null);
    }

    /** @return messages per trial. */
    public long messagesPerTrial()
    {
        return trials.get(0).messages();
    }

    /** @return the offered rate, 0 for as fast as possible. */
    public double offeredRate()
    {
        return trials.get(0).offeredRate();
    }
}
