package io.chronofabric.perf.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine a run came from, as the report states it: results mean little without it.
 *
 * @param cpus        processors available to the JVM.
 * @param cpuModel    the CPU model from {@code /proc/cpuinfo}, or "unknown".
 * @param memoryKb    total memory from {@code /proc/meminfo}, -1 when unknown.
 * @param jdk         the JVM's name, vendor and version.
 * @param os          the operating system's name, version and architecture.
 * @param loadAverage the 1, 5 and 15 minute load averages from {@code /proc/loadavg} (other processes competing
 *                    for the cores show here), or "unknown".
 */
public record MachineInfo(int cpus, String cpuModel, long memoryKb, String jdk, String os, String loadAverage)
{
    /** @return this machine, now. */
    public static MachineInfo current()
    {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), readCpuModel(), readMemoryKb(),
            System.getProperty("java.vm.name") + " " + System.getProperty("java.vendor") + " " +
                System.getProperty("java.runtime.version"),
            System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
            loadAverageNow());
    }

    /** @return the load averages now, "unknown" without {@code /proc/loadavg}. */
    public static String loadAverageNow()
    {
        final String text = read(Path.of("/proc/loadavg"));
        if (null == text)
        {
            return "unknown";
        }
        final String[] fields = text.trim().split("\\s+");
        return fields.length < 3 ? text.trim() : fields[0] + " " + fields[1] + " " + fields[2];
    }

    /**
     * @param loadAverage a load average line as {@link #loadAverageNow()} gives it.
     * @param cpus        the CPUs of the machine.
     * @return a warning when the 1-minute load exceeds the CPUs (other processes competed for the cores, and
     *     latencies then measure scheduling more than the systems), or null.
     */
    public static String overloadWarning(final String loadAverage, final int cpus)
    {
        try
        {
            final double oneMinute = Double.parseDouble(loadAverage.split(" ")[0]);
            return oneMinute > cpus ? String.format(java.util.Locale.ROOT, "load average %.2f on %d CPUs: other " +
                "processes competed for the cores during this run, so its latencies measure scheduling as much as " +
                "the systems (all systems alike); rerun on a quiet machine for numbers to keep", oneMinute, cpus) : null;
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
    }

    private static String readCpuModel()
    {
        final String text = read(Path.of("/proc/cpuinfo"));
        if (null != text)
        {
            for (final String line : text.split("\n"))
            {
                if (line.startsWith("model name"))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        return "unknown";
    }

    private static long readMemoryKb()
    {
        final String text = read(Path.of("/proc/meminfo"));
        if (null != text)
        {
            for (final String line : text.split("\n"))
            {
                if (line.startsWith("MemTotal:"))
                {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        }
        return -1;
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.isReadable(file) ? Files.readString(file, StandardCharsets.US_ASCII) : null;
        }
        catch (final IOException ex)
        {
            return null;
        }
    }
}
