package io.chronofabric.perf.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chronofabric.perf.spi.SystemKind;

/**
 * Finds, for each system, the highest offered rate whose p99 latency (from the intended send times) stays within a
 * bound. Rates rise geometrically until a system passes the bound, then the gap between its last good and first
 * bad rate is bisected. Every rate is tried on all systems still in the sweep before the next, in an order that
 * rotates, so that drift of the machine hits all alike. Rates above a system's cap (its measured throughput: it
 * cannot sustain more) are not tried.
 */
public final class RateSweep
{
    /** Runs one step: offers a rate to a system and returns its p99 latency in nanoseconds. */
    @FunctionalInterface
    public interface Step
    {
        /**
         * @param kind the system.
         * @param rate the offered rate, messages per second.
         * @return the p99 latency of the step, nanoseconds.
         */
        long p99(SystemKind kind, double rate);
    }

    /**
     * One step's outcome.
     *
     * @param rate   the offered rate.
     * @param p99    its p99 latency, nanoseconds.
     * @param within whether the p99 stayed within the bound.
     */
    public record StepResult(double rate, long p99, boolean within)
    {
    }

    /**
     * A system's sweep.
     *
     * @param kind               the system.
     * @param highestSustainable the highest rate within the bound; 0 when even the start rate was not.
     * @param lowestFailing      the lowest rate beyond the bound; 0 when none was (the cap stopped the sweep).
     * @param cap                the highest rate the sweep would try for it.
     * @param steps              every step, in the order run.
     */
    public record Result(SystemKind kind, double highestSustainable, double lowestFailing, double cap,
        List<StepResult> steps)
    {
    }

    private final PerfPlan.SweepSettings settings;

    /**
     * @param settings the start rate, growth, bisection steps and p99 bound.
     */
    public RateSweep(final PerfPlan.SweepSettings settings)
    {
        this.settings = settings;
    }

    /**
     * @param kinds the systems, in their base order.
     * @param caps  each system's highest rate worth trying.
     * @param step  runs one step.
     * @return each system's result, in the base order.
     */
    public Map<SystemKind, Result> run(final List<SystemKind> kinds, final Map<SystemKind, Double> caps, final Step step)
    {
        final Map<SystemKind, Progress> progress = new LinkedHashMap<>();
        kinds.forEach(kind -> progress.put(kind, new Progress()));
        double rate = settings.startRate();
        for (int iteration = 0; ; iteration++)
        {
            final List<SystemKind> rising = new ArrayList<>();
            for (final SystemKind kind : kinds)
            {
                // a step that would pass the cap is made at the cap, once: "none up to the cap" must mean the cap
                // (with no failure yet, every step was within, so the highest within is the highest tried)
                if (0 == progress.get(kind).bad && progress.get(kind).good < caps.get(kind))
                {
                    rising.add(kind);
                }
            }
            if (rising.isEmpty())
            {
                break;
            }
            for (final SystemKind kind : Rounds.rotate(rising, iteration))
            {
                final double stepRate = Math.min(rate, caps.get(kind));
                progress.get(kind).record(stepRate, step.p99(kind, stepRate), settings.p99BoundNanos());
            }
            rate *= settings.growth();
        }
        for (int refine = 0; refine < settings.refineSteps(); refine++)
        {
            final List<SystemKind> bracketed = new ArrayList<>();
            for (final SystemKind kind : kinds)
            {
                if (progress.get(kind).good > 0 && progress.get(kind).bad > 0)
                {
                    bracketed.add(kind);
                }
            }
            for (final SystemKind kind : Rounds.rotate(bracketed, refine))
            {
                final Progress p = progress.get(kind);
                final double middle = Math.sqrt(p.good * p.bad);
                p.record(middle, step.p99(kind, middle), settings.p99BoundNanos());
            }
        }
        final Map<SystemKind, Result> results = new LinkedHashMap<>();
        progress.forEach((kind, p) -> results.put(kind, new Result(kind, p.good, p.bad, caps.get(kind), List.copyOf(p.steps))));
        return results;
    }

    private static final class Progress
    {
        private final List<StepResult> steps = new ArrayList<>();
        private double good;
        private double bad;

        private void record(final double rate, final long p99, final long bound)
        {
            final boolean within = p99 <= bound;
            steps.add(new StepResult(rate, p99, within));
            if (within)
            {
                good = Math.max(good, rate);
            }
            else
            {
                bad = 0 == bad ? rate : Math.min(bad, rate);
            }
        }
    }
}
