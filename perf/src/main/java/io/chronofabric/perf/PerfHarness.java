package io.chronofabric.perf;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chronofabric.perf.model.BaselineRatio;
import io.chronofabric.perf.model.Check;
import io.chronofabric.perf.model.LatencyStats;
import io.chronofabric.perf.model.MachineInfo;
import io.chronofabric.perf.model.Mode;
import io.chronofabric.perf.model.ModeSummary;
import io.chronofabric.perf.model.PerfPlan;
import io.chronofabric.perf.model.PerfReport;
import io.chronofabric.perf.model.RateSweep;
import io.chronofabric.perf.model.Rounds;
import io.chronofabric.perf.model.Rss;
import io.chronofabric.perf.model.TrialResult;
import io.chronofabric.perf.spi.SystemKind;

/**
 * Runs a {@link PerfPlan}: a warm-up of every system, then the rounds, each running the throughput mode and the
 * latency mode on every system in an order that rotates from round to round (so that drift of the machine hits all
 * systems alike), then the rate sweep; and sums it all up into a {@link PerfReport}.
 */
public final class PerfHarness
{
    private static final double PACED_WARM_UP_SECONDS = 0.5;
    private static final List<Mode> ROUND_MODES = List.of(Mode.THROUGHPUT, Mode.LATENCY);

    private final PerfPlan plan;
    private final TrialRunner runner;
    private final PrintWriter progress;

    /**
     * @param plan     what to run.
     * @param progress where progress lines go (stderr on the command line).
     */
    public PerfHarness(final PerfPlan plan, final PrintWriter progress)
    {
        this.plan = plan;
        this.runner = new TrialRunner(plan.spec(), plan.sampleIntervalNanos());
        this.progress = progress;
    }

    /** @return the measurements. */
    public PerfReport run()
    {
        final Instant startedAt = Instant.now();
        final long startNanos = System.nanoTime();
        final MachineInfo machine = MachineInfo.current();
        final Rss rssAtStart = Rss.now();
        warmUp();
        final Map<SystemKind, Map<Mode, List<TrialResult>>> trials = new EnumMap<>(SystemKind.class);
        for (int round = 0; round < plan.rounds(); round++)
        {
            for (final Mode mode : ROUND_MODES)
            {
                for (final SystemKind kind : Rounds.rotate(plan.systems(), round))
                {
                    final TrialResult trial = Mode.THROUGHPUT == mode ?
                        runner.run(kind, mode, round, 0, plan.throughputMessages()) :
                        runner.run(kind, mode, round, plan.latencyRate(), plan.latencyMessages());
                    trials.computeIfAbsent(kind, k -> new EnumMap<>(Mode.class))
                        .computeIfAbsent(mode, m -> new ArrayList<>()).add(trial);
                    log("round %d/%d %-10s %-20s %,12.0f msg/s  p50 %,9d ns  p99 %,11d ns  max %,11d ns",
                        round + 1, plan.rounds(), mode.label(), kind.label(), trial.throughput(),
                        trial.histogram().getValueAtPercentile(50), trial.histogram().getValueAtPercentile(99),
                        trial.histogram().getMaxValue());
                }
            }
        }
        final Map<SystemKind, Map<Mode, ModeSummary>> summaries = new EnumMap<>(SystemKind.class);
        trials.forEach((kind, modes) ->
        {
            final Map<Mode, ModeSummary> byMode = new EnumMap<>(Mode.class);
            modes.forEach((mode, list) -> byMode.put(mode, ModeSummary.of(list)));
            summaries.put(kind, byMode);
        });
        final Map<SystemKind, RateSweep.Result> sweep = sweep(summaries);
        final Map<SystemKind, BaselineRatio> ratios = ratios(summaries, sweep);
        final Map<SystemKind, BaselineRatio> pairedRatios = pairedRatios(summaries, sweep);
        final List<Check> checks = Checks.of(plan, summaries, ratios, pairedRatios);
        return new PerfReport(startedAt, (System.nanoTime() - startNanos) / 1e9, machine, MachineInfo.loadAverageNow(),
            plan, rssAtStart, summaries, ratios, pairedRatios, sweep, checks);
    }

