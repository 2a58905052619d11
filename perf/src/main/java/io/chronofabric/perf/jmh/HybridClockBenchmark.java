package io.chronofabric.perf.jmh;


import io.chronofabric.engine.internal.clock.HybridClock;
import io.chronofabric.engine.api.SystemWallClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The hybrid logical clock on the system wall clock: {@code now} (the journal stage ticks it once per message),
 * {@code receive} of a remote timestamp close to local time, and the two clock reads underneath for reference.
 */
@State(Scope.Thread)
public class HybridClockBenchmark extends BenchmarkSettings
{
    private static final long MAX_OFFSET_NANOS = 500_000_000L;

    private HybridClock clock;
    private long remoteLogical;

    /** Creates the clock. */
    @Setup
    public void setUp()
    {
        clock = new HybridClock(SystemWallClock.INSTANCE, MAX_OFFSET_NANOS, Integer.MAX_VALUE);
    }

    /**
     * A stamp: {@code System.nanoTime()}, the host's wall clock carried forward on it (read again once a millisecond)
     * and the send rule. The journal stage passes a reading it takes anyway instead of the {@code nanoTime()} here.
     *
     * @return the new wall component plus logical (so nothing is eliminated).
     */
    @Benchmark
    public long now()
    {
        clock.now();
        return clock.wall() + clock.logical();
    }

    /** @return whether the receive was applied; a remote clock a microsecond ahead of this one. */
    @Benchmark
    public boolean receive()
    {
        return clock.receive(clock.wall() + 1_000, ++remoteLogical & 0xFFFF);
    }

    /** @return the host's wall clock (two clock reads), which the HLC reads once a millisecond, epoch nanoseconds. */
    @Benchmark
    public long wallClock()
    {
        return SystemWallClock.INSTANCE.epochNanos();
    }

    /** @return the monotonic clock every pipeline stage stamps a message with. */
    @Benchmark
    public long nanoTime()
    {
        return System.nanoTime();
    }
}
