package io.chronofabric.engine;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.engine.internal.observability.EngineMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.EngineTestSupport.SEQUENCE_WRITER;
import static io.chronofabric.engine.EngineTestSupport.TYPE;
import static io.chronofabric.engine.EngineTestSupport.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node pauses application publishers while a peer lags too far ({@code peer.lag-policy=block}): a publish waits and
 * a tryPublish returns {@code RING_FULL}, though the ring has room. That is counted as a pause, not as the ring's
 * backpressure, and the ring's peak use is not reported as the whole ring: both were, so an operator read a lagging
 * peer as a pipeline that could not keep up.
 */
class PeerPauseIsNotBackpressureTest
{
    @TempDir
    Path dir;

    @Test
    void aPauseForALaggingPeerIsCountedApartFromAFullRing() throws Exception
    {
        final AtomicLong delivered = new AtomicLong();
        try (Engine engine = EngineTestSupport.startRunning(EngineTestSupport.context(dir).build()))
        {
            engine.subscribe(TYPE, message -> delivered.incrementAndGet());
            final Publisher publisher = engine.newPublisher(1);
            engine.pausePublishers(true);
            assertEquals(Publisher.RING_FULL, publisher.tryPublish(TYPE, SEQUENCE_WRITER, new long[] {1, 1}));
            final Thread waiting = new Thread(() -> publisher.publish(TYPE, SEQUENCE_WRITER, new long[] {1, 2}));
            waiting.start();
            Thread.sleep(200);
            assertTrue(waiting.isAlive(), "a publish waits while publishers are paused");
            engine.pausePublishers(false);
            waiting.join(10_000);
            awaitTrue(() -> delivered.get() == 1, 10_000, () -> "delivered " + delivered.get());

            assertEquals(0, engine.backpressureEvents(), "the ring was never full");
            assertEquals(2, engine.pauseEvents());
            final String metrics = EngineMetrics.unserved(engine, engine.monitor()).scrapeText();
            assertTrue(metrics.contains("chronofabric_publisher_pauses_total 2.0"), metrics);
            assertTrue(metrics.contains("chronofabric_backpressure_events_total 0.0"), metrics);
            assertTrue(!metrics.contains("chronofabric_ring_used_max " + engine.context().ringSize()), metrics);
        }
    }
}
