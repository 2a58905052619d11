package io.chronofabric.engine;

import io.chronofabric.engine.internal.Engine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.api.Publisher;

/**
 * No call waits without end: acknowledgement waits are bounded or end with the reason they cannot succeed, a
 * publisher waiting on a full ring is released by close, and a handler that publishes into a full ring is refused
 * instead of waiting for its own thread.
 */
class NoEndlessWaitTest
{
    private static final int TYPE = 1;
    private static final PayloadWriter<Long> WRITER = (value, payload) -> payload.putLong(value);

    @TempDir
    Path dir;

    @Test
    void shouldBoundTheWaitForAnAcknowledgementAndRefuseAnIdNeverPublished()
    {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
        {
            try (Engine engine = Engine.start(context()))
            {
                final long id = engine.newPublisher(1).publish(TYPE, WRITER, 1L);
                assertTrue(engine.awaitAcknowledged(id, 5, TimeUnit.SECONDS));
                final IllegalArgumentException never = assertThrows(IllegalArgumentException.class,
                    () -> engine.awaitAcknowledged(id + 1));
                assertTrue(never.getMessage().contains("never published"), never.getMessage());
                assertThrows(IllegalArgumentException.class, () -> engine.awaitAcknowledged(id + 1, 1, TimeUnit.SECONDS));
                // ids start at 1: nothing was ever published as 0 or below, whatever the watermark says
                for (final long impossible : new long[] {0, -1, Long.MIN_VALUE})
                {
                    final IllegalArgumentException below = assertThrows(IllegalArgumentException.class,
                        () -> engine.awaitAcknowledged(impossible, 1, TimeUnit.SECONDS), "id " + impossible);
                    assertTrue(below.getMessage().contains("ids start at 1"), below.getMessage());
                    assertThrows(IllegalArgumentException.class, () -> engine.awaitAcknowledged(impossible));
                }
            }
        });
    }

    /**
     * A publish that throws after its slot was claimed (here a writer that fails) burns an id no caller was given: a
     * wait on it fails at once, whether a later message has been acknowledged past it or none has followed yet.
     */
    @Test
    void shouldRefuseAWaitOnTheIdOfAPublishThatWasRefused()
    {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
        {
            try (Engine engine = Engine.start(context()))
            {
                final Publisher publisher = engine.newPublisher(1);
                final long first = publisher.publish(TYPE, WRITER, 1L);
                final PayloadWriter<Long> failing = (value, payload) ->
                {
                    throw new IllegalArgumentException("refused by the writer");
                };
                assertThrows(IllegalArgumentException.class, () -> publisher.publish(TYPE, failing, 2L));
                final long burnt = first + 1;
                final IllegalArgumentException last = assertThrows(IllegalArgumentException.class,
                    () -> engine.awaitAcknowledged(burnt), "no message follows the refused one");
                assertTrue(last.getMessage().contains("refused"), last.getMessage());

                final long next = publisher.publish(TYPE, WRITER, 3L);
                assertEquals(burnt + 1, next, "the refused publish used an id");
                assertTrue(engine.awaitAcknowledged(next, 5, TimeUnit.SECONDS));
                assertThrows(IllegalArgumentException.class, () -> engine.awaitAcknowledged(burnt, 1, TimeUnit.SECONDS),
                    "the watermark passed it, but it was never journaled");
                assertTrue(engine.awaitAcknowledged(first, 1, TimeUnit.SECONDS));
            }
        });
    }

    @Test
    void shouldReleaseAPublisherWaitingOnAFullRingWhenTheEngineCloses() throws Exception
    {
        final CountDownLatch handlerBlocked = new CountDownLatch(1);
        final CountDownLatch releaseHandler = new CountDownLatch(1);
        final AtomicReference<Throwable> publisherEnd = new AtomicReference<>();
        final Engine engine = Engine.start(context().ringSize(64));
        engine.subscribe(TYPE, message ->
        {
            handlerBlocked.countDown();
            await(releaseHandler);
        });
        final Publisher publisher = engine.newPublisher(1);
        final Thread publishing = new Thread(() ->
        {
            try
            {
                for (long i = 0; ; i++)
                {
                    publisher.publish(TYPE, WRITER, i);
                }
            }
            catch (final Throwable ex)
            {
                publisherEnd.set(ex);
            }
        });
        publishing.start();
        handlerBlocked.await();
        while (0 != engine.remainingCapacity())
        {
            Thread.sleep(1);
        }
        final Thread closing = new Thread(engine::close);
        closing.start();
        publishing.join(10_000);
        assertInstanceOf(IllegalStateException.class, publisherEnd.get(), "the waiting publish ended with: " + publisherEnd);
        assertTrue(publisherEnd.get().getMessage().contains("closed"), publisherEnd.get().getMessage());
        releaseHandler.countDown();
        closing.join(30_000);
        assertTrue(!closing.isAlive(), "close returned");
    }

    @Test
    void shouldRefuseAHandlerPublishingIntoAFullRingInsteadOfDeadlocking()
    {
        final AtomicReference<Throwable> refused = new AtomicReference<>();
        final CountDownLatch handled = new CountDownLatch(1);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
        {
            try (Engine engine = Engine.start(context().ringSize(64)))
            {
                final Publisher inside = engine.newPublisher(2);
                engine.subscribe(TYPE, message ->
                {
                    if (1 == message.payload().getLong(0))
                    {
                        try
                        {
                            for (long i = 100; i < 1_000; i++)
                            {
                                inside.publish(TYPE + 1, WRITER, i);
                            }
                        }
                        catch (final IllegalStateException ex)
                        {
                            refused.set(ex);
                        }
                        handled.countDown();
                    }
                });
                engine.newPublisher(1).publish(TYPE, WRITER, 1L);
                handled.await();
            }
        });
        assertTrue(null != refused.get() && refused.get().getMessage().contains("pipeline thread"), String.valueOf(refused));
    }

    /**
     * A handler runs on the thread that journals and delivers (the dev layout): a close or an acknowledgement wait
     * from inside it would wait for itself. Both are refused at once; the engine goes on, and closes from outside.
     */
    @Test
    void shouldRefuseACloseOrAnAcknowledgementWaitFromInsideAHandler()
    {
        final AtomicReference<Throwable> closeRefused = new AtomicReference<>();
        final AtomicReference<Throwable> awaitRefused = new AtomicReference<>();
        final AtomicReference<Throwable> timedAwaitRefused = new AtomicReference<>();
        final CountDownLatch handled = new CountDownLatch(3);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
        {
            final Engine engine = Engine.start(context());
            final Publisher inside = engine.newPublisher(2);
            engine.subscribe(TYPE, message ->
            {
                final long value = message.payload().getLong(0);
                final AtomicReference<Throwable> outcome = 1 == value ? closeRefused : 2 == value ? awaitRefused :
                    timedAwaitRefused;
                try
                {
                    if (1 == value)
                    {
                        engine.close();
                    }
                    else if (2 == value)
                    {
                        engine.awaitAcknowledged(inside.tryPublish(TYPE + 1, WRITER, 20L));
                    }
                    else
                    {
                        engine.awaitAcknowledged(inside.tryPublish(TYPE + 1, WRITER, 30L), 1, TimeUnit.HOURS);
                    }
                }
                catch (final IllegalStateException ex)
                {
                    outcome.set(ex);
                }
                handled.countDown();
            });
            final Publisher publisher = engine.newPublisher(1);
            for (long value = 1; value <= 3; value++)
            {
                publisher.publish(TYPE, WRITER, value);
            }
            handled.await();
            final long after = publisher.publish(TYPE + 1, WRITER, 4L);
            assertTrue(engine.awaitAcknowledged(after, 5, TimeUnit.SECONDS), "the engine goes on");
            engine.close();
            assertEquals(0, engine.stats().inFlight());
        });
        for (final AtomicReference<Throwable> refused : List.of(closeRefused, awaitRefused, timedAwaitRefused))
        {
            assertTrue(null != refused.get() && refused.get().getMessage().contains("handler"), String.valueOf(refused));
        }
    }

    /**
     * close() waits until every accepted message is delivered: so does a second close() while the first one drains
     * (a shutdown hook beside a try-with-resources), instead of returning at once.
     */
    @Test
    void shouldReturnFromASecondCloseOnlyOnceTheFirstHasDrainedTheEngine() throws Exception
    {
        final CountDownLatch handlerBusy = new CountDownLatch(1);
        final Engine engine = Engine.start(context());
        engine.subscribe(TYPE, message ->
        {
            if (1 == message.payload().getLong(0))
            {
                handlerBusy.countDown();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1_500));
            }
        });
        final Publisher publisher = engine.newPublisher(1);
        for (long value = 1; value <= 6; value++)
        {
            publisher.publish(TYPE, WRITER, value);
        }
        handlerBusy.await();
        final Thread first = new Thread(engine::close, "first-close");
        first.start();
        while (!engine.isClosed())
        {
            Thread.onSpinWait();
        }
        assertTimeoutPreemptively(Duration.ofSeconds(20), engine::close);
        assertEquals(6, engine.stats().delivered(), "the second close returned after the drain");
        assertEquals(0, engine.stats().inFlight());
        first.join(20_000);
    }

    private EngineConfiguration.Builder context()
    {
        return Profiles.builder("dev").journalDir(dir.resolve("journal"));
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
