package io.chronofabric.engine.config;

import java.util.Optional;

/**
 * Reads a context's current value of a setting back in the form profiles write it, for
 * {@code chronofabric profiles show} and for reports.
 */
final class SettingValues
{
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private SettingValues()
    {
    }

    /**
     * @param context the settings.
     * @param key     a key of {@link EngineSettings#keys()}.
     * @return its value as text, or empty for a key this class does not know how to read back.
     */
    static Optional<String> of(final EngineContext context, final String key)
    {
        final PerformanceTargets targets = context.targets();
        switch (key)
        {
            case "ring.size":
                return text(context.ringSize());
            case "payload.capacity":
                return text(context.payloadCapacity());
            case "wait.strategy":
                return text(context.waitStrategy().label());
            case "thread.layout":
                return text(context.threadLayout());
            case "journal.dir":
                return text(context.journalDir());
            case "journal.roll-cycle":
                return text(context.rollCycle());
            case "hold.capacity":
                return text(context.holdCapacity());
            case "dependents.queue-limit":
                return text(context.dependentQueueLimit());
            case "hold.timeout-ms":
                return text(context.holdTimeoutNanos() / NANOS_PER_MILLI);
            case "hold.overflow":
                return text(context.holdOverflow().label());
            case "deadline.policy":
                return text(context.deadlinePolicy().label());
            case "sequencer.window":
                return text(context.sequencerWindow());
            case "dependencies.window":
                return text(context.dependencyWindow());
            case "journal.durability":
                return text(context.durability().label());
            case "journal.min-free-bytes":
                return text(context.journalMinFreeBytes());
            case "journal.retention.max-age-ms":
                return text(context.retentionMaxAgeMillis());
            case "journal.retention.max-bytes":
                return text(context.retentionMaxBytes());
            case "dependencies.max":
                return text(context.maxDependencies());
            case "types.max":
                return text(context.maxMessageTypes());
            case "hlc.max-offset-ms":
                return text(context.hlcMaxOffsetNanos() / NANOS_PER_MILLI);
            case "hlc.max-logical":
                return text(context.hlcMaxLogical());
            case "threads.cpus":
                return text(context.threadCpus());
            case "threads.publisher-cpu":
                return text(context.publisherCpu());
            case "layout.fallback":
                return text(context.layoutFallbackAllowed() ? "allow" : "refuse");
            case "target.latency.mean-ns":
                return text(targets.latencyMeanNanos());
            case "target.latency.p99-ns":
                return text(targets.latencyP99Nanos());
            case "target.throughput.msgs-per-sec":
                return text(targets.throughputMsgsPerSec());
            case "target.drop-rate":
                return text(number(targets.dropRate()));
            case "target.cpu.percent":
                return text(number(targets.cpuPercent()));
            case "target.rss.mb":
                return text(targets.rssMb());
            case "target.temporal-coherence":
                return text(number(targets.temporalCoherence()));
            case "metrics.port":
                return text(context.metricsPort());
            case "metrics.host":
                return text(context.metricsHost());
            case "monitor.interval-ms":
                return text(context.monitorIntervalMillis());
            case "tracing.enabled":
                return text(context.tracingEnabled());
            case "tracing.stuck-ms":
                return text(context.tracingStuckMillis());
            case "tracing.slow-hop-us":
                return text(context.tracingSlowHopMicros());
            default:
                return Optional.empty();
        }
    }

    private static Optional<String> text(final Object value)
    {
        return Optional.of(String.valueOf(value));
    }

    /** Whole numbers without ".0", so that {@code target.cpu.percent=200} reads back as written. */
    private static String number(final double value)
    {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long)value) : String.valueOf(value);
    }
}
