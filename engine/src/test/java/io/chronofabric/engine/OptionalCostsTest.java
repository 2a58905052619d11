package io.chronofabric.engine;

import java.nio.file.Files;
import java.nio.file.Path;

import io.chronofabric.engine.api.EngineStats;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.Stage;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Settings;
import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.TraceLayout;
import io.chronofabric.journal.TraceReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two optional per-message costs of the delivery stage, through the public API: per-stage latency recording
 * ({@code latency.stages.enabled}) and the latency trace ({@code latency.trace.enabled}). Both on by default; off,
 * the stage summaries are empty (count 0) and no trace is written, while the end-to-end latency, the journal and
 * recovery are as before.
 */
class OptionalCostsTest
{
    private static final int COUNT = 2_000;

    @TempDir
    Path dir;

    private EngineStats run(final EngineConfiguration.Builder settings, final int count)
    {
        final EngineStats stats;
        try (ChronoFabric engine = ChronoFabric.start(settings))
        {
            engine.subscribe(EngineTestSupport.TYPE, message -> { });
            final Publisher publisher = engine.newPublisher(1);
            final long[] data = new long[2];
            for (int i = 0; i < count; i++)
            {
                data[1] = i;
                publisher.publish(EngineTestSupport.TYPE, EngineTestSupport.SEQUENCE_WRITER, data);
            }
            engine.close();
            stats = engine.stats();
        }
        assertEquals(count, stats.delivered());
        assertEquals(count, stats.endToEnd().count(), "end-to-end latency is always recorded");
        return stats;
    }

    @Test
    void shouldRecordStageLatenciesAndWriteTheTraceByDefault()
    {
        final EngineConfiguration defaults = EngineTestSupport.context(dir).build();
        assertTrue(defaults.stageLatencyEnabled());
        assertTrue(defaults.latencyTraceEnabled());

        final EngineStats stats = run(EngineTestSupport.context(dir), COUNT);
        for (final Stage stage : Stage.values())
        {
            assertEquals(COUNT, stats.stages().get(stage).count(), stage.label());
        }
        assertTrue(TraceReader.exists(dir));
    }

    @Test
    void shouldLeaveTheStageSummariesEmptyWithStageLatencyOff()
    {
        final EngineStats stats = run(EngineTestSupport.context(dir).stageLatencyEnabled(false), COUNT);
        for (final Stage stage : Stage.values())
        {
            assertEquals(0, stats.stages().get(stage).count(), stage.label());
            assertEquals(0, stats.stages().get(stage).p99(), stage.label());
        }
        assertTrue(stats.endToEnd().p99() > 0);
        assertTrue(TraceReader.exists(dir), "the trace is the other setting's business");
    }

    @Test
    void shouldWriteNoTraceWithTheTraceOffAndStillRecoverAndResume()
    {
        final EngineConfiguration.Builder settings = EngineTestSupport.context(dir)
            .set(Settings.LATENCY_TRACE, Settings.LATENCY_TRACE.parse("false"));
        final EngineStats first = run(settings, COUNT);
        for (final Stage stage : Stage.values())
        {
            assertEquals(COUNT, first.stages().get(stage).count(), stage.label());
        }
        assertFalse(TraceReader.exists(dir));
        assertFalse(Files.exists(TraceLayout.traceDir(dir)), "no trace folder at all");
        assertEquals(COUNT, JournalFiles.countRecords(dir));

        // a restart reads the settlement log, not the trace: nothing is delivered again, ids go on
        try (ChronoFabric engine = ChronoFabric.start(settings))
        {
            assertEquals(0, engine.recoveredMessages());
            assertEquals(COUNT, engine.settledWatermark());
        }
        run(settings, COUNT);
        assertEquals(2 * COUNT, JournalFiles.countRecords(dir));
        assertFalse(TraceReader.exists(dir));
    }
}
