package io.chronofabric.engine;

import io.chronofabric.engine.internal.Engine;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.EngineTestSupport.SEQUENCE_WRITER;
import static io.chronofabric.engine.EngineTestSupport.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.chronofabric.engine.api.EngineStats;
import io.chronofabric.engine.api.Message;
import io.chronofabric.engine.api.MessageHandler;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.Subscription;

/**
 * Closing a subscription while messages flow: once close() returns, its handler is never invoked again.
 */
class UnsubscribeTest
{
    @TempDir
    Path dir;

    private static final class Handler implements MessageHandler
    {
        volatile boolean closeReturned;
        volatile long invocations;
        volatile long invocationsStartedAfterClose;

        @Override
        public void onMessage(final Message message)
        {
            if (closeReturned)
            {
                invocationsStartedAfterClose++;
            }
            invocations++;
        }
    }

    @Test
    void shouldNeverInvokeAHandlerAfterItsSubscriptionCloseReturns() throws Exception
    {
        final EngineConfiguration context = EngineTestSupport.context(dir).build();
        final Handler leaving = new Handler();
        final Handler staying = new Handler();
        final long[] published = new long[1];
        final EngineStats stats;
        try (Engine engine = EngineTestSupport.startRunning(context))
        {
            final Subscription leavingSubscription = engine.subscribe(TYPE, leaving);
            final Subscription stayingSubscription = engine.subscribe(TYPE, staying);
            assertEquals(2, engine.stats().activeSubscriptions());

            final Publisher publisher = engine.newPublisher(1);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread publishing = new Thread(() ->
            {
                try
                {
                    final long[] data = {1, 0};
                    while (!Thread.currentThread().isInterrupted())
                    {
                        publisher.publish(TYPE, SEQUENCE_WRITER, data);
                        data[1]++;
                        published[0] = data[1];
                    }
                }
                catch (final Throwable t)
                {
                    failure.set(t);
                }
            }, "test-publisher");
            publishing.start();
            try
            {
                EngineTestSupport.awaitTrue(() -> leaving.invocations > 20_000, 20_000,
                    () -> "the leaving subscriber got only " + leaving.invocations);

                leavingSubscription.close();
                leaving.closeReturned = true;
                final long stayingAtClose = staying.invocations;

                assertFalse(leavingSubscription.isActive());
                assertTrue(stayingSubscription.isActive());
                assertEquals(1, engine.stats().activeSubscriptions());
                leavingSubscription.close(); // idempotent
                assertEquals(1, engine.stats().activeSubscriptions());

                EngineTestSupport.awaitTrue(() -> staying.invocations > stayingAtClose + 20_000, 20_000,
                    () -> "the staying subscriber stopped receiving at " + staying.invocations);
            }
            finally
            {
                publishing.interrupt();
                EngineTestSupport.join(publishing, 10_000);
            }
            assertNull(failure.get(), () -> "publisher failed: " + failure.get());
            assertEquals(1, engine.stats().activeSubscriptions(), "the staying one");
            engine.close();
            stats = engine.stats();
        }
        assertEquals(0, leaving.invocationsStartedAfterClose,
            "handler invocations that started after its subscription's close() returned");
        assertEquals(published[0], stats.published());
        assertEquals(stats.published(), stats.delivered());
        assertEquals(stats.published(), staying.invocations, "the staying subscriber got every message");
        assertTrue(leaving.invocations < staying.invocations, "the leaving subscriber stopped early");
        assertEquals(0, stats.activeSubscriptions(), "the engine's close ends the rest");
        assertEquals(0, stats.unrouted());
    }

    @Test
    void shouldCountMessagesOfATypeWithNoSubscriberAsUnrouted() throws Exception
    {
        final EngineConfiguration context = EngineTestSupport.context(dir).build();
        final EngineStats stats;
        try (Engine engine = EngineTestSupport.startRunning(context))
        {
            final Subscription subscription = engine.subscribe(TYPE, message -> { });
            final Publisher publisher = engine.newPublisher(1);
            publisher.publish(TYPE, SEQUENCE_WRITER, new long[] {1, 0});
            EngineTestSupport.awaitTrue(() -> 1 == engine.stats().delivered(), 10_000, () -> "first delivery");
            subscription.close();
            publisher.publish(TYPE, SEQUENCE_WRITER, new long[] {1, 1});
            publisher.publish(TYPE + 1, SEQUENCE_WRITER, new long[] {1, 2});
            engine.close();
            stats = engine.stats();
        }
        assertEquals(3, stats.delivered());
        assertEquals(2, stats.unrouted());
        assertEquals(0, stats.activeSubscriptions());
    }
}
