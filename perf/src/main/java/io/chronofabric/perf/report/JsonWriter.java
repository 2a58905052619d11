package io.chronofabric.perf.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.internal.layout.LayoutPlan;
import io.chronofabric.engine.internal.layout.ThreadPlan;
import io.chronofabric.perf.model.BaselineRatio;
import io.chronofabric.perf.model.Check;
import io.chronofabric.perf.model.LatencyStats;
import io.chronofabric.perf.model.Mode;
import io.chronofabric.perf.model.ModeSummary;
import io.chronofabric.perf.model.PerfPlan;
import io.chronofabric.perf.model.PerfReport;
import io.chronofabric.perf.model.RateSweep;
import io.chronofabric.perf.model.Rss;
import io.chronofabric.perf.spi.SystemKind;
import io.chronofabric.perf.model.ThreadStat;

/**
 * The report as one JSON object (Jackson): machine, settings, per system its modes (throughput, latency
 * percentiles in ns, allocation, resources), its sweep, ChronoFabric's ratios to each baseline, the checks and the
 * files written. Unknown numbers are null.
 */
public final class JsonWriter
{
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonWriter()
    {
    }

    /**
     * @param report the run.
     * @param files  the files written, name to path.
     * @return the JSON text.
     */
    public static String write(final PerfReport report, final Map<String, String> files)
    {
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("started_at", report.startedAt().toString());
        root.put("duration_sec", report.seconds());
        root.put("machine", machine(report));
        root.put("settings", settings(report.plan()));
        root.put("warnings", report.warnings());
        root.put("rss_at_start_kb", report.rssAtStart().totalKb());
        final List<Object> systems = new ArrayList<>();
        report.summaries().forEach((kind, modes) -> systems.add(system(report, kind, modes)));
        root.put("systems", systems);
        final Map<String, Object> ratios = new LinkedHashMap<>();
        for (final BaselineRatio ratio : report.ratios().values())
        {
            final Map<String, Object> values = new LinkedHashMap<>();
            values.put("throughput", number(ratio.throughput()));
            values.put("latency_p50", number(ratio.latencyP50()));
            values.put("latency_p99", number(ratio.latencyP99()));
            values.put("sustainable_rate", number(ratio.sustainableRate()));
            ratios.put(ratio.baseline().label(), values);
        }
        root.put("chronofabric_ratios", ratios);
        final Map<String, Object> paired = new LinkedHashMap<>();
        report.pairedRatios().forEach((system, ratio) -> paired.put(system.label(), pairedRatio(ratio)));
        root.put("paired_ratios", paired);
        if (null != report.leanRatio())
        {
            root.put("chronofabric_lean_ratio", pairedRatio(report.leanRatio()));
        }
        final List<Object> checks = new ArrayList<>();
        for (final Check check : report.checks())
        {
            final Map<String, Object> values = new LinkedHashMap<>();
            values.put("name", check.name());
            values.put("description", check.description());
            values.put("value", number(check.value()));
            values.put("threshold", check.threshold());
            values.put("unit", check.unit());
            values.put("met", check.met());
            checks.add(values);
        }
        root.put("checks", checks);
        root.put("files", files);
        try
        {
            return MAPPER.writeValueAsString(root);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot write the report as JSON", ex);
        }
    }

    private static Map<String, Object> machine(final PerfReport report)
    {
        final Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpus", report.machine().cpus());
        machine.put("cpu_model", report.machine().cpuModel());
        machine.put("memory_kb", report.machine().memoryKb());
        machine.put("jdk", report.machine().jdk());
        machine.put("os", report.machine().os());
        machine.put("load_average_start", report.machine().loadAverage());
        machine.put("load_average_end", report.loadAtEnd());
        return machine;
    }

    private static Map<String, Object> settings(final PerfPlan plan)
    {
        final Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("quick", plan.quick());
        settings.put("profile", plan.spec().profile());
        settings.put("overrides", plan.spec().overrides());
        settings.put("engine", engineSettings(plan));
        settings.put("payload_bytes", plan.spec().payloadBytes());
        settings.put("journal_document_bytes", plan.spec().documentBytes());
        settings.put("rounds", plan.rounds());
        settings.put("warmup_messages", plan.warmupMessages());
        settings.put("throughput_messages_per_trial", plan.throughputMessages());
        settings.put("latency_offered_rate", plan.latencyRate());
        settings.put("latency_messages_per_trial", plan.latencyMessages());
        settings.put("sample_interval_ms", plan.sampleIntervalNanos() / 1e6);
        if (null != plan.sweep())
        {
            final Map<String, Object> sweep = new LinkedHashMap<>();
            sweep.put("start_rate", plan.sweep().startRate());
            sweep.put("growth", plan.sweep().growth());
            sweep.put("refine_steps", plan.sweep().refineSteps());
            sweep.put("step_seconds", plan.sweep().stepSeconds());
            sweep.put("p99_bound_ns", plan.sweep().p99BoundNanos());
            settings.put("sweep", sweep);
        }
        return settings;
    }

    private static Map<String, Object> engineSettings(final PerfPlan plan)
    {
        final EngineConfiguration context = plan.spec().configuration();
        final LayoutPlan layout = plan.spec().layoutPlan();
        final Map<String, Object> engine = new LinkedHashMap<>();
        engine.put("ring_size", context.ringSize());
        engine.put("wait_strategy", layout.waitStrategy().label());
        engine.put("thread_layout", layout.layout().toString());
        engine.put("pipeline_threads", layout.threads().size());
        engine.put("pipeline_cpus", layout.threads().stream().map(ThreadPlan::cpu).toArray());
        engine.put("publisher_cpu", layout.publisherCpu());
        engine.put("layout_fallback", layout.fellBack() ? layout.warning() : null);
        engine.put("durability", context.durability().label());
        engine.put("roll_cycle", context.rollCycle());
        return engine;
    }

