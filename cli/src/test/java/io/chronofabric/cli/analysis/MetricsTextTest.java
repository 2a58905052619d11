package io.chronofabric.cli.analysis;

import io.chronofabric.engine.internal.Engine;
import java.nio.file.Path;
import java.util.Map;

import io.chronofabric.engine.ChronoFabric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.cli.observability.MetricsTestSupport.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.chronofabric.engine.internal.observability.EngineMetrics;
import io.chronofabric.cli.observability.MetricsTestSupport;

/**
 * Reading the Prometheus text format back ({@code diagnose}): samples, labels with escapes, special values,
 * histogram quantiles, and a real engine's scrape turned into the same health facts as the live engine gives.
 */
class MetricsTextTest
{
    @TempDir
    Path dir;

    @Test
    void shouldParseSamplesLabelsEscapesAndSpecialValues()
    {
        final MetricsText text = MetricsText.parse("""
            # HELP x_total A counter.
            # TYPE x_total counter
            x_total{reason="a \\"quoted\\" one",path="c:\\\\tmp"} 3.0
            x_total{reason="b"} 4 1700000000000
            # TYPE g gauge
            g +Inf
            h NaN
            """);
        assertEquals(Map.of("x_total", "counter", "g", "gauge"), text.types());
        assertEquals(3.0, text.value("x_total", "reason", "a \"quoted\" one").orElseThrow());
        assertEquals("c:\\tmp", text.samples("x_total").get(0).labels().get("path"));
        assertEquals(4.0, text.value("x_total", "reason", "b").orElseThrow(), "a timestamp is not the value");
        assertEquals(Double.POSITIVE_INFINITY, text.value("g").orElseThrow());
        assertTrue(Double.isNaN(text.value("h").orElseThrow()));
        assertTrue(text.value("x_total", "reason", "c").isEmpty());
        final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
            () -> MetricsText.parse("ok 1\nbroken{a=\"1\" 2\n"));
        assertTrue(bad.getMessage().contains("line 2"), bad.getMessage());
    }

    @Test
    void shouldInterpolateQuantilesAsHistogramQuantileDoes()
    {
        final MetricsText text = MetricsText.parse("""
            l_bucket{le="0.001"} 10
            l_bucket{le="0.002"} 90
            l_bucket{le="0.004"} 100
            l_bucket{le="+Inf"} 100
            e_bucket{le="1.0"} 0
            e_bucket{le="+Inf"} 0
            t_bucket{le="1.0"} 1
            t_bucket{le="+Inf"} 100
            """);
        assertEquals(0.0015, ScrapedHealth.quantile(text, "l", 0.5), 1e-12);
        assertEquals(0.0038, ScrapedHealth.quantile(text, "l", 0.99), 1e-12);
        assertEquals(0.0, ScrapedHealth.quantile(text, "e", 0.99), "empty");
        assertEquals(1.0, ScrapedHealth.quantile(text, "t", 0.99), "in +Inf: the highest finite bound");
    }

    @Test
    void shouldReadTheSameHealthFactsFromAScrapeAsFromTheLiveEngine() throws Exception
    {
        try (Engine engine = Engine.start(MetricsTestSupport.context(dir));
             EngineMetrics metrics = EngineMetrics.serve(engine, engine.monitor(), 0))
        {
            engine.subscribe(TYPE, message -> { });
            MetricsTestSupport.publish(engine.newPublisher(1), 5_000);
            MetricsTestSupport.awaitDelivered(engine, 5_000);
            final HealthSnapshot scraped =
                ScrapedHealth.of(MetricsText.parse(MetricsTestSupport.scrape(metrics.port())));
            final HealthSnapshot live = HealthSnapshots.of(engine);
            assertEquals(live.engine(), scraped.engine());
            assertEquals(live.temporal(), scraped.temporal());
            assertEquals(live.latency().ringCapacity(), scraped.latency().ringCapacity());
            assertEquals(live.latency().backpressureEvents(), scraped.latency().backpressureEvents());
            assertEquals(live.latency().targetP99(), scraped.latency().targetP99(), 1e-12);
            assertEquals(live.latency().stageP99().keySet(), scraped.latency().stageP99().keySet());
            assertEquals(live.memory().targetResident(), scraped.memory().targetResident());
            assertTrue(scraped.memory().heapMax() > 0 && scraped.memory().resident() > 0, scraped::toString);
            assertTrue(live.latency().endToEndP99() > 0 && scraped.latency().endToEndP99() > 0);
        }
        final IllegalArgumentException notOurs = assertThrows(IllegalArgumentException.class,
            () -> ScrapedHealth.of(MetricsText.parse("up 1\n")));
        assertTrue(notOurs.getMessage().contains("not a ChronoFabric metrics endpoint"), notOurs.getMessage());
    }
}
