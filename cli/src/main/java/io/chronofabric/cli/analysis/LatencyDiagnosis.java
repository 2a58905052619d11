package io.chronofabric.cli.analysis;

import java.util.List;
import java.util.Map;

import static io.chronofabric.cli.analysis.Diagnostics.duration;

/**
 * Latency findings: busy-waiting threads against the CPUs, ring occupancy, the slowest stage, the tail against its
 * target.
 */
final class LatencyDiagnosis
{
    private static final String AREA = "latency";

    private LatencyDiagnosis()
    {
    }

    static void analyze(final HealthSnapshot snapshot, final List<Finding> findings)
    {
        final HealthSnapshot.Engine engine = snapshot.engine();
        final HealthSnapshot.Latency latency = snapshot.latency();
        final int busy = engine.busyWaitingThreads();
        final int cpus = engine.cpus();
        if (busy > 0 && busy + 2 > cpus)
        {
            findings.add(new Finding(Severity.CRITICAL, AREA, "wait_strategy_vs_cores", busy + " busy-waiting " +
                "pipeline thread(s) (" + engine.waitStrategy() + ") on " + cpus + " CPU(s): they need a core each, " +
                "plus one for the publisher and one for the OS and the JVM", "set wait.strategy=sleeping (profiles " +
                "dev, balanced) or run on a host with at least " + (busy + 2) + " CPUs; `scripts/chronofabric " +
                "host-check --profile " + engine.profile() + "` says what the host lacks"));
        }
        else
        {
            findings.add(new Finding(Severity.OK, AREA, "wait_strategy_vs_cores", engine.pipelineThreads() +
                " pipeline thread(s), " + engine.waitStrategy() + ", " + busy + " busy-waiting, on " + cpus +
                " CPU(s)", "none needed"));
        }
        ring(latency, findings);
        slowestStage(latency, findings);
        final boolean tailOver = latency.endToEndP99() > latency.targetP99();
        findings.add(new Finding(tailOver ? Severity.WARN : Severity.OK, AREA, "end_to_end_p99",
            "publish-to-deliver p99 " + duration(latency.endToEndP99()) + " (target " + duration(latency.targetP99()) +
            ")", tailOver ? "relieve the slowest stage, lower the offered rate, or raise target.latency.p99-ns if " +
            "the target is wrong for this host" : "none needed"));
    }

    private static void ring(final HealthSnapshot.Latency latency, final List<Finding> findings)
    {
        final double used = latency.ringCapacity() > 0 ? (double)latency.ringUsedMax() / latency.ringCapacity() : 0;
        final String summary = String.format("ring peak occupancy %.0f%% (%d of %d slots); publishers found it full " +
            "%d time(s)", used * 100, latency.ringUsedMax(), latency.ringCapacity(), latency.backpressureEvents());
        final Severity severity = used >= 0.9 || latency.backpressureEvents() > 0 ? Severity.WARN :
            used >= 0.5 ? Severity.INFO : Severity.OK;
        findings.add(new Finding(severity, AREA, "ring_occupancy", summary, Severity.OK == severity ? "none needed" :
            "raise ring.size (e.g. to " + Math.max(16, 2 * latency.ringCapacity()) + ") to absorb bursts, lower the " +
            "offered rate, or relieve the slowest stage: a ring that fills is backpressure, and queueing latency"));
    }

    private static void slowestStage(final HealthSnapshot.Latency latency, final List<Finding> findings)
    {
        final Map.Entry<String, Double> slowest = latency.stageP99().entrySet().stream()
            .max(Map.Entry.comparingByValue()).orElse(null);
        if (null == slowest)
        {
            return;
        }
        final StringBuilder all = new StringBuilder();
        latency.stageP99().forEach((stage, p99) -> all.append(all.length() > 0 ? ", " : "").append(stage)
            .append(' ').append(duration(p99)));
        findings.add(new Finding(slowest.getValue() > latency.targetP99() ? Severity.WARN : Severity.INFO, AREA,
            "slowest_stage", "slowest stage by p99: " + slowest.getKey() + " (" + all + ")", fix(slowest.getKey())));
    }

    private static String fix(final String stage)
    {
        switch (stage)
        {
            case "journal":
                return "its time includes waiting in the ring: journal.durability=none or async, journal.dir on a " +
                    "local NVMe disk, or the journal on a thread of its own (thread.layout=journal|sequencer+router+" +
                    "delivery, profile balanced)";
            case "sequencer":
                return "messages wait for dependencies or for the release window: lower sequencer.window, check " +
                    "chronofabric_held_messages and the publishers of missing dependencies";
            case "router":
                return "routing is one array read, so this is the hand-off to the router's thread: fuse it with the " +
                    "sequencer (thread.layout=...|sequencer+router|...)";
            default:
                return "subscriber handlers dominate: make them faster or hand heavy work to another thread; " +
                    "retries (chronofabric_delivery_retries_total) also hold delivery up";
        }
    }
}
