package io.chronofabric.perf.model;

import java.nio.file.Path;
import java.util.List;

import io.chronofabric.perf.spi.SystemKind;
import io.chronofabric.perf.spi.SystemSpec;

/**
 * Everything one perf run does, resolved from the command line: which systems, how many interleaved rounds, the
 * load of each mode, the rate sweep, and where the results go.
 *
 * @param spec               what every system is built from (profile, payload, journal folder).
 * @param systems            the systems to measure; ChronoFabric first when present.
 * @param rounds             interleaved rounds of each mode.
 * @param warmupMessages     messages sent through each system before the first round, not measured.
 * @param throughputMessages messages per throughput trial.
 * @param latencyRate        the offered rate of the latency mode, messages per second.
 * @param latencySeconds     how long each latency trial offers that rate.
 * @param sweep              the rate sweep's settings; null for no sweep.
 * @param sampleIntervalNanos the interval of the latency-over-time samples and the {@code .hlog} intervals.
 * @param outDir             where the report files go.
 * @param quick              whether this is the {@code --quick} plan (reported).
 */
public record PerfPlan(SystemSpec spec, List<SystemKind> systems, int rounds, long warmupMessages,
    long throughputMessages, double latencyRate, double latencySeconds, SweepSettings sweep, long sampleIntervalNanos,
    Path outDir, boolean quick)
{
    /**
     * Latency trials report the messages meant to be sent in this first part of the trial apart, as start-up (the
     * system and its journal are fresh), from the rest, steady state: one second.
     */
    public static final long STARTUP_NANOS = 1_000_000_000L;
    /** The slowest offered rate of the latency mode, messages per second. */
    public static final double MIN_RATE = 1;
    /** The fastest offered rate: one message a nanosecond, the pacing clock's resolution. */
    public static final double MAX_RATE = 1e9;
    /** The shortest latency trial, seconds. */
    public static final double MIN_LATENCY_SECONDS = 0.001;
    /** The longest latency trial, seconds: an hour per system and round. */
    public static final double MAX_LATENCY_SECONDS = 3600;

    /**
     * @throws IllegalArgumentException naming the bad value.
     */
    public PerfPlan
    {
        systems = List.copyOf(systems);
        if (systems.isEmpty())
        {
            throw new IllegalArgumentException("no system to measure");
        }
        if (rounds < 1)
        {
            throw new IllegalArgumentException("--rounds " + rounds + " must be >= 1");
        }
        if (throughputMessages < 1)
        {
            throw new IllegalArgumentException("--messages " + throughputMessages + " must be >= 1");
        }
        if (warmupMessages < 0)
        {
            throw new IllegalArgumentException("--warmup " + warmupMessages + " must be >= 0");
        }
        // a slower rate or a shorter trial measures next to nothing; a longer one would seem to hang
        if (!(latencyRate >= MIN_RATE && latencyRate <= MAX_RATE))
        {
            throw new IllegalArgumentException("--rate " + latencyRate + " is invalid; allowed: messages per second " +
                "in [1, 1000000000]");
        }
        if (!(latencySeconds >= MIN_LATENCY_SECONDS && latencySeconds <= MAX_LATENCY_SECONDS))
        {
            throw new IllegalArgumentException("--latency-seconds " + latencySeconds + " is invalid; allowed: " +
                "seconds in [0.001, 3600]");
        }
    }

    /** @return messages per latency trial: the rate times the duration, at least one. */
    public long latencyMessages()
    {
        return Math.max(1, Math.round(latencyRate * latencySeconds));
    }

    /**
     * The rate sweep: from a start rate, multiplied by a growth factor until a system's p99 passes the bound, then
     * bisected (geometrically) between the last rate within the bound and the first beyond it.
     *
     * @param startRate    the first offered rate, messages per second.
     * @param growth       the factor between rates, above 1.
     * @param refineSteps  bisection steps after the first failure.
     * @param stepSeconds  how long each step offers its rate.
     * @param minStepMessages the fewest messages in one step, so that its p99 rests on enough samples.
     * @param p99BoundNanos the p99 a sustainable rate stays within.
     */
    public record SweepSettings(double startRate, double growth, int refineSteps, double stepSeconds,
        long minStepMessages, long p99BoundNanos)
    {
        /**
         * @throws IllegalArgumentException naming the bad value.
         */
        public SweepSettings
        {
            if (!(startRate > 0) || !(growth > 1) || refineSteps < 0 || !(stepSeconds > 0) || p99BoundNanos < 1)
            {
                throw new IllegalArgumentException("sweep settings out of range: start " + startRate + " msg/s (> 0), " +
                    "growth " + growth + " (> 1), refine " + refineSteps + " (>= 0), step " + stepSeconds + " s (> 0), " +
                    "p99 bound " + p99BoundNanos + " ns (>= 1)");
            }
        }

        /** @param rate an offered rate. @return messages in a step at that rate. */
        public long stepMessages(final double rate)
        {
            return Math.max(minStepMessages, Math.round(rate * stepSeconds));
        }
    }
}
