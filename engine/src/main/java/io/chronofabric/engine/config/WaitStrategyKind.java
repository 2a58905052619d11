package io.chronofabric.engine.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy;
import com.lmax.disruptor.PhasedBackoffWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.TimeoutBlockingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

/**
 * How a pipeline thread waits for the next message. Only {@link #YIELDING} and {@link #BUSY_SPIN} keep a core busy
 * while idle; give each such thread a core of its own.
 */
public enum WaitStrategyKind
{
    /** Lock and condition: least CPU, wake-up in tens of microseconds. */
    BLOCKING(false),
    /** Blocking, but signals only when a consumer is actually waiting. */
    LITE_BLOCKING(false),
    /** Spins, then yields, then parks briefly: low latency under load, idles gently. The default. */
    SLEEPING(false),
    /** Spins then yields: low latency, a core fully busy while idle. */
    YIELDING(true),
    /** Spins with a CPU pause hint: lowest latency, a dedicated core per thread. */
    BUSY_SPIN(true);

    private final boolean burnsCore;

    WaitStrategyKind(final boolean burnsCore)
    {
        this.burnsCore = burnsCore;
    }

    /**
     * @return true when a waiting thread keeps its core fully busy.
     */
    public boolean burnsCore()
    {
        return burnsCore;
    }

    /**
     * A wait strategy of this kind that also wakes an idle consumer every {@code tickNanos}, so that stages can run
     * time-driven work (hold timeouts, retries) while no message arrives. Spinning and yielding kinds keep spinning
     * or yielding through short idle gaps and only nap (a timed block that any publish cuts short) after a long one.
     *
     * @param tickNanos the longest an idle consumer waits before its {@code onTimeout} runs.
     * @return a new Disruptor wait strategy (one per ring; they hold per-instance state).
     */
    public WaitStrategy newTimedWaitStrategy(final long tickNanos)
    {
        final WaitStrategy nap = new LiteTimeoutBlockingWaitStrategy(tickNanos, TimeUnit.NANOSECONDS);
        switch (this)
        {
            case BLOCKING:
                return new TimeoutBlockingWaitStrategy(tickNanos, TimeUnit.NANOSECONDS);
            case LITE_BLOCKING:
                return nap;
            case YIELDING:
                return new PhasedBackoffWaitStrategy(1_000, 100_000_000, TimeUnit.NANOSECONDS, nap);
            case BUSY_SPIN:
                return new PhasedBackoffWaitStrategy(100_000_000, 100_000_000, TimeUnit.NANOSECONDS, nap);
            case SLEEPING:
            default:
                return new PhasedBackoffWaitStrategy(50_000, 200_000, TimeUnit.NANOSECONDS, nap);
        }
    }

    /**
     * @return a new Disruptor wait strategy of this kind (one per pipeline; they hold per-instance state).
     */
    public WaitStrategy newWaitStrategy()
    {
        switch (this)
        {
            case BLOCKING:
                return new BlockingWaitStrategy();
            case LITE_BLOCKING:
                return new LiteBlockingWaitStrategy();
            case YIELDING:
                return new YieldingWaitStrategy();
            case BUSY_SPIN:
                return new BusySpinWaitStrategy();
            case SLEEPING:
            default:
                return new SleepingWaitStrategy();
        }
    }

    /**
     * @param name a kind's name, case-insensitive, '-' accepted for '_'.
     * @return the kind.
     * @throws IllegalArgumentException naming the allowed values.
     */
    public static WaitStrategyKind parse(final String name)
    {
        final String normalised = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (final WaitStrategyKind kind : values())
        {
            if (kind.name().equals(normalised))
            {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown wait strategy '" + name + "'; allowed: " + allowed());
    }

    /**
     * @return the accepted names, comma separated.
     */
    public static String allowed()
    {
        return Arrays.stream(values()).map(k -> k.name().toLowerCase(Locale.ROOT).replace('_', '-'))
            .collect(Collectors.joining(", "));
    }

    /**
     * @return the lower-case name with '-', as profiles write it.
     */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
