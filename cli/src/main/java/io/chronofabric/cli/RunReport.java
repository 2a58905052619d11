package io.chronofabric.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.chronofabric.affinity.ThreadPinner;
import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.EngineContext;
import io.chronofabric.engine.EngineStats;
import io.chronofabric.engine.LatencySummary;

import io.chronofabric.engine.pipeline.StageGroup;

/**
 * The summary of a {@code run}: the same facts as a table for people and as one JSON object for scripts.
 */
final class RunReport
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, Object> summary = new LinkedHashMap<>();

    RunReport(final EngineStats stats, final double offeredRate, final long runNanos, final Path journalDir,
        final long journalBytes, final int rollFiles, final long journalRecords, final String previousJournal,
        final long subscriberChecksum, final Map<String, Object> threads, final EngineContext context)
    {
        summary.put("profile", stats.profile());
        summary.put("offered_rate_msgs_per_sec", offeredRate > 0 ? offeredRate : "max");
        summary.put("published", stats.published());
        summary.put("delivered", stats.delivered());
        summary.put("dropped", stats.dropped());
        summary.put("rejected", stats.rejected());
        summary.put("backpressure_events", stats.backpressureEvents());
        summary.put("handler_failures", stats.handlerFailures());
        summary.put("hlc_order_violations", stats.orderViolations());
        summary.put("duration_sec", runNanos / 1e9);
        summary.put("throughput_msgs_per_sec", Math.round(stats.delivered() / (runNanos / 1e9)));
        summary.put("latency_ns", latency(stats.endToEnd()));
        final Map<String, Object> stages = new LinkedHashMap<>();
        stats.stages().forEach((stage, latency) -> stages.put(stage.label(), latency(latency)));
        summary.put("stage_latency_ns", stages);
        final Map<String, Object> journal = new LinkedHashMap<>();
        journal.put("path", journalDir.toAbsolutePath().toString());
        journal.put("messages", journalRecords);
        journal.put("size_bytes", journalBytes);
        journal.put("roll_files", rollFiles);
        journal.put("roll_cycle", context.rollCycle());
        if (null != previousJournal)
        {
            journal.put("previous_run_kept_at", previousJournal);
        }
        summary.put("journal", journal);
        summary.put("ring_size", context.ringSize());
        summary.put("wait_strategy", context.waitStrategy().label());
        summary.put("thread_layout", context.threadLayout().toString());
        summary.put("threads", threads.get("threads"));
        summary.put("subscriber_checksum", Long.toHexString(subscriberChecksum));
    }

    static Map<String, Object> threads(final ChronoFabric engine)
    {
        final List<Map<String, Object>> threads = new ArrayList<>();
        for (final StageGroup group : engine.threads())
        {
            final Map<String, Object> thread = new LinkedHashMap<>();
            thread.put("name", group.threadName());
            thread.put("cpu", ThreadPinner.NO_CPU == group.pinnedCpu() ? null : group.pinnedCpu());
            thread.put("wait_strategy", engine.context().waitStrategy().label());
            threads.add(thread);
        }
        return Map.of("threads", threads);
    }

    private static Map<String, Object> latency(final LatencySummary latency)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("p50", latency.p50());
        map.put("p90", latency.p90());
        map.put("p99", latency.p99());
        map.put("p999", latency.p999());
        map.put("p9999", latency.p9999());
        map.put("max", latency.max());
        map.put("mean", Math.round(latency.mean()));
        return map;
    }

    String toJson()
    {
        try
        {
            return JSON.writeValueAsString(summary);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot render the run summary as JSON", ex);
        }
    }

    @SuppressWarnings("unchecked")
    String toTable()
    {
        final StringBuilder table = new StringBuilder("ChronoFabric run summary\n");
        row(table, "profile", summary.get("profile"));
        row(table, "offered rate (msg/s)", summary.get("offered_rate_msgs_per_sec"));
        for (final String key : List.of("published", "delivered", "dropped", "rejected", "backpressure_events",
            "handler_failures", "hlc_order_violations"))
        {
            row(table, key.replace('_', ' '), String.format("%,d", (Long)summary.get(key)));
        }
        row(table, "throughput (msg/s)", String.format("%,d", (Long)summary.get("throughput_msgs_per_sec")));
        table.append(String.format("%-26s %10s %10s %10s %10s %10s%n", "latency (us)", "p50", "p99", "p99.9",
            "p99.99", "max"));
        latencyRow(table, "publish -> deliver", (Map<String, Object>)summary.get("latency_ns"));
        ((Map<String, Object>)summary.get("stage_latency_ns")).forEach(
            (stage, latency) -> latencyRow(table, "  stage " + stage, (Map<String, Object>)latency));
        final Map<String, Object> journal = (Map<String, Object>)summary.get("journal");
        row(table, "journal", journal.get("path"));
        row(table, "journal messages", String.format("%,d", (Long)journal.get("messages")));
        row(table, "journal size", String.format("%,.1f MiB in %d roll file(s)",
            (Long)journal.get("size_bytes") / 1048576.0, (Integer)journal.get("roll_files")));
        if (journal.containsKey("previous_run_kept_at"))
        {
            row(table, "previous journal kept at", journal.get("previous_run_kept_at"));
        }
        for (final Map<String, Object> thread : (List<Map<String, Object>>)summary.get("threads"))
        {
            row(table, "thread " + thread.get("name"), "cpu " + (null == thread.get("cpu") ? "none" : thread.get("cpu")) +
                ", " + thread.get("wait_strategy"));
        }
        return table.toString();
    }

    private static void row(final StringBuilder table, final String name, final Object value)
    {
        table.append(String.format("%-26s %s%n", name, value));
    }

    private static void latencyRow(final StringBuilder table, final String name, final Map<String, Object> ns)
    {
        table.append(String.format("%-26s %10.2f %10.2f %10.2f %10.2f %10.2f%n", name, micros(ns.get("p50")),
            micros(ns.get("p99")), micros(ns.get("p999")), micros(ns.get("p9999")), micros(ns.get("max"))));
    }

    private static double micros(final Object nanos)
    {
        return ((Number)nanos).longValue() / 1000.0;
    }

}
