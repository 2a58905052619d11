package io.chronofabric.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.chronofabric.affinity.HostCpusReader;
import io.chronofabric.affinity.ThreadPinner;
import io.chronofabric.engine.internal.layout.LayoutPlan;
import io.chronofabric.engine.internal.layout.LayoutPlanner;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.config.ResolvedSettings;
import io.chronofabric.engine.api.Stage;
import io.chronofabric.engine.internal.layout.ThreadPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code chronofabric profiles show NAME}: a profile's effective settings (with {@code --set} overrides applied),
 * where each value came from (built-in default, the profile's file, or {@code --set}), and how its threads would be
 * placed on this host.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = "Print a profile's effective settings, where each value came from, and its thread placement here.")
public final class ProfileShowCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The profile, e.g. low-latency.")
    private String profile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a setting, as run takes it; repeatable.")
    private Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--json", description = "Print as one JSON object.")
    private boolean json;

    @Override
    public Integer call()
    {
        final ResolvedSettings settings = Profiles.resolve(profile, overrides);
        final LayoutPlan plan = LayoutPlanner.plan(settings.configuration(), HostCpusReader.local());
        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("profile", profile);
        report.put("description", Profiles.description(profile));
        final List<Map<String, Object>> entries = new ArrayList<>();
        for (final ResolvedSettings.Entry entry : settings.entries())
        {
            final Map<String, Object> setting = new LinkedHashMap<>();
            setting.put("key", entry.key());
            setting.put("value", entry.value());
            setting.put("source", entry.source().label());
            setting.put("allowed", entry.allowed());
            setting.put("doc", entry.doc());
            entries.add(setting);
        }
        report.put("settings", entries);
        report.put("on_this_host", placement(plan));
        spec.commandLine().getOut().print(json ? Json.render(report) : table(report, settings));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static Map<String, Object> placement(final LayoutPlan plan)
    {
        final Map<String, Object> placement = new LinkedHashMap<>();
        placement.put("host", plan.host());
        placement.put("thread_layout", plan.layout().toString());
        placement.put("wait_strategy", plan.waitStrategy().label());
        final List<Map<String, Object>> threads = new ArrayList<>();
        for (final ThreadPlan thread : plan.threads())
        {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", thread.name());
            entry.put("stages", thread.stages().stream().map(Stage::label).collect(Collectors.toList()));
            entry.put("cpu", ThreadPinner.NO_CPU == thread.cpu() ? null : thread.cpu());
            entry.put("requested_cpu", thread.requested().toString());
            entry.put("isolated", thread.isolated());
            threads.add(entry);
        }
        placement.put("threads", threads);
        placement.put("publisher_cpu", ThreadPinner.NO_CPU == plan.publisherCpu() ? null : plan.publisherCpu());
        placement.put("layout_fallback", RunReport.fallback(plan));
        return placement;
    }

    @SuppressWarnings("unchecked")
    private static String table(final Map<String, Object> report, final ResolvedSettings settings)
    {
        final StringBuilder text = new StringBuilder();
        text.append(String.format("profile %s: %s%n%n", report.get("profile"), report.get("description")));
        text.append(String.format("%-32s %-36s %s%n", "key", "value", "from"));
        for (final ResolvedSettings.Entry entry : settings.entries())
        {
            final String from = ResolvedSettings.Source.PROFILE == entry.source() ?
                "profile " + report.get("profile") + ".properties" : entry.source().label();
            text.append(String.format("%-32s %-36s %s%n", entry.key(), entry.value(), from));
        }
        final Map<String, Object> placement = (Map<String, Object>)report.get("on_this_host");
        text.append(String.format("%non this host (%s): %s, %s%n", placement.get("host"),
            placement.get("thread_layout"), placement.get("wait_strategy")));
        for (final Map<String, Object> thread : (List<Map<String, Object>>)placement.get("threads"))
        {
            text.append(String.format("  %-36s cpu %s (asked %s)%n", thread.get("name"),
                null == thread.get("cpu") ? "none" : thread.get("cpu"), thread.get("requested_cpu")));
        }
        text.append(String.format("  %-36s cpu %s%n", "publisher", null == placement.get("publisher_cpu") ? "none" :
            placement.get("publisher_cpu")));
        final Map<String, Object> fallback = (Map<String, Object>)placement.get("layout_fallback");
        if (null != fallback)
        {
            text.append(String.format("  fallback: %s%n", fallback.get("warning")));
        }
        return text.toString();
    }
}
