package io.chronofabric.cli.observability;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import io.chronofabric.engine.internal.Engine;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.Publisher;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.cli.observability.MetricsTestSupport.TYPE;
import static io.chronofabric.cli.observability.MetricsTestSupport.WRITER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.chronofabric.cli.analysis.MetricsText;
import io.chronofabric.engine.internal.observability.IntervalSample;
import io.chronofabric.engine.internal.observability.Breach;
import io.chronofabric.engine.internal.observability.EngineMetrics;
import io.chronofabric.engine.internal.observability.PerformanceMonitor;
import io.chronofabric.engine.internal.observability.TargetChecks;

/**
 * The performance monitor against real engines: a breach is logged (through Log4j2, WARN, metric, value, target,
 * hint) and counted; throughput is judged only while messages are offered.
 */
class PerformanceMonitorTest
{
    @TempDir
    Path dir;

    @Test
    void shouldLogAndCountABreachOfAnImpossibleLatencyTarget()
    {
        final EngineConfiguration context = MetricsTestSupport.context(dir).monitorIntervalMillis(50)
            .targetLatencyP99Nanos(1).build();
        final List<Breach> seen = new CopyOnWriteArrayList<>();
        try (CapturedLog log = new CapturedLog(PerformanceMonitor.class);
             Engine engine = Engine.start(context))
        {
            engine.monitor().onBreach(seen::add);
            engine.subscribe(TYPE, message -> { });
            final Publisher publisher = engine.newPublisher(1);
            final long[] data = new long[1];
            MetricsTestSupport.awaitTrue(() ->
            {
                publisher.publish(TYPE, WRITER, data);
                return !log.at(Level.WARN).isEmpty() && seen.stream().anyMatch(b -> "latency_p99".equals(b.metric()));
            }, 10_000, () -> "no breach logged: " + seen);
            final String line = log.at(Level.WARN).stream().filter(l -> l.contains("metric=latency_p99")).findFirst()
                .orElseThrow(() -> new AssertionError("no latency_p99 line in " + log.at(Level.WARN)));
            assertTrue(line.matches("WARN target breach: metric=latency_p99 value=[0-9,]+ ns target=1 ns " +
                "\\(target.latency.p99-ns\\); hint: .+"), line);
            final Breach breach = seen.stream().filter(b -> "latency_p99".equals(b.metric())).findFirst().orElseThrow();
            assertTrue(breach.value() > breach.target(), breach::toString);
            assertTrue(engine.monitor().breaches().get("latency_p99") >= 1);
            final MetricsText metrics;
            try (EngineMetrics endpoint = EngineMetrics.unserved(engine, engine.monitor()))
            {
                metrics = MetricsText.parse(endpoint.scrapeText());
            }
            assertTrue(metrics.value("chronofabric_target_breaches_total", "metric", "latency_p99").orElseThrow() >= 1);
            assertEquals(0, metrics.value("chronofabric_target_breaches_total", "metric", "drop_rate").orElseThrow());
        }
    }

    @Test
    void shouldCountDropsOfAnIntervalWithoutPublishesAsADropRateBreach()
    {
        // the dependents are held until the hold timeout, long after the publishing interval ended: they are
        // dropped in intervals in which nothing is published
        final EngineConfiguration context = MetricsTestSupport.context(dir).monitorIntervalMillis(50)
            .holdTimeoutNanos(TimeUnit.MILLISECONDS.toNanos(400)).targetDropRate(0).build();
        try (CapturedLog log = new CapturedLog(PerformanceMonitor.class);
             Engine engine = Engine.start(context))
        {
            engine.subscribe(TYPE, message -> { });
            final Publisher publisher = engine.newPublisher(1);
            final long first = publisher.publish(TYPE, WRITER, new long[1]);
            assertThrows(RuntimeException.class, () -> publisher.publish(TYPE, (data, payload) ->
            {
                throw new IllegalArgumentException("refused by the writer: its id is never journaled");
            }, new long[1]));
            final long[] data = new long[1];
            for (int i = 0; i < 100; i++)
            {
                publisher.dependsOn(first + 1).publish(TYPE, WRITER, data);
            }
            MetricsTestSupport.awaitTrue(() -> engine.counters().dropped().get() == 100, 10_000,
                () -> "dropped " + engine.counters().dropped().get());
            MetricsTestSupport.awaitTrue(() -> engine.monitor().breaches().get("drop_rate") > 0 &&
                log.at(Level.WARN).stream().anyMatch(l -> l.contains("metric=drop_rate value=1 ")), 5_000,
                () -> "100 of 101 messages dropped, no drop_rate breach: " + engine.monitor().breaches() + " " +
                    log.at(Level.WARN));
        }
    }

