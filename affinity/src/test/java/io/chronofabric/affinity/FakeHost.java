package io.chronofabric.affinity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes /proc and /sys files below a test folder, for {@link HostFiles} rooted there.
 */
public final class FakeHost
{
    private final Path root;

    /** @param root the folder standing for {@code /}. */
    public FakeHost(final Path root)
    {
        this.root = root;
    }

    /** @param path an absolute host path. @param content its content. @return this. */
    public FakeHost file(final String path, final String content)
    {
        try
        {
            final Path file = root.resolve(path.substring(1));
            Files.createDirectories(file.getParent());
            Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
            return this;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** @return the files of this fake host. */
    public HostFiles files()
    {
        return new HostFiles(root);
    }

    /**
     * A tuned 8-CPU, one-socket host: CPUs 2-6 isolated, performance governor, turbo off, THP madvise, tsc, no swap,
     * IRQs on CPUs 0-1 only.
     *
     * @return this.
     */
    public FakeHost tuned()
    {
        file("/proc/cmdline", "BOOT_IMAGE=/vmlinuz isolcpus=managed_irq,domain,2-6 nohz_full=2-6 rcu_nocbs=2-6");
        file("/sys/devices/system/cpu/online", "0-7");
        file("/sys/devices/system/cpu/isolated", "2-6");
        file("/sys/devices/system/cpu/nohz_full", "2-6");
        file("/sys/devices/system/cpu/smt/control", "off");
        file("/proc/self/status", "Name:\tjava\nCpus_allowed:\t83\nCpus_allowed_list:\t0-1,7\n");
        file("/sys/devices/system/node/node0/cpulist", "0-7");
        for (int cpu = 0; cpu < 8; cpu++)
        {
            file("/sys/devices/system/cpu/cpu" + cpu + "/cpufreq/scaling_governor", "performance");
        }
        file("/sys/devices/system/cpu/intel_pstate/no_turbo", "1");
        file("/sys/kernel/mm/transparent_hugepage/enabled", "always [madvise] never");
        file("/sys/kernel/mm/transparent_hugepage/defrag", "always defer [defer+madvise] madvise never");
        file("/sys/devices/system/clocksource/clocksource0/current_clocksource", "tsc");
        file("/sys/devices/system/clocksource/clocksource0/available_clocksource", "tsc hpet acpi_pm");
        file("/proc/swaps", "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority");
        file("/proc/sys/vm/swappiness", "60");
        file("/proc/irq/default_smp_affinity", "83");
        file("/proc/irq/24/smp_affinity_list", "0-1");
        file("/proc/irq/25/effective_affinity_list", "7");
        file("/proc/irq/25/smp_affinity_list", "0-7");
        return this;
    }
}
