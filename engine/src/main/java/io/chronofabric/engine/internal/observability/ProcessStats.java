package io.chronofabric.engine.internal.observability;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the process costs right now: CPU time, resident memory, heap, CPUs. Read by the monitor and the diagnostics,
 * never by a pipeline thread.
 */
public final class ProcessStats
{
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final long BYTES_PER_KIB = 1024;

    private ProcessStats()
    {
    }

    /** @return CPU time used by the process so far, in nanoseconds, or -1 when the JVM cannot tell. */
    public static long cpuNanos()
    {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean)
        {
            return ((com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        }
        return -1;
    }

    /**
     * @return the resident set size in bytes ({@code VmRSS} of {@code /proc/self/status}), or -1 where there is no
     *     such file (not Linux).
     */
    public static long residentBytes()
    {
        try
        {
            for (final String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII))
            {
                if (line.startsWith("VmRSS:"))
                {
                    return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").trim()) * BYTES_PER_KIB;
                }
            }
            return -1;
        }
        catch (final IOException | NumberFormatException ex)
        {
            return -1;
        }
    }

    /** @return heap in use, in bytes. */
    public static long heapUsedBytes()
    {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** @return the most heap the JVM may use, in bytes (the committed heap when it has no limit). */
    public static long heapMaxBytes()
    {
        final MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
    }

    /** @return the CPUs this process may run on. */
    public static int cpus()
    {
        return Runtime.getRuntime().availableProcessors();
    }
}
