package io.chronofabric.perf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import io.chronofabric.perf.model.IntervalSample;
import io.chronofabric.perf.model.Rounds;
import io.chronofabric.perf.model.Rss;
import io.chronofabric.perf.spi.LatencyProbe;
import org.HdrHistogram.Histogram;

/**
 * Samples a running trial from its own thread at a fixed interval: the latencies recorded since the last sample
 * (an interval histogram: added to the trial's total, and kept small for the latency-over-time plot and the
 * {@code .hlog} file), the deliveries so far, the
 * bytes allocated by the publisher and the system's threads (for allocation per message in steady state) and
 * resident memory (for the peak under load). Its own allocation lands on its own thread, which is not watched.
 */
final class Sampler implements Runnable
{
    private final LatencyProbe probe;
    private final ThreadUsage usage;
    private final long intervalNanos;
    private final List<IntervalSample> intervals = new ArrayList<>();
    private final Histogram merged = LatencyProbe.newHistogram();
    private final ByteBuffer encoding;
    private Histogram recycled;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private Rss peak;

    /** One sample: when, how many delivered, how many bytes the watched threads had allocated. */
    record Sample(long nanoTime, long delivered, long allocatedBytes)
    {
    }

    Sampler(final LatencyProbe probe, final ThreadUsage usage, final long intervalNanos, final boolean keepIntervals)
    {
        this.probe = probe;
        this.encoding = keepIntervals ? ByteBuffer.allocate(merged.getNeededByteBufferCapacity()) : null;
        this.usage = usage;
        this.intervalNanos = intervalNanos;
        this.peak = Rss.now();
        this.thread = new Thread(this, "perf-sampler");
        this.thread.setDaemon(true);
    }

    void start()
    {
        sample();
        thread.start();
    }

    @Override
    public void run()
    {
        while (running)
        {
            LockSupport.parkNanos(intervalNanos);
            if (running)
            {
                sample();
            }
        }
    }

    /** Stops sampling and takes a last sample; returns once the sampler thread has ended. Idempotent. */
    void stop()
    {
        if (!running)
        {
            return;
        }
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        sample();
    }

    private void sample()
    {
        final long delivered = probe.deliveredCount();
        final long allocated = ThreadUsage.sum(usage.allocatedBytes());
        samples.add(new Sample(System.nanoTime(), delivered, allocated));
        final Histogram interval = probe.interval(recycled);
        merged.add(interval);
        intervals.add(IntervalSample.of(interval, encoding));
        recycled = interval;
        peak = peak.max(Rss.now());
    }

    List<IntervalSample> intervals()
    {
        return intervals;
    }

    /** @return every latency recorded during the trial. */
    Histogram merged()
    {
        return merged;
    }

    List<Sample> samples()
    {
        return samples;
    }

    Rss peakRss()
    {
        return peak;
    }

    /**
     * Allocation per message in steady state: for each sampling interval while between 20% and 95% of the messages
     * had been delivered (start-up and drain excluded), the bytes the watched threads allocated over the messages
     * delivered in it; the median of those. The median, because a reading of another running thread's allocation
     * counter can be off by part of a TLAB at one instant, which would swamp a mean over a short window; an allocation
     * on the hot path shows in every interval and so in the median. All intervals count when the window holds none.
     *
     * @param messages the trial's message count.
     * @return bytes per delivered message, or -1 when no interval delivered a message.
     */
    double steadyAllocationPerMessage(final long messages)
    {
        final double inWindow = medianRate(messages / 5, messages - messages / 20);
        return inWindow >= 0 ? inWindow : medianRate(0, messages);
    }

    private double medianRate(final long fromDelivered, final long toDelivered)
    {
        final double[] rates = new double[samples.size()];
        int count = 0;
        for (int i = 1; i < samples.size(); i++)
        {
            final Sample before = samples.get(i - 1);
            final Sample after = samples.get(i);
            final long delivered = after.delivered() - before.delivered();
            if (delivered > 0 && before.delivered() >= fromDelivered && after.delivered() <= toDelivered)
            {
                rates[count++] = Math.max(0, after.allocatedBytes() - before.allocatedBytes()) / (double)delivered;
            }
        }
        return 0 == count ? -1 : Rounds.median(java.util.Arrays.copyOf(rates, count));
    }
}
