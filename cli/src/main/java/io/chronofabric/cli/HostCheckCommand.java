package io.chronofabric.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import io.chronofabric.affinity.CpuSet;
import io.chronofabric.affinity.HostCpus;
import io.chronofabric.affinity.HostCpusReader;
import io.chronofabric.affinity.HostFiles;
import io.chronofabric.affinity.ThreadPinner;
import io.chronofabric.affinity.host.HostCheck;
import io.chronofabric.affinity.host.HostCheckResult;
import io.chronofabric.affinity.host.ProfileNeeds;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.internal.layout.LayoutPlan;
import io.chronofabric.engine.internal.layout.LayoutPlanner;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.internal.layout.ThreadPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chronofabric host-check}: what matters for latency on this host, judged against a profile, each check with
 * a verdict (ok, warn, or unknown where the host hides the fact) and the concrete fix. Reads only; exits 0.
 */
@Command(name = "host-check", mixinStandardHelpOptions = true,
    description = {"Check this host for low latency against a profile: CPUs, SMT, NUMA, isolated CPUs (isolcpus, " +
        "nohz_full, rcu_nocbs), IRQ affinity, frequency governor, turbo, transparent huge pages, clock source, " +
        "swap, thread pinning and the JVM.", "Each check gives ok, warn or unknown, and the fix. Changes nothing."})
public final class HostCheckCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "low-latency",
        description = "The profile whose needs (pinned CPUs, busy threads) the checks judge (default: ${DEFAULT-VALUE}).")
    private String profile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a profile setting; repeatable.")
    private Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--json", description = "Print as one JSON object.")
    private boolean json;

    @Override
    public Integer call()
    {
        final EngineConfiguration context = Profiles.builder(profile, overrides).build();
        final HostCpus host = HostCpusReader.local();
        final ProfileNeeds needs = needs(context, host);
        final List<HostCheckResult> results = new HostCheck(HostFiles.system(), host, needs).run();
        final Map<String, Object> report = report(profile, host, needs, results);
        spec.commandLine().getOut().print(json ? Json.render(report) : table(report, results));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /**
     * @return what the profile asks of this host: the threads it pins and spins, and the CPUs it names, or those its
     *     plan picks here (topped up with suggestions where the plan found too few).
     */
    static ProfileNeeds needs(final EngineConfiguration context, final HostCpus host)
    {
        final int groups = context.threadLayout().threadCount();
        final int pinned = (context.threadCpus().pins() ? groups : 0) + (context.publisherCpu().pins() ? 1 : 0);
        final int busy = context.waitStrategy().burnsCore() ? groups : 0;
        final LayoutPlan plan = LayoutPlanner.plan(context, host);
        CpuSet wanted = CpuSet.EMPTY;
        for (final ThreadPlan thread : plan.threads())
        {
            wanted = wanted.or(ThreadPinner.NO_CPU == thread.cpu() ? CpuSet.EMPTY : CpuSet.of(thread.cpu()));
        }
        wanted = wanted.or(ThreadPinner.NO_CPU == plan.publisherCpu() ? CpuSet.EMPTY : CpuSet.of(plan.publisherCpu()));
        final int[] spare = host.usable().minus(wanted).minus(CpuSet.of(0)).toArray();
        for (int i = spare.length - 1; i >= 0 && wanted.size() < pinned; i--)
        {
            wanted = wanted.or(CpuSet.of(spare[i]));
        }
        return new ProfileNeeds(context.profile(), pinned, busy, wanted);
    }

    private static Map<String, Object> report(final String profile, final HostCpus host, final ProfileNeeds needs,
        final List<HostCheckResult> results)
    {
        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("profile", profile);
        report.put("host", host.summary());
        report.put("wanted_cpus", needs.wantedCpus().toString());
        final List<Map<String, Object>> checks = new ArrayList<>();
        final Map<String, Integer> counts = new TreeMap<>();
        for (final HostCheckResult result : results)
        {
            final Map<String, Object> check = new LinkedHashMap<>();
            check.put("name", result.name());
            check.put("verdict", result.verdict().label());
            check.put("finding", result.finding());
            check.put("fix", result.fix());
            check.put("facts", result.facts());
            checks.add(check);
            counts.merge(result.verdict().label(), 1, Integer::sum);
        }
        report.put("checks", checks);
        report.put("verdicts", counts);
        return report;
    }

    private static String table(final Map<String, Object> report, final List<HostCheckResult> results)
    {
        final StringBuilder text = new StringBuilder();
        text.append(String.format("host check for profile %s on %s (wants CPUs %s)%n%n", report.get("profile"),
            report.get("host"), report.get("wanted_cpus").toString().isEmpty() ? "none" : report.get("wanted_cpus")));
        for (final HostCheckResult result : results)
        {
            text.append(String.format("%-7s %-24s %s%n", result.verdict().label(), result.name(), result.finding()));
            if (!result.fix().isEmpty())
            {
                text.append(String.format("%-7s %-24s fix: %s%n", "", "", result.fix()));
            }
        }
        text.append(String.format("%nverdicts: %s%n", report.get("verdicts")));
        return text.toString();
    }
}