    @Test
    void shouldJudgeThroughputOnlyWhileMessagesAreOffered() throws InterruptedException
    {
        final EngineConfiguration context = MetricsTestSupport.context(dir).monitorIntervalMillis(20).ringSize(16)
            .targetThroughputMsgsPerSec(1_000_000_000L).build();
        try (Engine engine = Engine.start(context))
        {
            engine.subscribe(TYPE, message -> LockSupport.parkNanos(20_000));
            MetricsTestSupport.awaitTrue(() -> engine.monitor().lastInterval() != null, 5_000, () -> "no interval");
            sleep(300);
            assertEquals(0L, engine.monitor().breaches().get("throughput"), "an idle engine is not too slow");

            final Publisher publisher = engine.newPublisher(1);
            final AtomicBoolean offering = new AtomicBoolean(true);
            final Thread load = new Thread(() ->
            {
                final long[] data = new long[1];
                while (offering.get())
                {
                    publisher.publish(TYPE, WRITER, data);
                }
            }, "test-load");
            load.start();
            try
            {
                MetricsTestSupport.awaitTrue(() -> engine.monitor().breaches().get("throughput") > 0, 10_000,
                    () -> "a saturated engine below its throughput target: " + engine.monitor().breaches());
            }
            finally
            {
                offering.set(false);
                load.join(10_000);
            }
            assertTrue(publisher.backpressureEvents() > 0, "the ring was full: the engine could not keep up");
        }
    }

    @Test
    void shouldReportTheRingFullAtPeakOnceAPublisherFoundItFullEvenBetweenMonitorSamples()
    {
        // an interval far longer than the test: the monitor never samples the ring, as in a run shorter than one
        final EngineConfiguration context = MetricsTestSupport.context(dir).monitorIntervalMillis(600_000).ringSize(16)
            .build();
        try (Engine engine = Engine.start(context))
        {
            engine.subscribe(TYPE, message -> LockSupport.parkNanos(200_000));
            final Publisher publisher = engine.newPublisher(1);
            MetricsTestSupport.publish(publisher, 200);
            assertTrue(publisher.backpressureEvents() > 0, "200 messages into 16 slots of a slow pipeline");
            MetricsTestSupport.awaitDelivered(engine, 200);
            assertEquals(16, engine.monitor().ringUsedMax());
            final MetricsText metrics;
            try (EngineMetrics endpoint = EngineMetrics.unserved(engine, engine.monitor()))
            {
                metrics = MetricsText.parse(endpoint.scrapeText());
            }
            assertEquals(16, metrics.value("chronofabric_ring_used_max").orElseThrow(), "a full ring's peak");
        }
    }

    @Test
    void shouldNotJudgeThroughputOfAnIntervalNotOfferedThroughoutOrOfferedBelowTheTarget()
    {
        final io.chronofabric.engine.config.PerformanceTargets targets = EngineConfiguration.builder()
            .targetThroughputMsgsPerSec(1_000).build().targets();
        final IntervalSample busy = sample(2_000, 0, 500);
        final IntervalSample idle = sample(0, 0, 0);
        final IntervalSample paced = sample(500, 0, 500);
        final IntervalSample saturated = sample(500, 10, 500);
        assertTrue(TargetChecks.judgesThroughput(busy, busy, busy, targets));
        assertEquals("throughput", TargetChecks.throughput(busy, targets).metric());
        assertTrue(!TargetChecks.judgesThroughput(idle, busy, busy, targets), "offering started inside it");
        assertTrue(!TargetChecks.judgesThroughput(busy, busy, idle, targets), "offering stopped inside it");
        assertTrue(!TargetChecks.judgesThroughput(null, busy, busy, targets), "the first interval");
        assertTrue(!TargetChecks.judgesThroughput(paced, paced, paced, targets), "offered below the target");
        assertTrue(TargetChecks.judgesThroughput(saturated, saturated, saturated, targets), "into a full ring");
        assertEquals(null, TargetChecks.throughput(sample(2_000, 0, 2_000), targets), "met");
    }

    private static IntervalSample sample(final long published, final long backpressure, final long delivered)
    {
        return new IntervalSample(1_000_000_000L, published, delivered, 0, backpressure, delivered, 1_000, 2_000, 50,
            100 << 20, 1.0);
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
