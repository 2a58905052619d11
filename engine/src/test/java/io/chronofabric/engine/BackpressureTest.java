package io.chronofabric.engine;

import io.chronofabric.engine.internal.Engine;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.EngineTestSupport.SEQUENCE_WRITER;
import static io.chronofabric.engine.EngineTestSupport.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.chronofabric.engine.api.EngineStats;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.WaitStrategyKind;
import io.chronofabric.engine.api.Publisher;

/**
 * A 16-slot ring behind a subscriber that blocks: publishers see backpressure, and nothing accepted is lost.
 */
class BackpressureTest
{
    private static final int RING = 16;

    @TempDir
    Path dir;

    @Test
    void shouldReturnRingFullWhenFullAndDeliverEveryAcceptedMessageOnceReleased() throws Exception
    {
        final EngineConfiguration context = EngineTestSupport.context(dir).ringSize(RING)
            .waitStrategy(WaitStrategyKind.BLOCKING).build();
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch firstArrived = new CountDownLatch(1);
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong lastSequence = new AtomicLong(-1);
        final AtomicReference<String> problem = new AtomicReference<>();
        final long accepted;
        final long ringFullResults;
        final long blockedId;
        final EngineStats stats;
        try (Engine engine = EngineTestSupport.startRunning(context))
        {
            engine.subscribe(TYPE, message ->
            {
                firstArrived.countDown();
                release.await();
                final long sequence = EngineTestSupport.sequenceOf(message.payload());
                if (sequence != lastSequence.get() + 1)
                {
                    problem.compareAndSet(null, "sequence " + sequence + " after " + lastSequence.get());
                }
                lastSequence.set(sequence);
                delivered.incrementAndGet();
            });
            final Publisher publisher = engine.newPublisher(1);
            final long[] data = {1, 0};
            long count = 0;
            long result;
            try
            {
                while (Publisher.RING_FULL != (result = publisher.tryPublish(TYPE, SEQUENCE_WRITER, data)))
                {
                    data[1] = ++count;
                    assertTrue(count <= RING, "the ring took " + count + " messages, more than its " + RING + " slots");
                }
                accepted = count;
                assertTrue(firstArrived.await(10, TimeUnit.SECONDS), "the subscriber never got the first message");
                assertEquals(0, engine.remainingCapacity(), "the ring is full");
                // more attempts while full: each one RING_FULL, none an exception, each counted
                for (int i = 0; i < 9; i++)
                {
                    assertEquals(Publisher.RING_FULL, publisher.tryPublish(TYPE, SEQUENCE_WRITER, data));
                }
                ringFullResults = 10;
                final EngineStats full = engine.stats();
                assertEquals(ringFullResults, full.backpressureEvents());
                assertEquals(accepted, full.published());
                assertEquals(0, full.delivered(), "the blocked subscriber completed nothing yet");

                // a blocking publish from another thread waits while the ring is full ...
                final Publisher blocking = engine.newPublisher(2);
                final AtomicLong blockingId = new AtomicLong(Long.MIN_VALUE);
                final AtomicReference<Throwable> failure = new AtomicReference<>();
                final CountDownLatch aboutToPublish = new CountDownLatch(1);
                final Thread blocked = new Thread(() ->
                {
                    try
                    {
                        aboutToPublish.countDown();
                        blockingId.set(blocking.publish(TYPE, SEQUENCE_WRITER, new long[] {2, accepted}));
                    }
                    catch (final Throwable t)
                    {
                        failure.set(t);
                    }
                }, "test-blocked-publisher");
                blocked.start();
                assertTrue(aboutToPublish.await(10, TimeUnit.SECONDS));
                blocked.join(300);
                assertTrue(blocked.isAlive(), "publish() returned while the ring was full");
                assertEquals(Long.MIN_VALUE, blockingId.get());
                EngineTestSupport.awaitTrue(() -> 1 == blocking.backpressureEvents(), 10_000,
                    () -> "the blocking publisher's backpressure was not counted");

                // ... and completes once the subscriber lets the pipeline move
                release.countDown();
                EngineTestSupport.join(blocked, 10_000);
                assertNull(failure.get(), () -> "blocking publish failed: " + failure.get());
                blockedId = blockingId.get();
                assertNotEquals(Publisher.RING_FULL, blockedId);

                EngineTestSupport.awaitTrue(() -> delivered.get() == accepted + 1, 10_000,
                    () -> "delivered " + delivered.get() + " of " + (accepted + 1));
            }
            finally
            {
                release.countDown();
            }
            engine.close();
            stats = engine.stats();
        }
        assertTrue(accepted >= 1, "accepted " + accepted);
        assertNull(problem.get(), problem.get());
        assertEquals(accepted + 1, delivered.get(), "every accepted message, the blocked one included, delivered once");
        assertEquals(accepted + 1, stats.published());
        assertEquals(accepted + 1, stats.delivered());
        assertEquals(ringFullResults + 1, stats.backpressureEvents());
        assertEquals(0, stats.dropped());
        assertEquals(accepted + 1, EngineTestSupport.readJournal(context).size());
        assertEquals(accepted + 1, blockedId, "the blocked publish takes the id after the " + accepted + " accepted");
    }
}
