package io.chronofabric.perf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import io.chronofabric.engine.api.EngineStats;
import io.chronofabric.engine.api.LatencySummary;
import io.chronofabric.perf.model.Mode;
import io.chronofabric.perf.model.PerfPlan;
import io.chronofabric.perf.model.Rss;
import io.chronofabric.perf.model.ThreadStat;
import io.chronofabric.perf.model.TrialResult;
import io.chronofabric.perf.spi.LatencyProbe;
import io.chronofabric.perf.spi.SystemKind;
import io.chronofabric.perf.spi.SystemSpec;
import io.chronofabric.perf.spi.SystemUnderTest;
import io.chronofabric.perf.systems.ChronoFabricSystem;
import io.chronofabric.perf.systems.Systems;
import org.HdrHistogram.Histogram;

/**
 * Runs one trial on the calling thread, which is the publisher: starts the system on a fresh journal, lets it settle
 * and reads its idle memory, sends the messages (paced or as fast as possible, pinned to the engine plan's publisher
 * CPU if it has one, whatever the system), waits until every one is delivered, and closes the system. A trial that does not deliver exactly what it sent fails.
 */
public final class TrialRunner
{
    private static final long SETTLE_MILLIS = 100;
    private static final long DELIVERY_TIMEOUT_NANOS = 120_000_000_000L;

    private final SystemSpec spec;
    private final long sampleIntervalNanos;
    private final int publisherCpu;

    /**
     * @param spec                what the systems are built from.
     * @param sampleIntervalNanos how often the sampler takes an interval histogram and memory and allocation readings.
     */
    public TrialRunner(final SystemSpec spec, final long sampleIntervalNanos)
    {
        this.spec = spec;
        this.sampleIntervalNanos = sampleIntervalNanos;
        this.publisherCpu = spec.layoutPlan().publisherCpu();
    }

    /**
     * @param kind     the system.
     * @param mode     how the load is offered.
     * @param round    the round, recorded in the result.
     * @param rate     offered messages per second, 0 for as fast as possible.
     * @param messages messages to send.
     * @return the measurements.
     */
    public TrialResult run(final SystemKind kind, final Mode mode, final int round, final double rate, final long messages)
    {
        System.gc();
        final SystemUnderTest system = Systems.start(spec, kind);
        final LatencyProbe probe = system.probe();
        final List<Thread> watched = new ArrayList<>();
        watched.add(Thread.currentThread());
        watched.addAll(system.workerThreads());
        final ThreadUsage usage = new ThreadUsage(watched);
        final Sampler sampler = new Sampler(probe, usage, sampleIntervalNanos, Mode.SWEEP != mode);
        final long start;
        final long end;
        final Rss rssIdle;
        final List<ThreadStat> threads;
        try
        {
            // the system's start-up garbage and its long-lived structures (rings, histograms) are collected and
            // promoted now, so that its trial starts with an empty young generation (on the launcher's small heap a
            // starting engine overflows it into full collections of ~20 ms), whichever system runs
            System.gc();
            LockSupport.parkNanos(SETTLE_MILLIS * 1_000_000);
            rssIdle = Rss.now();
            sampler.start();
            final long[] cpuBefore = usage.cpuNanos();
            final long[] allocatedBefore = usage.allocatedBytes();
            final Pacer pacer = Pacer.systemClock(rate);
            try (PublisherPin ignored = PublisherPin.pin(publisherCpu))
            {
                start = pacer.start();
                if (Mode.LATENCY == mode)
                {
                    probe.splitStartupAt(start + PerfPlan.STARTUP_NANOS);
                }
                for (long i = 0; i < messages; i++)
                {
                    system.send(pacer.awaitSend(i));
                }
                awaitDeliveries(kind, probe, messages);
            }
            end = probe.lastDeliveryNanos();
            threads = threadStats(usage, cpuBefore, allocatedBefore, Math.max(1, end - start));
            sampler.stop();
        }
        finally
        {
            sampler.stop();
            system.close();
        }
        if (messages != probe.deliveredCount())
        {
            throw new IllegalStateException(kind.label() + " delivered " + probe.deliveredCount() + " of " + messages +
                " messages");
        }
        return new TrialResult(kind, mode, round, rate, messages, Math.max(1, end - start), sampler.merged(),
            sampler.intervals(), allocationPerMessage(sampler, threads, messages), threads, rssIdle, sampler.peakRss(),
            engineLatency(system), Mode.LATENCY == mode ? probe.startup() : null,
            Mode.LATENCY == mode ? probe.steady() : null);
    }

    /**
     * Two upper bounds on the allocation per message in steady state, and the tighter one wins: the sampler's median
     * over the steady intervals, and everything the watched threads allocated over the whole trial (read while they
     * were idle, so exactly; it includes one-off start-up allocation such as a Chronicle appender's) over the
     * messages. The second keeps a short trial, with too few intervals for a median, honest.
     */
    private static double allocationPerMessage(final Sampler sampler, final List<ThreadStat> threads, final long messages)
    {
        long total = 0;
        for (final ThreadStat thread : threads)
        {
            total += Math.max(0, thread.allocatedBytes());
        }
        final double steady = sampler.steadyAllocationPerMessage(messages);
        final double overall = (double)total / messages;
        return steady < 0 ? overall : Math.min(steady, overall);
    }

    private static void awaitDeliveries(final SystemKind kind, final LatencyProbe probe, final long messages)
    {
        final long deadline = System.nanoTime() + DELIVERY_TIMEOUT_NANOS;
        while (probe.deliveredCount() < messages)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException(kind.label() + " delivered only " + probe.deliveredCount() + " of " +
                    messages + " messages within " + DELIVERY_TIMEOUT_NANOS / 1_000_000_000 + " s");
            }
            Thread.yield();
        }
    }

    private static List<ThreadStat> threadStats(final ThreadUsage usage, final long[] cpuBefore,
        final long[] allocatedBefore, final long elapsedNanos)
    {
        final long[] cpu = usage.cpuNanos();
        final long[] allocated = usage.allocatedBytes();
        final List<ThreadStat> stats = new ArrayList<>();
        for (int i = 0; i < cpu.length; i++)
        {
            final Thread thread = usage.threads().get(i);
            final String name = 0 == i ? "publisher" : thread.getName();
            final long used = cpu[i] < 0 || cpuBefore[i] < 0 ? -1 : cpu[i] - cpuBefore[i];
            final long bytes = allocated[i] < 0 || allocatedBefore[i] < 0 ? -1 : allocated[i] - allocatedBefore[i];
            stats.add(new ThreadStat(name, used, used < 0 ? -1 : (double)used / elapsedNanos, bytes));
        }
        return stats;
    }

    private static Map<String, Long> engineLatency(final SystemUnderTest system)
    {
        if (!(system instanceof ChronoFabricSystem))
        {
            return null;
        }
        final EngineStats stats = ((ChronoFabricSystem)system).finalStats();
        final Map<String, Long> values = new LinkedHashMap<>();
        put(values, "end_to_end", stats.endToEnd());
        stats.stages().forEach((stage, latency) -> put(values, stage.label(), latency));
        values.put("backpressure_events", stats.backpressureEvents());
        values.put("hlc_order_violations", stats.orderViolations());
        return values;
    }

    private static void put(final Map<String, Long> values, final String name, final LatencySummary latency)
    {
        values.put(name + "_p50", latency.p50());
        values.put(name + "_p99", latency.p99());
        values.put(name + "_max", latency.max());
    }
}
