package io.chronofabric.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.chronofabric.engine.api.EngineStats;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.config.Profiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The engine's latency (end to end and per stage) is that of the messages this run published: a message fed again
 * from a journal (replayed, or recovered after a crash) carries the time it was fed as its publish time, so it is
 * left out, as {@code journal latency} leaves its flagged trace entry out. It was counted: after a recovery of 384
 * messages the summary's latency held 20,384 samples for 20,000 published (a black-box helper's finding).
 */
class RedeliveredLatencyTest
{
    private static final int TYPE = 1;
    private static final PayloadWriter<Long> WRITER = (value, payload) -> payload.putLong(value);

    @TempDir
    Path dir;

    @Test
    void shouldMeasureTheLatencyOfPublishedMessagesOnlyNotOfThoseFedAgainFromAJournal()
    {
        final Path original = dir.resolve("original");
        try (ChronoFabric engine = ChronoFabric.start(Profiles.builder("dev").journalDir(original).build()))
        {
            engine.subscribe(TYPE, message -> { });
            final Publisher publisher = engine.newPublisher(1);
            for (long i = 0; i < 20; i++)
            {
                publisher.publish(TYPE, WRITER, i);
            }
        }
        final AtomicInteger delivered = new AtomicInteger();
        final EngineStats stats;
        try (ChronoFabric engine = ChronoFabric.start(Profiles.builder("dev").journalDir(dir.resolve("again")).build()))
        {
            engine.subscribe(TYPE, message -> delivered.incrementAndGet());
            assertEquals(20, engine.replay(original, Duration.ofSeconds(30)), "replayed");
            stats = engine.stats();
        }
        assertEquals(20, delivered.get(), "every replayed message delivered");
        assertEquals(0, stats.endToEnd().count(), "no end-to-end latency for messages fed again from a journal");
        stats.stages().forEach((stage, latency) -> assertEquals(0, latency.count(), stage + " latency"));
    }
}
