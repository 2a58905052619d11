package io.chronofabric.cli.observability;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.chronofabric.engine.internal.Engine;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.Publisher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.cli.observability.MetricsTestSupport.TYPE;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import io.chronofabric.engine.internal.observability.EngineMetrics;

/**
 * Recording metrics costs the pipeline threads no allocation: with the endpoint scraped every few milliseconds over
 * loopback, the monitor sampling every 10 ms and (in one case) message flow tracing on, the pipeline threads
 * (named cf-*) allocate nothing per message once warm, measured with HotSpot's per-thread allocation counters as
 * ZeroAllocationTest does. Everything the metrics allocate is allocated on the scraping and monitor threads.
 */
class MetricsAllocationTest
{
    private static final int WARM_UP = 200_000;
    private static final int MEASURED = 600_000;

    @TempDir
    Path dir;

    private com.sun.management.ThreadMXBean threads;

    @BeforeEach
    void enableAllocationCounters()
    {
        threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "per-thread allocation counters unsupported");
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    @Test
    void shouldNotAllocateOnPipelineThreadsWhileMetricsAreScraped() throws Exception
    {
        measure(MetricsTestSupport.context(dir).ringSize(1 << 18).monitorIntervalMillis(10), "metrics");
    }

    @Test
    void shouldNotAllocateOnPipelineThreadsWithMessageFlowTracingOn() throws Exception
    {
        measure(MetricsTestSupport.context(dir).ringSize(1 << 18).monitorIntervalMillis(10).tracingEnabled(true)
            .tracingStuckMillis(10_000).tracingSlowHopMicros(3_600_000_000L), "metrics and tracing");
    }

    private void measure(final EngineConfiguration.Builder settings, final String what) throws Exception
    {
        final EngineConfiguration context = settings.build();
        final Set<Thread> before = Thread.getAllStackTraces().keySet();
        final AtomicLong delivered = new AtomicLong();
        final AtomicBoolean scraping = new AtomicBoolean(true);
        final AtomicLong scrapes = new AtomicLong();
        try (Engine engine = Engine.start(context);
             EngineMetrics metrics = EngineMetrics.serve(engine, engine.monitor(), 0))
        {
            engine.subscribe(TYPE, message -> delivered.lazySet(delivered.get() + 1));
            final List<Thread> pipeline = pipelineThreads(engine, before);
            final Thread scraper = new Thread(() ->
            {
                while (scraping.get())
                {
                    try
                    {
                        MetricsTestSupport.scrape(metrics.port());
                        scrapes.incrementAndGet();
                        Thread.sleep(5);
                    }
                    catch (final Exception ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                }
            }, "test-scraper");
            scraper.start();
            final Publisher publisher = engine.newPublisher(1);
            MetricsTestSupport.publish(publisher, WARM_UP);
            MetricsTestSupport.awaitTrue(() -> delivered.get() >= WARM_UP, 30_000, () -> "warm-up not delivered");
            final long scrapesBefore = scrapes.get();
            final long[] start = allocated(pipeline);
            MetricsTestSupport.publish(publisher, MEASURED);
            MetricsTestSupport.awaitTrue(() -> delivered.get() >= WARM_UP + MEASURED, 30_000, () -> "not delivered");
            final long[] end = allocated(pipeline);
            final long scrapesDuring = scrapes.get() - scrapesBefore;
            scraping.set(false);
            scraper.join(10_000);
            final StringBuilder report = new StringBuilder("[MetricsAllocationTest] " + what + ": " + scrapesDuring +
                " scrapes while the measured messages flowed");
            long bytes = 0;
            for (int i = 0; i < pipeline.size(); i++)
            {
                bytes += end[i] - start[i];
                report.append("; ").append(pipeline.get(i).getName()).append(' ').append(end[i] - start[i])
                    .append(" bytes for ").append(MEASURED).append(" messages");
            }
            System.out.println(report);
            assertTrue(scrapesDuring >= 3, "the endpoint was scraped while messages flowed: " + report);
            assertTrue(bytes / (double)MEASURED < 1.0, "pipeline threads allocate per message: " + report);
        }
    }

    private static List<Thread> pipelineThreads(final Engine engine, final Set<Thread> before)
    {
        final Set<String> names = engine.threads().stream().map(g -> g.threadName()).collect(Collectors.toSet());
        final List<Thread> found = new ArrayList<>();
        MetricsTestSupport.awaitTrue(() ->
        {
            found.clear();
            Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t) && t.isAlive() &&
                names.contains(t.getName())).forEach(found::add);
            return found.size() == names.size();
        }, 10_000, () -> "pipeline threads " + names + " not found");
        return found;
    }

    private long[] allocated(final List<Thread> pipeline)
    {
        final long[] bytes = new long[pipeline.size()];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = threads.getThreadAllocatedBytes(pipeline.get(i).getId());
        }
        return bytes;
    }
}
