package io.chronofabric.affinity.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.chronofabric.affinity.CpuSet;
import io.chronofabric.affinity.HostCpus;
import io.chronofabric.affinity.HostFiles;
import io.chronofabric.affinity.KernelCommandLine;

/**
 * Whether the CPUs a profile pins to are kept free of the scheduler, the timer tick, RCU callbacks and interrupts.
 */
final class IsolationChecks
{
    private static final String GRUB = " to GRUB_CMDLINE_LINUX in /etc/default/grub, run update-grub (or " +
        "grub2-mkconfig -o /boot/grub2/grub.cfg) and reboot";
    private static final int IRQS_LISTED = 20;

    private final HostFiles files;
    private final HostCpus host;
    private final ProfileNeeds needs;
    private final KernelCommandLine cmdline;

    IsolationChecks(final HostFiles files, final HostCpus host, final ProfileNeeds needs)
    {
        this.files = files;
        this.host = host;
        this.needs = needs;
        this.cmdline = KernelCommandLine.read(files);
    }

    HostCheckResult isolcpus()
    {
        final boolean known = cmdline.known() || files.read("/sys/devices/system/cpu/isolated").isPresent();
        return bootParameter("isolated_cpus", "isolcpus", known, host.isolated(),
            "taken out of the scheduler's load balancing, so no other thread is put on them");
    }

    HostCheckResult nohzFull()
    {
        final boolean known = cmdline.known() || files.read("/sys/devices/system/cpu/nohz_full").isPresent();
        return bootParameter("nohz_full", "nohz_full", known, host.nohzFull(),
            "spared the scheduler tick while one thread runs on them");
    }

    HostCheckResult rcuNocbs()
    {
        return bootParameter("rcu_nocbs", "rcu_nocbs", cmdline.known(), host.rcuNocbs(),
            "spared RCU callback processing");
    }

    private HostCheckResult bootParameter(final String check, final String parameter, final boolean known,
        final CpuSet cpus, final String what)
    {
        final Map<String, Object> facts = new LinkedHashMap<>();
        facts.put(parameter, known ? cpus.toString() : null);
        facts.put("wanted_cpus", needs.wantedCpus().toString());
        if (!known)
        {
            return new HostCheckResult(check, Verdict.UNKNOWN, "/proc/cmdline cannot be read (container?); " +
                parameter + " is unknown", "", facts);
        }
        if (!needs.pins())
        {
            return new HostCheckResult(check, Verdict.OK, "profile " + needs.profile() + " pins no thread; " +
                parameter + "=" + (cpus.isEmpty() ? "(none)" : cpus.toString()), "", facts);
        }
        final CpuSet missing = needs.wantedCpus().minus(cpus);
        if (needs.wantedCpus().isEmpty() || !missing.isEmpty())
        {
            final String suggested = needs.wantedCpus().isEmpty() ? "<the CPUs for threads.cpus>" :
                needs.wantedCpus().toString();
            return new HostCheckResult(check, Verdict.WARN, "the CPUs profile " + needs.profile() + " pins to (" +
                (needs.wantedCpus().isEmpty() ? "none free here" : needs.wantedCpus().toString()) + ") are not all " +
                what + (cpus.isEmpty() ? "; " + parameter + " is not set" : "; " + parameter + "=" + cpus),
                "add " + parameter + "=" + suggested + GRUB, facts);
        }
        return new HostCheckResult(check, Verdict.OK, "the profile's CPUs " + needs.wantedCpus() + " are " + what,
            "", facts);
    }

    HostCheckResult irqAffinity()
    {
        final Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("wanted_cpus", needs.wantedCpus().toString());
        facts.put("default_smp_affinity", files.read("/proc/irq/default_smp_affinity").orElse(null));
        final List<String> irqs = files.list("/proc/irq");
        if (irqs.isEmpty())
        {
            return new HostCheckResult("irq_affinity", Verdict.UNKNOWN, "/proc/irq cannot be read (container?); " +
                "interrupt placement is unknown", "", facts);
        }
        if (!needs.pins() || needs.wantedCpus().isEmpty())
        {
            return new HostCheckResult("irq_affinity", Verdict.OK, "profile " + needs.profile() + " pins no " +
                "thread; interrupts may go anywhere", "", facts);
        }
        final List<Integer> onWanted = new ArrayList<>();
        for (final String irq : irqs)
        {
            if (irq.chars().allMatch(Character::isDigit) && interruptsWanted(irq))
            {
                onWanted.add(Integer.parseInt(irq));
            }
        }
        onWanted.sort(null);
        facts.put("irqs_on_wanted_cpus", onWanted.subList(0, Math.min(IRQS_LISTED, onWanted.size())));
        facts.put("irq_count_on_wanted_cpus", onWanted.size());
        if (onWanted.isEmpty())
        {
            return new HostCheckResult("irq_affinity", Verdict.OK, "no interrupt is routed to the profile's CPUs " +
                needs.wantedCpus(), "", facts);
        }
        final CpuSet housekeeping = host.usable().minus(needs.wantedCpus());
        return new HostCheckResult("irq_affinity", Verdict.WARN, onWanted.size() + " interrupt(s) may land on the " +
            "profile's CPUs " + needs.wantedCpus() + ", e.g. IRQ " + onWanted.get(0),
            "route them elsewhere: for i in $(ls /proc/irq | grep -E '^[0-9]+$'); do echo " +
            (housekeeping.isEmpty() ? "0" : housekeeping.toString()) + " > /proc/irq/$i/smp_affinity_list; done " +
            "(as root), and keep irqbalance off those CPUs (IRQBALANCE_BANNED_CPULIST=" + needs.wantedCpus() +
            " in /etc/default/irqbalance, or add managed_irq to isolcpus)", facts);
    }

    private boolean interruptsWanted(final String irq)
    {
        final Optional<String> effective = files.read("/proc/irq/" + irq + "/effective_affinity_list");
        final Optional<String> list = effective.isPresent() && !effective.get().isEmpty() ? effective :
            files.read("/proc/irq/" + irq + "/smp_affinity_list");
        try
        {
            return list.isPresent() && !CpuSet.parse(list.get()).and(needs.wantedCpus()).isEmpty();
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
    }
}
