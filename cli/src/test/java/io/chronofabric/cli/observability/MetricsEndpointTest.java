package io.chronofabric.cli.observability;

import io.chronofabric.engine.internal.Engine;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.api.ConfigurationException;
import io.chronofabric.engine.api.EngineStats;
import io.chronofabric.engine.api.Stage;
import io.chronofabric.journal.DeadLetterReason;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.cli.observability.MetricsTestSupport.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.chronofabric.cli.analysis.MetricsText;
import io.chronofabric.cli.analysis.ScrapedHealth;
import io.chronofabric.engine.internal.observability.EngineMetrics;

/**
 * The /metrics endpoint over real loopback HTTP: Prometheus naming, histogram buckets, values equal to the engine's
 * own stats, the profile port's lifecycle.
 */
class MetricsEndpointTest
{
    private static final int COUNT = 20_000;

    @TempDir
    Path dir;

    @Test
    void shouldServeCountersEqualToStatsWithPrometheusNamesOverLoopback() throws Exception
    {
        try (Engine engine = Engine.start(MetricsTestSupport.context(dir));
             EngineMetrics metrics = EngineMetrics.serve(engine, engine.monitor(), 0))
        {
            engine.subscribe(TYPE, message -> { });
            MetricsTestSupport.publish(engine.newPublisher(1), COUNT);
            MetricsTestSupport.awaitDelivered(engine, COUNT);
            final MetricsText text = MetricsText.parse(MetricsTestSupport.scrape(metrics.port()));
            final EngineStats stats = engine.stats();

            assertEquals(COUNT, value(text, "chronofabric_messages_published_total"));
            assertEquals(stats.delivered(), value(text, "chronofabric_messages_delivered_total"));
            assertEquals(stats.backpressureEvents(), value(text, "chronofabric_backpressure_events_total"));
            assertEquals(1, value(text, "chronofabric_active_subscriptions"));
            assertEquals(1024, value(text, "chronofabric_ring_capacity"));
            for (final Map.Entry<String, String> family : text.types().entrySet())
            {
                assertTrue(family.getKey().matches("[a-z_:][a-z0-9_:]*"), family::getKey);
                assertEquals("counter".equals(family.getValue()), family.getKey().endsWith("_total"),
                    () -> family + ": counters and only counters end in _total");
            }
            assertTrue(text.types().keySet().stream().filter(name -> name.startsWith("chronofabric_")).count() > 40);
            assertEquals(Set.of("reason"), labelNames(text, "chronofabric_dead_letters_total"));
            assertEquals(DeadLetterReason.values().length, text.samples("chronofabric_dead_letters_total").size());
            assertTrue(text.value("process_cpu_seconds_total").isPresent(), "process CPU");
            assertTrue(text.value("process_resident_memory_bytes").orElseThrow() > 0, "process RSS");
            assertTrue(text.value("jvm_memory_used_bytes", "area", "heap").isPresent(), "heap");
            assertFalse(text.samples().stream().filter(s -> s.name().startsWith("chronofabric_"))
                .anyMatch(s -> s.labels().keySet().stream().anyMatch(label -> label.contains("id"))),
                "no label may carry an id");
            assertHistogram(text, stats);
        }
    }

    private static void assertHistogram(final MetricsText text, final EngineStats stats)
    {
        final String bucket = "chronofabric_end_to_end_latency_seconds_bucket";
        for (final String bound : new String[] {"1.0E-7", "2.5E-7", "5.0E-7", "1.0E-6", "0.001", "1.0", "+Inf"})
        {
            assertTrue(text.value(bucket, "le", bound).isPresent(), "bucket le=" + bound);
        }
        assertEquals(stats.endToEnd().count(), text.value(bucket, "le", "+Inf").orElseThrow());
        assertEquals(stats.endToEnd().count(), value(text, "chronofabric_end_to_end_latency_seconds_count"));
        assertEquals(stats.endToEnd().mean() * stats.endToEnd().count() / 1e9,
            value(text, "chronofabric_end_to_end_latency_seconds_sum"), 1e-6 * stats.endToEnd().count());
        double previous = 0;
        for (final MetricsText.Sample sample : text.samples(bucket))
        {
            assertTrue(sample.value() >= previous, "cumulative buckets");
            previous = sample.value();
        }
        assertTrue(text.value(bucket, "le", "1.0").orElseThrow() > 0);
        for (final Stage stage : Stage.values())
        {
            assertEquals(stats.stages().get(stage).count(), text.value("chronofabric_stage_latency_seconds_count",
                "stage", stage.label()).orElseThrow(), stage.label());
        }
    }

    @Test
    void shouldLeaveOutTheStageFamilyWithStageLatencyOffAndKeepTheEndToEndOne() throws Exception
    {
        try (Engine engine = Engine.start(MetricsTestSupport.context(dir).stageLatencyEnabled(false));
             EngineMetrics metrics = EngineMetrics.serve(engine, engine.monitor(), 0))
        {
            engine.subscribe(TYPE, message -> { });
            MetricsTestSupport.publish(engine.newPublisher(1), COUNT);
            MetricsTestSupport.awaitDelivered(engine, COUNT);
            final MetricsText text = MetricsText.parse(MetricsTestSupport.scrape(metrics.port()));

            assertFalse(text.types().containsKey("chronofabric_stage_latency_seconds"), text.types()::toString);
            assertEquals(COUNT, value(text, "chronofabric_end_to_end_latency_seconds_count"));
            assertTrue(ScrapedHealth.of(text).latency().stageP99().isEmpty(), "diagnose copes: no stages");
        }
    }

