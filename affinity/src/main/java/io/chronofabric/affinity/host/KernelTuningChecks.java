package io.chronofabric.affinity.host;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.chronofabric.affinity.HostCpus;
import io.chronofabric.affinity.HostFiles;

/**
 * Frequency governor, turbo, transparent huge pages, clock source and swap.
 */
final class KernelTuningChecks
{
    private static final String CPUFREQ = "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_governor";
    private static final String THP = "/sys/kernel/mm/transparent_hugepage/";
    private static final String CLOCKSOURCE = "/sys/devices/system/clocksource/clocksource0/";
    private static final int SWAPPINESS_FOR_LATENCY = 10;

    private final HostFiles files;
    private final HostCpus host;
    private final ProfileNeeds needs;

    KernelTuningChecks(final HostFiles files, final HostCpus host, final ProfileNeeds needs)
    {
        this.files = files;
        this.host = host;
        this.needs = needs;
    }

    HostCheckResult governor()
    {
        final Map<String, Integer> governors = new TreeMap<>();
        final int[] cpus = needs.wantedCpus().isEmpty() ? host.online().toArray() : needs.wantedCpus().toArray();
        for (final int cpu : cpus)
        {
            files.read(String.format(CPUFREQ, cpu)).ifPresent(g -> governors.merge(g, 1, Integer::sum));
        }
        final Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("governors", governors);
        if (governors.isEmpty())
        {
            return new HostCheckResult("cpu_governor", Verdict.UNKNOWN, "no cpufreq in /sys (VM or container): the " +
                "hypervisor or firmware sets the frequency", "check the host's BIOS power profile (maximum " +
                "performance, C-states limited)", facts);
        }
        if (1 == governors.size() && governors.containsKey("performance"))
        {
            return new HostCheckResult("cpu_governor", Verdict.OK, "governor performance on the checked CPUs", "",
                facts);
        }
        return new HostCheckResult("cpu_governor", Verdict.WARN, "governor(s) " + governors.keySet() + ": the CPU " +
            "clocks down when idle and needs time to clock up when a message arrives",
            "cpupower frequency-set -g performance (or echo performance > /sys/devices/system/cpu/cpu*/cpufreq/" +
            "scaling_governor), and make it stick with tuned-adm profile latency-performance", facts);
    }

    HostCheckResult turbo()
    {
        final Optional<String> noTurbo = files.read("/sys/devices/system/cpu/intel_pstate/no_turbo");
        final Optional<String> boost = files.read("/sys/devices/system/cpu/cpufreq/boost");
        final Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("intel_pstate_no_turbo", noTurbo.orElse(null));
        facts.put("cpufreq_boost", boost.orElse(null));
        if (noTurbo.isEmpty() && boost.isEmpty())
        {
            return new HostCheckResult("turbo", Verdict.UNKNOWN, "neither intel_pstate/no_turbo nor cpufreq/boost " +
                "exists (VM, container or another driver)", "", facts);
        }
        final boolean on = noTurbo.map("0"::equals).orElse(false) || boost.map("1"::equals).orElse(false);
        if (on)
        {
            return new HostCheckResult("turbo", Verdict.WARN, "turbo boost is on: the core frequency follows load " +
                "and temperature, which shows as latency jitter",
                "for steady latency: echo 1 > /sys/devices/system/cpu/intel_pstate/no_turbo (or echo 0 > " +
                "/sys/devices/system/cpu/cpufreq/boost); keep it on only if peak speed matters more than steadiness",
                facts);
        }
        return new HostCheckResult("turbo", Verdict.OK, "turbo boost is off: steady core frequency", "", facts);
    }

    HostCheckResult transparentHugePages()
    {
        final Optional<String> enabled = files.read(THP + "enabled").map(KernelTuningChecks::selected);
        final Optional<String> defrag = files.read(THP + "defrag").map(KernelTuningChecks::selected);
        final Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("enabled", enabled.orElse(null));
        facts.put("defrag", defrag.orElse(null));
        if (enabled.isEmpty())
        {
            return new HostCheckResult("transparent_huge_pages", Verdict.UNKNOWN, THP + "enabled cannot be read",
                "", facts);
        }
        if ("always".equals(enabled.get()))
        {
            return new HostCheckResult("transparent_huge_pages", Verdict.WARN, "transparent huge pages are always " +
                "on: page faults may stall on compaction and khugepaged rewrites memory under running threads",
                "echo madvise > " + THP + "enabled && echo defer+madvise > " + THP + "defrag (or " +
                "transparent_hugepage=madvise on the kernel command line)", facts);
        }
        return new HostCheckResult("transparent_huge_pages", Verdict.OK, "transparent huge pages: " + enabled.get(),
            "", facts);
    }

    HostCheckResult clockSource()
    {
        final Optional<String> current = files.read(CLOCKSOURCE + "current_clocksource");
        final Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("current", current.orElse(null));
        facts.put("available", files.read(CLOCKSOURCE + "available_clocksource").orElse(null));
        if (current.isEmpty())
        {
            return new HostCheckResult("clock_source", Verdict.UNKNOWN, CLOCKSOURCE + "current_clocksource cannot " +
                "be read", "", facts);
        }
        if ("tsc".equals(current.get()))
        {
            return new HostCheckResult("clock_source", Verdict.OK, "clock source tsc: System.nanoTime costs about " +
                "20 ns, without a system call", "", facts);
        }
        return new HostCheckResult("clock_source", Verdict.WARN, "clock source " + current.get() + ", not tsc: " +
            "every timestamp (System.nanoTime, the HLC) costs more and may need a system call",
            "if /proc/cpuinfo lists constant_tsc and nonstop_tsc, add clocksource=tsc tsc=reliable to the kernel " +
            "command line (in a VM, ask for invariant TSC pass-through)", facts);
    }

    HostCheckResult swap()
    {
        final Optional<String> swaps = files.read("/proc/swaps");
        final Optional<String> swappiness = files.read("/proc/sys/vm/swappiness");
        final Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("swappiness", swappiness.orElse(null));
        if (swaps.isEmpty())
        {
            return new HostCheckResult("swap", Verdict.UNKNOWN, "/proc/swaps cannot be read", "", facts);
        }
        final long devices = swaps.get().lines().skip(1).filter(line -> !line.isBlank()).count();
        facts.put("swap_devices", devices);
        final int level = swappiness.map(KernelTuningChecks::integer).orElse(-1);
        if (0 == devices)
        {
            return new HostCheckResult("swap", Verdict.OK, "no swap is active", "", facts);
        }
        if (level >= 0 && level <= SWAPPINESS_FOR_LATENCY)
        {
            return new HostCheckResult("swap", Verdict.OK, devices + " swap device(s), swappiness " + level +
                ": the kernel swaps only under memory pressure", "", facts);
        }
        return new HostCheckResult("swap", Verdict.WARN, devices + " swap device(s) active, swappiness " +
            (level < 0 ? "unknown" : String.valueOf(level)) + ": a swapped-out heap or journal page costs milliseconds",
            "swapoff -a (and remove swap from /etc/fstab), or sysctl -w vm.swappiness=1; start the JVM with " +
            "-XX:+AlwaysPreTouch (CHRONOFABRIC_JAVA_OPTS) so the heap is resident", facts);
    }

    /** THP files show the choices with the active one in brackets: {@code always [madvise] never}. */
    private static String selected(final String choices)
    {
        final int open = choices.indexOf('[');
        final int close = choices.indexOf(']');
        return open >= 0 && close > open ? choices.substring(open + 1, close) : choices.trim();
    }

    private static int integer(final String text)
    {
        try
        {
            return Integer.parseInt(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }
}
