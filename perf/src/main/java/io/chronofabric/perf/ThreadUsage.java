package io.chronofabric.perf;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * CPU time and allocated bytes of a fixed set of threads, through the JVM's
 * {@link com.sun.management.ThreadMXBean}. Readings are cumulative since each thread started; the harness takes
 * differences.
 */
public final class ThreadUsage
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private final List<Thread> threads;
    private final long[] ids;

    /**
     * @param threads the threads to watch.
     */
    public ThreadUsage(final List<Thread> threads)
    {
        this.threads = List.copyOf(threads);
        this.ids = this.threads.stream().mapToLong(Thread::getId).toArray();
        if (THREADS.isThreadCpuTimeSupported() && !THREADS.isThreadCpuTimeEnabled())
        {
            THREADS.setThreadCpuTimeEnabled(true);
        }
        if (THREADS.isThreadAllocatedMemorySupported() && !THREADS.isThreadAllocatedMemoryEnabled())
        {
            THREADS.setThreadAllocatedMemoryEnabled(true);
        }
    }

    /** @return the watched threads, in the order of the readings. */
    public List<Thread> threads()
    {
        return threads;
    }

    /**
     * @return bytes allocated so far by each watched thread (-1 for a thread that has ended or when unsupported).
     */
    public long[] allocatedBytes()
    {
        return THREADS.isThreadAllocatedMemorySupported() ? THREADS.getThreadAllocatedBytes(ids) : filled(-1);
    }

    /** @return CPU nanoseconds used so far by each watched thread (-1 for one that has ended or when unsupported). */
    public long[] cpuNanos()
    {
        return THREADS.isThreadCpuTimeSupported() ? THREADS.getThreadCpuTime(ids) : filled(-1);
    }

    /** @param values readings from this object. @return their sum, ignoring the -1 of unknown readings. */
    public static long sum(final long[] values)
    {
        long sum = 0;
        for (final long value : values)
        {
            sum += Math.max(0, value);
        }
        return sum;
    }

    private long[] filled(final long value)
    {
        final long[] values = new long[ids.length];
        java.util.Arrays.fill(values, value);
        return values;
    }
}
