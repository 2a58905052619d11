package io.chronofabric.engine.temporal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.chronofabric.engine.api.ManualWallClock;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.engine.internal.observability.EngineMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.temporal.TemporalTestSupport.LONG_WRITER;
import static io.chronofabric.engine.temporal.TemporalTestSupport.awaitTrue;
import static io.chronofabric.engine.temporal.TemporalTestSupport.context;
import static io.chronofabric.engine.temporal.TemporalTestSupport.publish;
import static io.chronofabric.engine.temporal.TemporalTestSupport.sampleIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code chronofabric_hlc_drift_seconds}: how far the HLC's last stamp leads the wall clock now, floored at 0. With
 * the wall clock frozen, the lead is exactly what a remote timestamp ahead of it put there.
 */
class HlcDriftMetricTest
{
    private static final int TYPE = 3;
    private static final long MAX_OFFSET = TimeUnit.MILLISECONDS.toNanos(500);

    @TempDir
    Path dir;

    @Test
    void shouldReportTheLeadARemoteTimestampAheadOfTheWallClockGaveTheHlcAndShrinkItAsTheWallClockCatchesUp()
    {
        final ManualWallClock clock = new ManualWallClock(System.currentTimeMillis() * 1_000_000L);
        final EngineConfiguration context = context(dir).wallClock(clock).hlcMaxOffsetNanos(MAX_OFFSET).build();
        try (Engine engine = Engine.start(context))
        {
            final List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
            engine.subscribe(TYPE, message -> delivered.add(message.id()));
            final Publisher publisher = engine.newPublisher(1);
            publish(publisher, TYPE, 0);
            final long ahead = TimeUnit.MILLISECONDS.toNanos(200);
            final long remote = publisher.remoteTimestamp(2, clock.epochNanos() + ahead, 5)
                .publish(TYPE, LONG_WRITER, 1L);
            awaitTrue(() -> delivered.contains(remote), () -> "delivered " + delivered);

            assertEquals(0.2, drift(engine), 1e-9, "the remote wall component is 200 ms ahead of the frozen clock");
            clock.advance(TimeUnit.MILLISECONDS.toNanos(50));
            assertEquals(0.15, drift(engine), 1e-9, "the wall clock moved 50 ms closer to the last stamp");
            clock.advance(TimeUnit.SECONDS.toNanos(1));
            assertEquals(0.0, drift(engine), "a stamp behind the wall clock is no lead: floored at 0");
        }
    }

    @Test
    void shouldReportZeroWhenOnlyLocalMessagesWereStamped()
    {
        final ManualWallClock clock = new ManualWallClock(System.currentTimeMillis() * 1_000_000L);
        final EngineConfiguration context = context(dir).wallClock(clock).hlcMaxOffsetNanos(MAX_OFFSET).build();
        try (Engine engine = Engine.start(context))
        {
            final List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
            engine.subscribe(TYPE, message -> delivered.add(message.id()));
            final Publisher publisher = engine.newPublisher(1);
            long last = 0;
            for (int i = 0; i < 100; i++)
            {
                last = publish(publisher, TYPE, i);
            }
            final long lastId = last;
            awaitTrue(() -> delivered.contains(lastId), () -> "delivered " + delivered.size());

            assertEquals(0.0, drift(engine), "100 local stamps within one (frozen) tick keep the wall component at " +
                "the wall clock and count in the logical one");
        }
    }

    private static double drift(final Engine engine)
    {
        final String text = EngineMetrics.unserved(engine, engine.monitor()).scrapeText();
        assertTrue(text.contains("# HELP chronofabric_hlc_drift_seconds "), text);
        return sampleIn(text, "chronofabric_hlc_drift_seconds", "gauge");
    }
}
