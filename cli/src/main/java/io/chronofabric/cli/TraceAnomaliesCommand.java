package io.chronofabric.cli;

import io.chronofabric.cli.common.ChronicleLogging;
import io.chronofabric.cli.common.Inputs;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.chronofabric.engine.api.Stage;
import io.chronofabric.engine.internal.observability.Anomaly;
import io.chronofabric.engine.internal.observability.AnomalyKind;
import io.chronofabric.cli.analysis.TraceAnomalies;
import io.chronofabric.cli.analysis.TraceReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code chronofabric trace-anomalies DIR}: message flow anomalies after the fact, from a journal folder's latency
 * trace and dead letters: stuck messages (one hop over {@code --stuck-ms}, with the stage), slow hops (over
 * {@code --slow-hop-us}) and dead letters. Exit code 1 when a message was stuck.
 */
@Command(name = "trace-anomalies", mixinStandardHelpOptions = true,
    description = "Find stuck messages, slow hops and dead letters in a journal folder's latency trace.")
public final class TraceAnomaliesCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The journal folder (holding trace/ and deadletters/).")
    private Path dir;

    @Option(names = "--stuck-ms", paramLabel = "N", description = "A hop longer than N ms makes the message stuck, " +
        "in [1, 3600000] (default: ${DEFAULT-VALUE}).", defaultValue = "1000")
    private long stuckMillis;

    @Option(names = "--slow-hop-us", paramLabel = "N", description = "A hop longer than N microseconds is slow, " +
        "in [1, 3600000000] (default: ${DEFAULT-VALUE}).", defaultValue = "1000")
    private long slowHopMicros;

    @Option(names = "--limit", paramLabel = "N", description = "List the N worst anomalies (default: " +
        "${DEFAULT-VALUE}).", defaultValue = "20")
    private int limit;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    private boolean json;

    @Override
    public Integer call()
    {
        // the engine's own bounds for tracing.stuck-ms and tracing.slow-hop-us: in nanoseconds they cannot overflow
        Inputs.inRange(spec, "--stuck-ms", stuckMillis, 1, 3_600_000, "milliseconds");
        Inputs.inRange(spec, "--slow-hop-us", slowHopMicros, 1, 3_600_000_000L, "microseconds");
        Inputs.inRange(spec, "--limit", limit, 0, Integer.MAX_VALUE, "anomalies");
        Inputs.tracedJournal(spec, dir);
        ChronicleLogging.quietMetadataOverrides();
        final TraceReport report = TraceAnomalies.analyze(dir, stuckMillis * 1_000_000L, slowHopMicros * 1_000L, limit);
        final PrintWriter out = spec.commandLine().getOut();
        out.print(json ? Json.render(toMap(report)) : toTable(report));
        out.flush();
        return report.total(AnomalyKind.STUCK) > 0 ? Main.EXIT_FAILURE : 0;
    }

    private Map<String, Object> toMap(final TraceReport report)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("journal", dir.toAbsolutePath().toString());
        map.put("delivered_messages", report.messages()); // trace entries: the journal may hold more (dead letters)
        map.put("dead_letters", report.deadLetters());
        map.put("stuck_ms", stuckMillis);
        map.put("slow_hop_us", slowHopMicros);
        final Map<String, Object> counts = new LinkedHashMap<>();
        report.counts().forEach((kind, stages) ->
        {
            final Map<String, Long> byStage = new LinkedHashMap<>();
            stages.forEach((stage, count) -> byStage.put(stage.label(), count));
            counts.put(kind.label(), byStage);
        });
        map.put("counts", counts);
        final List<Map<String, Object>> worst = new ArrayList<>();
        for (final Anomaly anomaly : report.worst())
        {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("kind", anomaly.kind().label());
            entry.put("stage", anomaly.stage().label());
            entry.put("message_id", anomaly.messageId());
            entry.put("subscriber_id", -1 == anomaly.subscriberId() ? null : anomaly.subscriberId());
            entry.put("duration_ns", anomaly.durationNanos());
            entry.put("detail", anomaly.detail());
            worst.add(entry);
        }
        map.put("worst", worst);
        return map;
    }

    private String toTable(final TraceReport report)
    {
        final StringBuilder table = new StringBuilder(String.format("trace anomalies in %s: %,d delivered " +
            "message(s), %,d dead letter(s); stuck > %d ms, slow hop > %d us%n", dir, report.messages(),
            report.deadLetters(), stuckMillis, slowHopMicros));
        table.append(String.format("%-12s", "kind"));
        for (final Stage stage : Stage.values())
        {
            table.append(String.format("%12s", stage.label()));
        }
        table.append(System.lineSeparator());
        report.counts().forEach((kind, stages) ->
        {
            table.append(String.format("%-12s", kind.label()));
            stages.values().forEach(count -> table.append(String.format("%,12d", count)));
            table.append(System.lineSeparator());
        });
        if (!report.worst().isEmpty())
        {
            table.append("worst:").append(System.lineSeparator());
            report.worst().forEach(anomaly -> table.append("  ").append(anomaly.describe())
                .append(System.lineSeparator()));
        }
        return table.toString();
    }
}
