package io.chronofabric.affinity;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import net.openhft.affinity.CpuLayout;
import net.openhft.affinity.impl.VanillaCpuLayout;

/**
 * Reads a {@link HostCpus} from {@code /proc} and {@code /sys}. Each fact that cannot be read takes the safest
 * stand-in (the JVM's processor count, nothing isolated, topology unknown) so the reader works in containers and VMs.
 */
public final class HostCpusReader
{
    private static volatile HostCpus local;

    private HostCpusReader()
    {
    }

    /** @return this host, read once per JVM (CPUs do not change under a running engine often enough to matter). */
    public static HostCpus local()
    {
        HostCpus host = local;
        if (null == host)
        {
            host = read(HostFiles.system(), Runtime.getRuntime().availableProcessors(), ThreadPinner.probe());
            local = host;
        }
        return host;
    }

    /**
     * @param files               the host's files.
     * @param availableProcessors what the JVM reports.
     * @param pinningProblem      why pinning does not work here, or empty.
     * @return the host.
     */
    public static HostCpus read(final HostFiles files, final int availableProcessors,
        final Optional<String> pinningProblem)
    {
        final CpuSet online = cpus(files, "/sys/devices/system/cpu/online").orElse(CpuSet.range(availableProcessors));
        final CpuSet allowed = allowedCpus(files).orElse(CpuSet.range(availableProcessors));
        final KernelCommandLine cmdline = KernelCommandLine.read(files);
        final CpuSet isolated = cpus(files, "/sys/devices/system/cpu/isolated").orElse(CpuSet.EMPTY)
            .or(cmdline.cpus("isolcpus")).and(online);
        final CpuSet nohzFull = cpus(files, "/sys/devices/system/cpu/nohz_full").orElse(CpuSet.EMPTY)
            .or(cmdline.cpus("nohz_full")).and(online);
        final CpuSet usable = allowed.or(isolated).and(online);
        return new HostCpus(availableProcessors, online, usable, isolated, nohzFull,
            cmdline.cpus("rcu_nocbs").and(online), topology(files), numaNodes(files), pinningProblem.orElse(null));
    }

    private static Optional<CpuSet> cpus(final HostFiles files, final String path)
    {
        return files.read(path).flatMap(HostCpusReader::parse);
    }

    private static Optional<CpuSet> parse(final String list)
    {
        try
        {
            return Optional.of(CpuSet.parse(list));
        }
        catch (final IllegalArgumentException ex)
        {
            return Optional.empty();
        }
    }

    private static Optional<CpuSet> allowedCpus(final HostFiles files)
    {
        return files.read("/proc/self/status").flatMap(status -> status.lines()
            .filter(line -> line.startsWith("Cpus_allowed_list:"))
            .findFirst()
            .flatMap(line -> parse(line.substring("Cpus_allowed_list:".length()))));
    }

    private static int[] topology(final HostFiles files)
    {
        final Optional<String> cpuinfo = files.read("/proc/cpuinfo");
        if (cpuinfo.isEmpty())
        {
            return new int[] {HostCpus.UNKNOWN, HostCpus.UNKNOWN, HostCpus.UNKNOWN};
        }
        try
        {
            // HostFiles trims; the parser takes a CPU's entry only at the blank line that ends it
            final CpuLayout layout = VanillaCpuLayout.fromCpuInfo(
                new ByteArrayInputStream((cpuinfo.get() + "\n\n").getBytes(StandardCharsets.UTF_8)));
            return new int[] {layout.sockets(), layout.coresPerSocket(), layout.threadsPerCore()};
        }
        catch (final Exception ex)
        {
            // cpuinfo without "physical id"/"core id" (some VMs and ARM hosts): topology unknown
            return new int[] {HostCpus.UNKNOWN, HostCpus.UNKNOWN, HostCpus.UNKNOWN};
        }
    }

    private static Map<Integer, CpuSet> numaNodes(final HostFiles files)
    {
        final Map<Integer, CpuSet> nodes = new TreeMap<>();
        for (final String name : files.list("/sys/devices/system/node"))
        {
            if (name.matches("node\\d+"))
            {
                cpus(files, "/sys/devices/system/node/" + name + "/cpulist")
                    .ifPresent(cpus -> nodes.put(Integer.parseInt(name.substring(4)), cpus));
            }
        }
        return nodes;
    }
}
