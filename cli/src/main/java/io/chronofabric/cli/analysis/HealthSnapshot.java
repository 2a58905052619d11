package io.chronofabric.cli.analysis;

import java.util.Map;

/**
 * What a health report is computed from: the same facts whether read from a live engine or parsed from its
 * {@code /metrics} text, so that {@link Diagnostics} can be tested with a synthetic snapshot. Times in seconds,
 * memory in bytes; -1 where a fact is unknown.
 *
 * @param engine   the engine's set-up and totals.
 * @param latency  latency facts.
 * @param memory   memory facts.
 * @param temporal temporal health facts.
 * @param journal  journal facts.
 * @param node     the node's peers and loss repair; {@link NodeHealth#NONE} when the engine is not a node.
 */
public record HealthSnapshot(Engine engine, Latency latency, Memory memory, Temporal temporal, Journal journal,
    NodeHealth node)
{
    /**
     * The facts of an engine that is not a node of a deployment.
     *
     * @param engine   the engine's set-up and totals.
     * @param latency  latency facts.
     * @param memory   memory facts.
     * @param temporal temporal health facts.
     * @param journal  journal facts.
     */
    public HealthSnapshot(final Engine engine, final Latency latency, final Memory memory, final Temporal temporal,
        final Journal journal)
    {
        this(engine, latency, memory, temporal, journal, NodeHealth.NONE);
    }

    /**
     * @param freeBytes          bytes free on the journal's file system, -1 when unknown.
     * @param minFreeBytes       {@code journal.min-free-bytes}, 0 when not checked.
     * @param secondsUntilFull   seconds until free space reaches the minimum at the current rate (+Inf, or NaN
     *                           when unknown).
     * @param retentionBlocked   true while retention keeps a cycle because it holds an unsettled message.
     * @param oldestUnsettledId  the oldest unsettled message id while blocked, else 0.
     * @param settledWatermark   the settled watermark.
     * @param retentionHeld      true while retention keeps settled cycles for a node's peer that has not journaled
     *                           them yet.
     */
    public record Journal(double freeBytes, double minFreeBytes, double secondsUntilFull, boolean retentionBlocked,
        long oldestUnsettledId, long settledWatermark, boolean retentionHeld)
    {
    }

    /**
     * @param profile            the profile name.
     * @param waitStrategy       the pipeline's wait strategy.
     * @param pipelineThreads    pipeline threads.
     * @param busyWaitingThreads pipeline threads that keep a core busy while idle.
     * @param cpus               CPUs the process may use.
     * @param published          messages published.
     * @param delivered          messages delivered.
     * @param dropped            messages dropped.
     * @param handlerFailures    handler invocations that threw.
     * @param breaches           target breaches by metric.
     */
    public record Engine(String profile, String waitStrategy, int pipelineThreads, int busyWaitingThreads, int cpus,
        long published, long delivered, long dropped, long handlerFailures, Map<String, Long> breaches)
    {
    }

    /**
     * @param ringCapacity       ring slots.
     * @param ringUsedMax        most slots seen in use at once.
     * @param backpressureEvents times a publisher found the ring full.
     * @param endToEndP99        publish-to-deliver 99th percentile.
     * @param targetP99          its target.
     * @param stageP99           each stage's 99th percentile, by stage label, in pipeline order.
     */
    public record Latency(long ringCapacity, long ringUsedMax, long backpressureEvents, double endToEndP99,
        double targetP99, Map<String, Double> stageP99)
    {
    }

    /**
     * @param heapUsed        heap in use.
     * @param heapMax         the heap's limit.
     * @param resident        resident memory now.
     * @param residentAtStart resident memory when the engine started.
     * @param targetResident  the resident memory target.
     */
    public record Memory(double heapUsed, double heapMax, double resident, double residentAtStart,
        double targetResident)
    {
    }

    /**
     * @param heldNow               messages held for dependencies now.
     * @param holdCapacity          the hold buffer's capacity.
     * @param oldestHeldAge         how long the oldest held message has waited.
     * @param holdTimeout           how long one may wait.
     * @param deadlineMisses        late deliveries.
     * @param causalityViolations   deliveries before a dependency.
     * @param deadLetters           dead letters by reason.
     * @param coherence             temporal coherence.
     * @param targetCoherence       its target.
     * @param clockOffsetRejections remote timestamps rejected as too far ahead.
     * @param clockJumps            wall clock steps detected.
     */
    public record Temporal(long heldNow, long holdCapacity, double oldestHeldAge, double holdTimeout,
        long deadlineMisses, long causalityViolations, Map<String, Long> deadLetters, double coherence,
        double targetCoherence, long clockOffsetRejections, long clockJumps)
    {
    }
}
