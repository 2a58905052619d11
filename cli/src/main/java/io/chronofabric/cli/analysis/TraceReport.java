package io.chronofabric.cli.analysis;

import java.util.List;
import java.util.Map;

import io.chronofabric.engine.api.Stage;
import io.chronofabric.engine.internal.observability.Anomaly;
import io.chronofabric.engine.internal.observability.AnomalyKind;

/**
 * What {@link TraceAnomalies} found in a journal folder.
 *
 * @param messages     trace entries (delivered messages) read.
 * @param deadLetters  dead-letter records read.
 * @param stuckNanos   the stuck threshold used.
 * @param slowHopNanos the slow-hop threshold used.
 * @param counts       anomalies by kind, then stage (every kind and stage present, 0 when none).
 * @param worst        the worst anomalies: stuck first, then slow hops, then dead letters; longest first within a
 *                     kind; at most the limit asked for.
 */
public record TraceReport(long messages, long deadLetters, long stuckNanos, long slowHopNanos,
    Map<AnomalyKind, Map<Stage, Long>> counts, List<Anomaly> worst)
{
    /** @param kind a kind. @return anomalies of that kind, all stages. */
    public long total(final AnomalyKind kind)
    {
        return counts.get(kind).values().stream().mapToLong(Long::longValue).sum();
    }
}
