package io.chronofabric.engine.internal.observability;

import java.io.IOException;
import java.io.InputStream;
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
    /** Room for {@code /proc/self/status}: about 1.5 KB, more with a long Groups line before VmRSS. */
    private static final int STATUS_BYTES = 16 * 1024;
    private static final byte[] VM_RSS = "VmRSS:".getBytes(StandardCharsets.US_ASCII);

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
     *     such file (not Linux). The monitor reads it every tick, so it is parsed from the bytes, without lines.
     */
    public static long residentBytes()
    {
        final byte[] status = new byte[STATUS_BYTES];
        int length = 0;
        try (InputStream in = Files.newInputStream(STATUS))
        {
            int read;
            while (length < status.length && (read = in.read(status, length, status.length - length)) > 0)
            {
                length += read;
            }
        }
        catch (final IOException ex)
        {
            return -1;
        }
        final long kib = kibAfter(status, length, VM_RSS);
        return kib < 0 ? -1 : kib * BYTES_PER_KIB;
    }

    /** @return the number after {@code key} at a line's start, e.g. {@code "VmRSS:   1234 kB"}; -1 when absent. */
    static long kibAfter(final byte[] text, final int length, final byte[] key)
    {
        for (int line = 0; line < length; )
        {
            if (startsWith(text, line, length, key))
            {
                long value = -1;
                for (int i = line + key.length; i < length && '\n' != text[i]; i++)
                {
                    final int digit = text[i] - '0';
                    if (digit >= 0 && digit <= 9)
                    {
                        value = Math.max(0, value) * 10 + digit;
                    }
                    else if (value >= 0)
                    {
                        return value;
                    }
                }
                return -1; // no number, or one cut off where the text read ends: its unit is unknown
            }
            while (line < length && '\n' != text[line])
            {
                line++;
            }
            line++;
        }
        return -1;
    }

    private static boolean startsWith(final byte[] text, final int at, final int length, final byte[] key)
    {
        if (at + key.length > length)
        {
            return false;
        }
        for (int i = 0; i < key.length; i++)
        {
            if (text[at + i] != key[i])
            {
                return false;
            }
        }
        return true;
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
