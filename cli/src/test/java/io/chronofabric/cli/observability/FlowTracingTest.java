package io.chronofabric.cli.observability;

import io.chronofabric.engine.internal.Engine;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.api.MessageHandler;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.api.Stage;
import io.chronofabric.engine.api.Subscription;
import io.chronofabric.engine.internal.event.Subscriber;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.cli.observability.MetricsTestSupport.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.chronofabric.engine.internal.observability.Anomaly;
import io.chronofabric.engine.internal.observability.AnomalyMonitor;
import io.chronofabric.cli.analysis.MetricsText;
import io.chronofabric.cli.analysis.TraceAnomalies;
import io.chronofabric.cli.analysis.TraceReport;
import io.chronofabric.engine.internal.observability.AnomalyKind;
import io.chronofabric.engine.internal.observability.EngineMetrics;
import io.chronofabric.engine.internal.observability.TracedHandler;

/**
 * Message flow tracing: a subscriber that stalls on one message is reported live as that message stuck in delivery
 * (log, metric), and found again after the fact in the journal's trace; dead letters are reported as the end of a
 * flow; with tracing off the pipeline runs the application's handlers unwrapped.
 */
class FlowTracingTest
{
    private static final int COUNT = 50;
    private static final int STALLED_INDEX = 20;

    @TempDir
    Path dir;

    @Test
    void shouldReportAStalledSubscribersMessageAsStuckInDeliveryWhileItStallsAndFromTheTraceAfterwards()
        throws Exception
    {
        final CountDownLatch reported = new CountDownLatch(1);
        final long[] stalledId = new long[1];
        final Anomaly live;
        try (CapturedLog log = new CapturedLog(AnomalyMonitor.class);
             Engine engine = Engine.start(MetricsTestSupport.context(dir).tracingEnabled(true)
                 .tracingStuckMillis(100).tracingSlowHopMicros(50_000)))
        {
            final long[] seen = new long[1];
            engine.subscribe(TYPE, message ->
            {
                if (STALLED_INDEX == seen[0]++)
                {
                    stalledId[0] = message.id();
                    // stalls until the watchdog has reported it (at most 2 s): the report comes while it is stuck
                    reported.await(2, TimeUnit.SECONDS);
                    Thread.sleep(300);
                }
            });
            MetricsTestSupport.publish(engine.newPublisher(1), COUNT);
            MetricsTestSupport.awaitTrue(() -> stuck(engine).size() > 0, 5_000, () -> "no stuck message reported");
            reported.countDown();
            live = stuck(engine).get(0);
            assertTrue(engine.counters().delivered().get() < COUNT, "reported while the message was still stuck");
            MetricsTestSupport.awaitDelivered(engine, COUNT);
            MetricsTestSupport.awaitTrue(() -> engine.monitor().anomalies().total(AnomalyKind.SLOW_HOP, Stage.DELIVERY)
                > 0, 5_000, () -> "the stalled handler is also a slow hop");
            assertTrue(log.at(Level.WARN).stream().anyMatch(line -> line.contains("stuck in delivery: message " +
                stalledId[0])), () -> "logged: " + log.at(Level.WARN));
            try (EngineMetrics metrics = EngineMetrics.unserved(engine, engine.monitor()))
            {
                assertEquals(1, MetricsText.parse(metrics.scrapeText()).value("chronofabric_anomalies_total", "kind",
                    "stuck", "stage", "delivery").orElseThrow());
            }
        }
        assertEquals(AnomalyKind.STUCK, live.kind());
        assertEquals(Stage.DELIVERY, live.stage());
        assertEquals(stalledId[0], live.messageId(), "the stuck message's id");
        assertTrue(live.durationNanos() > TimeUnit.MILLISECONDS.toNanos(100), live::describe);

        final TraceReport report = TraceAnomalies.analyze(dir, TimeUnit.MILLISECONDS.toNanos(250),
            TimeUnit.MILLISECONDS.toNanos(50), 10);
        assertEquals(COUNT, report.messages());
        assertEquals(1, report.total(AnomalyKind.STUCK), report::toString);
        final Anomaly found = report.worst().get(0);
        assertEquals(AnomalyKind.STUCK, found.kind());
        assertEquals(Stage.DELIVERY, found.stage(), "stuck in the stage where its time went");
        assertEquals(stalledId[0], found.messageId());
        assertTrue(found.durationNanos() >= TimeUnit.MILLISECONDS.toNanos(300), found::describe);
    }

    private static List<Anomaly> stuck(final Engine engine)
    {
        return engine.monitor().anomalies().recent().stream()
            .filter(a -> AnomalyKind.STUCK == a.kind() && Stage.DELIVERY == a.stage()).toList();
    }

    @Test
    void shouldReportDeadLettersAsTheEndOfAFlowLiveAndFromTheJournal()
    {
        try (Engine engine = Engine.start(MetricsTestSupport.context(dir).tracingEnabled(true)))
        {
            engine.subscribe(TYPE, message ->
            {
                throw new IllegalStateException("always fails");
            }, RetryPolicy.attempts(1));
            MetricsTestSupport.publish(engine.newPublisher(1), 3);
            MetricsTestSupport.awaitTrue(() -> engine.monitor().anomalies().recent().stream()
                .filter(a -> AnomalyKind.DEAD_LETTER == a.kind()).count() == 3, 5_000,
                () -> "dead letters reported: " + engine.monitor().anomalies().recent());
            final Anomaly first = engine.monitor().anomalies().recent().stream()
                .filter(a -> AnomalyKind.DEAD_LETTER == a.kind()).findFirst().orElseThrow();
            assertEquals(Stage.DELIVERY, first.stage(), "dead-lettered for one subscriber");
            assertEquals("retries_exhausted", first.detail());
            assertEquals(1, first.messageId());
        }
        final TraceReport report = TraceAnomalies.analyze(dir, Long.MAX_VALUE, Long.MAX_VALUE, 10);
        assertEquals(3, report.deadLetters());
        assertEquals(3L, report.counts().get(AnomalyKind.DEAD_LETTER).get(Stage.DELIVERY));
    }

    @Test
    void shouldRunTheApplicationsHandlerUnwrappedWithTracingOff()
    {
        final MessageHandler handler = message -> { };
        try (Engine engine = Engine.start(MetricsTestSupport.context(dir)))
        {
            final Subscription subscription = engine.subscribe(TYPE, handler);
            assertSame(handler, ((Subscriber)subscription).handler(), "the delivery path is the untraced one");
            assertNull(engine.monitor().anomalies(), "no tracer, no watchdog");
        }
        try (Engine engine = Engine.start(MetricsTestSupport.context(dir).tracingEnabled(true)))
        {
            final Subscription subscription = engine.subscribe(TYPE, handler);
            assertTrue(((Subscriber)subscription).handler() instanceof TracedHandler);
        }
    }
}