    /**
     * @param plan the run's plan.
     * @return one line saying what every system shares: ring, wait strategy, layout, threads, durability.
     */
    static String engineLine(final PerfPlan plan)
    {
        final EngineConfiguration context = plan.spec().configuration();
        final LayoutPlan layout = plan.spec().layoutPlan();
        return "ring " + context.ringSize() + ", wait " + layout.waitStrategy().label() + ", layout " + layout.layout() +
            " (" + layout.threads().size() + " pipeline thread" + (1 == layout.threads().size() ? "" : "s") +
            "), durability " + context.durability().label() + (layout.fellBack() ? "; " + layout.warning() : "");
    }

    private static Map<String, Object> system(final PerfReport report, final SystemKind kind,
        final Map<Mode, ModeSummary> modes)
    {
        final Map<String, Object> system = new LinkedHashMap<>();
        system.put("system", kind.label());
        system.put("description", kind.description());
        modes.forEach((mode, summary) -> system.put(mode.label(), mode(summary)));
        final RateSweep.Result sweep = report.sweep().get(kind);
        if (null != sweep)
        {
            final Map<String, Object> values = new LinkedHashMap<>();
            values.put("highest_sustainable_rate", sweep.highestSustainable());
            values.put("lowest_failing_rate", 0 == sweep.lowestFailing() ? null : sweep.lowestFailing());
            values.put("cap", sweep.cap());
            final List<Object> steps = new ArrayList<>();
            for (final RateSweep.StepResult step : sweep.steps())
            {
                final Map<String, Object> stepValues = new LinkedHashMap<>();
                stepValues.put("offered_rate", step.rate());
                stepValues.put("p99_ns", step.p99());
                stepValues.put("within_bound", step.within());
                steps.add(stepValues);
            }
            values.put("steps", steps);
            system.put("sweep", values);
        }
        final BaselineRatio ratio = report.ratios().get(kind);
        if (null != ratio)
        {
            final Map<String, Object> values = new LinkedHashMap<>();
            values.put("throughput", number(ratio.throughput()));
            values.put("latency_p50", number(ratio.latencyP50()));
            values.put("latency_p99", number(ratio.latencyP99()));
            values.put("sustainable_rate", number(ratio.sustainableRate()));
            system.put("chronofabric_ratio", values);
        }
        return system;
    }

    private static Map<String, Object> mode(final ModeSummary summary)
    {
        final Map<String, Object> mode = new LinkedHashMap<>();
        mode.put("rounds", summary.trials().size());
        mode.put("messages_per_trial", summary.messagesPerTrial());
        mode.put("offered_rate", 0 == summary.offeredRate() ? "max" : summary.offeredRate());
        mode.put("throughput_msgs_per_sec", summary.throughput());
        mode.put("throughput_per_round", summary.throughputs());
        mode.put("latency_ns", latency(summary.latency()));
        if (null != summary.startup())
        {
            // latency mode: the first second of each trial (fresh system and journal) apart from the rest
            mode.put("startup_window_sec", PerfPlan.STARTUP_NANOS / 1e9);
            mode.put("latency_startup_ns", latency(summary.startup()));
            mode.put("latency_steady_ns", latency(summary.steady()));
        }
        mode.put("allocation_bytes_per_msg", number(summary.allocationPerMessage()));
        mode.put("rss_idle_kb", rss(summary.rssIdle()));
        mode.put("rss_peak_kb", rss(summary.rssPeak()));
        final List<Object> threads = new ArrayList<>();
        for (final ThreadStat thread : summary.threads())
        {
            final Map<String, Object> values = new LinkedHashMap<>();
            values.put("name", thread.name());
            values.put("cpu_ms", thread.cpuNanos() < 0 ? null : thread.cpuNanos() / 1e6);
            values.put("cpu_utilisation", thread.utilisation() < 0 ? null : thread.utilisation());
            values.put("allocated_bytes", thread.allocatedBytes() < 0 ? null : thread.allocatedBytes());
            threads.add(values);
        }
        mode.put("threads_last_round", threads);
        if (null != summary.engine())
        {
            mode.put("engine_reported_ns", summary.engine());
        }
        return mode;
    }

    private static Map<String, Object> latency(final LatencyStats latency)
    {
        final Map<String, Object> values = new LinkedHashMap<>();
        values.put("count", latency.count());
        values.put("mean", latency.mean());
        values.put("p50", latency.p50());
        values.put("p90", latency.p90());
        values.put("p99", latency.p99());
        values.put("p99_9", latency.p999());
        values.put("p99_99", latency.p9999());
        values.put("max", latency.max());
        return values;
    }

    private static Map<String, Object> rss(final Rss rss)
    {
        final Map<String, Object> values = new LinkedHashMap<>();
        values.put("total", rss.totalKb() < 0 ? null : rss.totalKb());
        values.put("anon", rss.anonKb() < 0 ? null : rss.anonKb());
        values.put("file", rss.fileKb() < 0 ? null : rss.fileKb());
        return values;
    }

    private static Double number(final double value)
    {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : value;
    }

    private static Map<String, Object> pairedRatio(final BaselineRatio ratio)
    {
        final Map<String, Object> values = new LinkedHashMap<>();
        values.put("baseline", ratio.baseline().label());
        values.put("throughput", number(ratio.throughput()));
        values.put("latency_p50", number(ratio.latencyP50()));
        values.put("latency_p99", number(ratio.latencyP99()));
        values.put("sustainable_rate", number(ratio.sustainableRate()));
        return values;
    }
}
