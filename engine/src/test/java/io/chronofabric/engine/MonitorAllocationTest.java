package io.chronofabric.engine;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.EngineTestSupport.TYPE;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The performance monitor's ticks leave little garbage: on the launcher's small heap (2 MB young generation) its
 * garbage set the pace of the collections that stop the pipeline thread. Each tick used to copy the end-to-end
 * latency histogram (about 200 KB at this range and precision) and read {@code /proc/self/status} as lines; a tick now
 * allocates its sample and a few small objects. Measured with the HotSpot per-thread allocation counter on the
 * monitor thread, ticking every 10 ms while messages flow.
 */
class MonitorAllocationTest
{
    private static final long INTERVAL_MILLIS = 10;
    private static final long MEASURED_NANOS = 2_000_000_000L;
    /** Far below one histogram copy a tick, far above the sample, the breach verdicts and the status read. */
    private static final long MOST_BYTES_PER_TICK = 32 * 1024;

    @TempDir
    Path dir;

    @Test
    void aMonitorTickAllocatesFarLessThanACopyOfTheLatencyHistogram()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory
            .getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "per-thread allocation counters unsupported");
        threads.setThreadAllocatedMemoryEnabled(true);
        try (Engine engine = EngineTestSupport.startRunning(EngineTestSupport.context(dir)
            .monitorIntervalMillis(INTERVAL_MILLIS).build()))
        {
            engine.subscribe(TYPE, message -> { });
            final Thread monitor = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> "cf-monitor".equals(thread.getName()) && thread.isAlive())
                .findFirst().orElseThrow(() -> new AssertionError("no cf-monitor thread"));
            final Publisher publisher = engine.newPublisher(1);
            publishFor(publisher, MEASURED_NANOS / 2); // warm up: the monitor's first ticks load its classes
            final long before = threads.getThreadAllocatedBytes(monitor.getId());
            final long started = System.nanoTime();
            publishFor(publisher, MEASURED_NANOS);
            final long allocated = threads.getThreadAllocatedBytes(monitor.getId()) - before;
            // at most this many ticks fit in the time measured; fewer only lowers what the monitor allocated
            final long ticks = (System.nanoTime() - started) / (INTERVAL_MILLIS * 1_000_000L);
            assertTrue(allocated < ticks * MOST_BYTES_PER_TICK, "the monitor allocated " + allocated + " bytes in " +
                "at most " + ticks + " ticks: " + allocated / Math.max(1, ticks) + " bytes a tick or more");
        }
    }

    /** Publishes a message every 100 us or so for {@code nanos}, so that every tick has latencies to sample. */
    private static void publishFor(final Publisher publisher, final long nanos)
    {
        final long end = System.nanoTime() + nanos;
        final long[] payload = {1, 0};
        while (System.nanoTime() < end)
        {
            payload[1]++;
            publisher.publish(TYPE, EngineTestSupport.SEQUENCE_WRITER, payload);
            LockSupport.parkNanos(100_000);
        }
    }
}