    @Test
    void shouldServeOnTheConfiguredPortWhileRunningAndKeepTheFinalValuesAfterClose() throws Exception
    {
        final int port = freePort();
        final Engine engine = Engine.start(MetricsTestSupport.context(dir).metricsPort(port));
        engine.subscribe(TYPE, message -> { });
        MetricsTestSupport.publish(engine.newPublisher(1), COUNT);
        assertEquals(port, engine.metrics().port());
        assertTrue(MetricsTestSupport.scrape(port).contains("chronofabric_messages_published_total 20000.0"));
        engine.close();

        assertThrows(IOException.class, () -> MetricsTestSupport.scrape(port), "closed engines serve nothing");
        final MetricsText last = MetricsText.parse(engine.metrics().scrapeText());
        final EngineStats stats = engine.stats();
        assertEquals(COUNT, stats.delivered(), "close drains");
        assertEquals(stats.published(), value(last, "chronofabric_messages_published_total"));
        assertEquals(stats.delivered(), value(last, "chronofabric_messages_delivered_total"));
        assertEquals(stats.dropped(), value(last, "chronofabric_messages_dropped_total"));
        assertEquals(stats.temporal().deadlineMisses(), value(last, "chronofabric_deadline_misses_total"));
        assertEquals(stats.temporal().deadLettersTotal(), last.samples("chronofabric_dead_letters_total").stream()
            .mapToDouble(MetricsText.Sample::value).sum());
        assertEquals(COUNT, value(last, "chronofabric_journal_acknowledged_id"));
        assertTrue(value(last, "chronofabric_journal_last_index") >= 0, "a journaled message has an index");
        assertTrue(value(last, "chronofabric_journal_size_bytes") > 0);
    }

    @Test
    void shouldRefuseAPortInUseNamingTheKeyAndStopEverythingItStarted() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0))
        {
            final Set<String> before = cfThreads();
            final ConfigurationException ex = assertThrows(ConfigurationException.class, () ->
                Engine.start(MetricsTestSupport.context(dir).metricsPort(taken.getLocalPort())));
            assertEquals("metrics.port", ex.key());
            assertTrue(ex.getMessage().contains(Integer.toString(taken.getLocalPort())), ex.getMessage());
            MetricsTestSupport.awaitTrue(() -> cfThreads().equals(before), 5_000,
                () -> "threads left running: " + cfThreads() + " (before: " + before + ")");
        }
    }

    @Test
    void shouldStopWithoutAStackTraceWhenAScrapeIsInFlightAtClose() throws Exception
    {
        final String prometheusLogger = "io.prometheus.metrics.exporter.httpserver.HttpExchangeAdapter";
        final java.util.logging.Logger jul = java.util.logging.Logger.getLogger(prometheusLogger);
        final List<LogRecord> julRecords = new CopyOnWriteArrayList<>();
        final Handler julCapture = new Handler()
        {
            @Override
            public void publish(final LogRecord record)
            {
                julRecords.add(record);
            }

            @Override
            public void flush()
            {
            }

            @Override
            public void close()
            {
            }
        };
        jul.addHandler(julCapture);
        final Level before = LogManager.getLogger(EngineMetrics.class).getLevel();
        Configurator.setLevel(EngineMetrics.class.getName(), Level.DEBUG);
        final CountDownLatch inScrape = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        try (CapturedLog log = new CapturedLog(EngineMetrics.class);
             Engine engine = Engine.start(MetricsTestSupport.context(dir)))
        {
            final EngineMetrics metrics = EngineMetrics.serve(engine, engine.monitor(), 0);
            // holds the scrape until the endpoint has stopped, so that its response goes to a closed exchange
            metrics.registry().register(() ->
            {
                inScrape.countDown();
                awaitQuietly(release);
                return GaugeSnapshot.builder().name("test_gate")
                    .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(1).build()).build();
            });
            final int port = metrics.port();
            final Thread client = new Thread(() ->
            {
                try
                {
                    MetricsTestSupport.scrape(port);
                }
                catch (final IOException | InterruptedException | AssertionError ex)
                {
                    // cut off by the close: expected
                }
            }, "test-scraper");
            client.start();
            assertTrue(inScrape.await(10, TimeUnit.SECONDS), "the scrape never reached the collectors");
            metrics.close();
            release.countDown();
            MetricsTestSupport.awaitTrue(() -> !julRecords.isEmpty() || !log.at(Level.DEBUG).isEmpty(), 10_000,
                () -> "the cut-off scrape was never reported");
            assertEquals(List.of(), julRecords.stream().map(r -> r.getLevel() + " " + r.getMessage() + " " +
                r.getThrown()).toList(), "java.util.logging wrote a SEVERE line and stack trace on stderr");
            assertEquals(List.of(), log.at(Level.WARN));
            assertEquals(List.of(), log.at(Level.ERROR));
            client.join(10_000);
        }
        finally
        {
            release.countDown();
            jul.removeHandler(julCapture);
            Configurator.setLevel(EngineMetrics.class.getName(), before);
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static Set<String> cfThreads()
    {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith("cf-"))
            .map(t -> t.getName() + "#" + t.getId()).collect(Collectors.toSet());
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    private static double value(final MetricsText text, final String name)
    {
        return text.value(name).orElseThrow(() -> new AssertionError(name + " missing"));
    }

    private static Set<String> labelNames(final MetricsText text, final String name)
    {
        return text.samples(name).stream().flatMap(s -> s.labels().keySet().stream()).collect(Collectors.toSet());
    }
}