    private void warmUp()
    {
        if (plan.warmupMessages() <= 0)
        {
            return;
        }
        for (final SystemKind kind : plan.systems())
        {
            final TrialResult trial = runner.run(kind, Mode.THROUGHPUT, -1, 0, plan.warmupMessages());
            log("warm-up    %-20s %,12.0f msg/s (not counted)", kind.label(), trial.throughput());
            // then at the latency mode's rate: a paced sender and a pipeline that waits between messages take branches
            // a full-speed run never does, and the JIT would otherwise recompile them in the first measured latency
            // trial, which then starts hundreds of milliseconds behind
            final long paced = pacedWarmUpMessages(plan.warmupMessages(), plan.latencyRate());
            if (paced > 0)
            {
                runner.run(kind, Mode.LATENCY, -1, plan.latencyRate(), paced);
                log("warm-up    %-20s %,12d msg at %,.0f msg/s (not counted)", kind.label(), paced,
                    plan.latencyRate());
            }
        }
    }

    /**
     * @param warmupMessages the warm-up's messages at full speed.
     * @param rate           the latency mode's offered rate.
     * @return messages of the paced warm-up: half a second at that rate, at most half the full-speed warm-up.
     */
    static long pacedWarmUpMessages(final long warmupMessages, final double rate)
    {
        return Math.min(warmupMessages / 2, (long)(rate * PACED_WARM_UP_SECONDS));
    }

    private Map<SystemKind, RateSweep.Result> sweep(final Map<SystemKind, Map<Mode, ModeSummary>> summaries)
    {
        if (null == plan.sweep())
        {
            return Map.of();
        }
        final Map<SystemKind, Double> caps = new LinkedHashMap<>();
        for (final SystemKind kind : plan.systems())
        {
            caps.put(kind, summaries.get(kind).get(Mode.THROUGHPUT).throughput());
        }
        final PerfPlan.SweepSettings settings = plan.sweep();
        return new RateSweep(settings).run(plan.systems(), caps, (kind, rate) ->
        {
            final TrialResult trial = runner.run(kind, Mode.SWEEP, 0, rate, settings.stepMessages(rate));
            final long p99 = trial.histogram().getValueAtPercentile(99);
            log("sweep      %-20s %,12.0f msg/s offered  p99 %,11d ns  %s", kind.label(), rate, p99,
                p99 <= settings.p99BoundNanos() ? "within bound" : "beyond bound");
            return p99;
        });
    }

    private Map<SystemKind, BaselineRatio> ratios(final Map<SystemKind, Map<Mode, ModeSummary>> summaries,
        final Map<SystemKind, RateSweep.Result> sweep)
    {
        final Map<SystemKind, BaselineRatio> ratios = new LinkedHashMap<>();
        for (final SystemKind baseline : plan.systems())
        {
            final BaselineRatio ratio = baseline.isChronoFabric() ? null :
                ratio(SystemKind.CHRONOFABRIC, baseline, summaries, sweep);
            if (null != ratio)
            {
                ratios.put(baseline, ratio);
            }
        }
        return ratios;
    }

    /** @return each measured system with a {@link SystemKind#pairedBaseline()} against it, when it was measured too. */
    private Map<SystemKind, BaselineRatio> pairedRatios(final Map<SystemKind, Map<Mode, ModeSummary>> summaries,
        final Map<SystemKind, RateSweep.Result> sweep)
    {
        final Map<SystemKind, BaselineRatio> ratios = new LinkedHashMap<>();
        for (final SystemKind system : plan.systems())
        {
            final BaselineRatio ratio = null == system.pairedBaseline() ? null :
                ratio(system, system.pairedBaseline(), summaries, sweep);
            if (null != ratio)
            {
                ratios.put(system, ratio);
            }
        }
        return ratios;
    }

    /** @return one system's ratio to a baseline measured in the same rounds; null when either was not measured. */
    private static BaselineRatio ratio(final SystemKind system, final SystemKind baseline,
        final Map<SystemKind, Map<Mode, ModeSummary>> summaries, final Map<SystemKind, RateSweep.Result> sweep)
    {
        final Map<Mode, ModeSummary> measured = summaries.get(system);
        final Map<Mode, ModeSummary> other = summaries.get(baseline);
        if (null == measured || null == other)
        {
            return null;
        }
        final LatencyStats cf = measured.get(Mode.LATENCY).latency();
        final LatencyStats base = other.get(Mode.LATENCY).latency();
        final double sustainable = sweep.isEmpty() ? Double.NaN : Rounds.ratio(
            sweep.get(system).highestSustainable(), sweep.get(baseline).highestSustainable());
        return new BaselineRatio(baseline,
            Rounds.pairedRatio(measured.get(Mode.THROUGHPUT).throughputs(), other.get(Mode.THROUGHPUT).throughputs()),
            Rounds.ratio(cf.p50(), base.p50()), Rounds.ratio(cf.p99(), base.p99()), sustainable);
    }

    private void log(final String format, final Object... args)
    {
        progress.println(String.format(format, args));
        progress.flush();
    }
}
