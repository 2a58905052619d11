package io.chronofabric.engine;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.chronofabric.engine.api.EngineStats;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.engine.internal.observability.EngineMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stats and a metrics scrape read while messages flow are each consistent in themselves: a message is counted as
 * published before anything can deliver or drop it, and what happened to messages is read before how many were
 * published, so delivered + dropped never exceeds published; nor the settled watermark the acknowledged id.
 */
class LiveCountsAreConsistentTest
{
    private static final long RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(3_000);
    private static final long SCRAPE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    @TempDir
    Path dir;

    @Test
    void shouldNeverShowMoreDeliveredThanPublishedWhileMessagesFlow() throws Exception
    {
        try (Engine engine = Engine.start(EngineTestSupport.context(dir).build()))
        {
            engine.subscribe(EngineTestSupport.TYPE, message -> { });
            final Publisher publisher = engine.newPublisher(1);
            final AtomicBoolean running = new AtomicBoolean(true);
            final Thread publishing = new Thread(() ->
            {
                final long[] data = new long[2];
                while (running.get())
                {
                    publisher.publish(EngineTestSupport.TYPE, EngineTestSupport.SEQUENCE_WRITER, data);
                }
            }, "publishing");
            publishing.start();
            final EngineMetrics metrics = EngineMetrics.unserved(engine, engine.monitor());
            int statsReads = 0;
            int scrapes = 0;
            try
            {
                final long end = System.nanoTime() + RUN_NANOS;
                long nextScrape = 0;
                while (System.nanoTime() - end < 0)
                {
                    final EngineStats stats = engine.stats();
                    assertTrue(stats.delivered() + stats.dropped() <= stats.published(), () -> "stats: " + stats);
                    statsReads++;
                    if (System.nanoTime() - nextScrape < 0)
                    {
                        continue;
                    }
                    nextScrape = System.nanoTime() + SCRAPE_EVERY_NANOS;
                    final String text = metrics.scrapeText();
                    final long published = sample(text, "messages_published_total");
                    final long delivered = sample(text, "messages_delivered_total");
                    final long dropped = sample(text, "messages_dropped_total");
                    assertTrue(delivered + dropped <= published, () -> "one scrape says " + delivered +
                        " delivered and " + dropped + " dropped of " + published + " published");
                    assertTrue(sample(text, "journal_settled_watermark") <= sample(text, "journal_acknowledged_id"),
                        () -> "one scrape has the settled watermark above the acknowledged id:\n" + text);
                    scrapes++;
                }
            }
            finally
            {
                running.set(false);
                publishing.join(10_000);
            }
            assertTrue(statsReads >= 20 && scrapes >= 3, "read " + statsReads + " stats and " + scrapes +
                " scrapes while messages flowed");
            assertTrue(engine.stats().delivered() > 1000, "messages flowed: " + engine.stats());
        }
    }

    private static long sample(final String text, final String name)
    {
        final Matcher value = Pattern.compile("(?m)^chronofabric_" + Pattern.quote(name) + " (\\S+)$").matcher(text);
        assertTrue(value.find(), () -> name + " in\n" + text);
        return (long)Double.parseDouble(value.group(1));
    }
}
