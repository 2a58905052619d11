package io.chronofabric.affinity.host;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.chronofabric.affinity.CpuSet;
import io.chronofabric.affinity.FakeHost;
import io.chronofabric.affinity.HostCpus;
import io.chronofabric.affinity.HostCpusReader;
import io.chronofabric.affinity.HostFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostCheckTest
{
    private static final List<String> CHECKS = List.of("cpus", "smt", "numa", "isolated_cpus", "nohz_full",
        "rcu_nocbs", "irq_affinity", "cpu_governor", "turbo", "transparent_huge_pages", "clock_source", "swap",
        "thread_pinning", "jvm");
    /** low-latency on the tuned host: 4 busy pipeline threads and the publisher on CPUs 2-6. */
    private static final ProfileNeeds LOW_LATENCY = new ProfileNeeds("low-latency", 5, 4, CpuSet.parse("2-6"));

    @TempDir
    Path root;

    private static Map<String, HostCheckResult> run(final HostFiles files, final HostCpus host, final ProfileNeeds needs)
    {
        final List<HostCheckResult> results = new HostCheck(files, host, needs).run();
        assertEquals(CHECKS, results.stream().map(HostCheckResult::name).collect(Collectors.toList()));
        return results.stream().collect(Collectors.toMap(HostCheckResult::name, Function.identity()));
    }

    private static void assertFix(final HostCheckResult result, final String part)
    {
        assertSame(Verdict.WARN, result.verdict(), result::finding);
        assertTrue(result.fix().contains(part), () -> result.name() + " fix lacks '" + part + "': " + result.fix());
    }

    @Test
    void shouldGiveEveryCheckAVerdictWithoutThrowingWhenProcAndSysAreMissing()
    {
        final HostFiles nothing = new HostFiles(root.resolve("empty"));
        final HostCpus host = HostCpusReader.read(nothing, 2, Optional.empty());
        final Map<String, HostCheckResult> results = run(nothing, host, LOW_LATENCY);

        for (final String name : List.of("smt", "numa", "isolated_cpus", "nohz_full", "rcu_nocbs", "irq_affinity",
            "cpu_governor", "turbo", "transparent_huge_pages", "clock_source", "swap"))
        {
            assertSame(Verdict.UNKNOWN, results.get(name).verdict(), name);
            assertFalse(results.get(name).finding().isEmpty(), name + " says what it could not read");
        }
        assertSame(Verdict.WARN, results.get("cpus").verdict(), "2 CPUs cannot host 4 busy threads");
        assertTrue(EnumSet.allOf(Verdict.class).contains(results.get("jvm").verdict()));
    }

    @Test
    void shouldPassATunedHostForLowLatency()
    {
        final FakeHost fake = new FakeHost(root).tuned();
        final HostCpus host = HostCpusReader.read(fake.files(), 3, Optional.empty());
        final Map<String, HostCheckResult> results = run(fake.files(), host, LOW_LATENCY);

        for (final String name : CHECKS.subList(0, CHECKS.size() - 1))
        {
            assertSame(Verdict.OK, results.get(name).verdict(), () -> name + ": " + results.get(name).finding());
            assertEquals("", results.get(name).fix(), name);
        }
        assertEquals(List.of(), results.get("irq_affinity").facts().get("irqs_on_wanted_cpus"),
            "IRQ 25's effective CPU (7) counts, not its wider smp_affinity_list");
    }

    @Test
    void shouldWarnWithConcreteFixesOnAnUntunedHost()
    {
        final FakeHost fake = new FakeHost(root).tuned()
            .file("/proc/cmdline", "BOOT_IMAGE=/vmlinuz quiet")
            .file("/sys/devices/system/cpu/isolated", "")
            .file("/sys/devices/system/cpu/nohz_full", "(null)")
            .file("/sys/devices/system/cpu/smt/control", "on")
            .file("/sys/devices/system/cpu/cpu3/cpufreq/scaling_governor", "powersave")
            .file("/sys/devices/system/cpu/intel_pstate/no_turbo", "0")
            .file("/sys/kernel/mm/transparent_hugepage/enabled", "[always] madvise never")
            .file("/sys/devices/system/clocksource/clocksource0/current_clocksource", "kvm-clock")
            .file("/proc/swaps", "Filename\tType\tSize\tUsed\tPriority\n/swapfile file 2097148 0 -2")
            .file("/proc/irq/31/smp_affinity_list", "0-7")
            .file("/sys/devices/system/node/node1/cpulist", "4-7")
            .file("/sys/devices/system/node/node0/cpulist", "0-3");
        final HostCpus host = HostCpusReader.read(fake.files(), 8, Optional.of("sched_setaffinity failed"));
        final Map<String, HostCheckResult> results = run(fake.files(), host, LOW_LATENCY);

        assertFix(results.get("isolated_cpus"), "isolcpus=2-6");
        assertFix(results.get("nohz_full"), "nohz_full=2-6");
        assertFix(results.get("rcu_nocbs"), "rcu_nocbs=2-6");
        assertFix(results.get("smt"), "echo off > /sys/devices/system/cpu/smt/control");
        assertFix(results.get("numa"), "numactl");
        assertFix(results.get("irq_affinity"), "smp_affinity_list");
        assertEquals(List.of(31), results.get("irq_affinity").facts().get("irqs_on_wanted_cpus"));
        assertFix(results.get("cpu_governor"), "cpupower frequency-set -g performance");
        assertFix(results.get("turbo"), "no_turbo");
        assertFix(results.get("transparent_huge_pages"), "echo madvise");
        assertFix(results.get("clock_source"), "clocksource=tsc");
        assertFix(results.get("swap"), "swapoff -a");
        assertFix(results.get("thread_pinning"), "sched_setaffinity");
    }

    @Test
    void shouldNotAskForIsolationWhenTheProfilePinsNothing()
    {
        final FakeHost fake = new FakeHost(root).tuned().file("/proc/cmdline", "quiet");
        final HostCpus host = HostCpusReader.read(fake.files(), 8, Optional.empty());
        final Map<String, HostCheckResult> results = run(fake.files(), host,
            new ProfileNeeds("dev", 0, 0, CpuSet.EMPTY));

        assertSame(Verdict.OK, results.get("isolated_cpus").verdict());
        assertSame(Verdict.OK, results.get("irq_affinity").verdict());
        assertSame(Verdict.OK, results.get("cpus").verdict());
    }

    @Test
    void shouldRunOnThisHostWithAVerdictPerCheck()
    {
        final HostCpus host = HostCpusReader.local();
        final Map<String, HostCheckResult> results = run(HostFiles.system(), host, LOW_LATENCY);
        results.values().forEach(result -> assertFalse(result.finding().isEmpty(), result.name()));
    }
}
