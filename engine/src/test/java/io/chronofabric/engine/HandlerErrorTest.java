package io.chronofabric.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import io.chronofabric.engine.api.EngineStats;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.api.Publisher;

/**
 * Whatever a handler throws, {@link Error}s included, is that subscriber's failure: counted, retried or dead-lettered
 * as its policy says; the message still reaches the other subscribers, and the pipeline thread lives on.
 */
class HandlerErrorTest
{
    private static final int TYPE = 1;
    private static final int DEPENDENT = 2;
    private static final PayloadWriter<Long> WRITER = (value, payload) -> payload.putLong(value);

    @TempDir
    Path dir;

    @Test
    void shouldCountAnErrorThrownByAHandlerAsItsFailureAndDeliverTheMessageToTheOthers()
    {
        final List<Long> failing = new ArrayList<>();
        final List<Long> healthy = new ArrayList<>();
        final List<Long> dependents = new ArrayList<>();
        final EngineStats stats;
        try (ChronoFabric engine = ChronoFabric.start(context()))
        {
            engine.subscribe(TYPE, message ->
            {
                if (5 == message.id())
                {
                    throw new StackOverflowError("deep recursion in a handler");
                }
                failing.add(message.id());
            });
            engine.subscribe(TYPE, message -> healthy.add(message.id()));
            engine.subscribe(DEPENDENT, message -> dependents.add(message.id()));
            final Publisher publisher = engine.newPublisher(1);
            for (long i = 1; i <= 10; i++)
            {
                publisher.publish(TYPE, WRITER, i);
            }
            publisher.dependsOn(5).publish(DEPENDENT, WRITER, 11L);
            engine.close();
            stats = engine.stats();
            assertNull(engine.failure(), "a handler's failure is not the engine's");
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L, 10L), failing);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), healthy);
        assertEquals(List.of(11L), dependents, "message 5 was delivered to one subscriber");
        assertEquals(1, stats.handlerFailures());
        assertEquals(11, stats.delivered());
    }

    /** An exception that cannot even describe itself is still only its subscriber's failure, however often. */
    @Test
    void shouldSurviveAHandlerExceptionWhoseMessageAndToStringThrow()
    {
        final List<Long> healthy = new ArrayList<>();
        final EngineStats stats;
        try (ChronoFabric engine = ChronoFabric.start(context()))
        {
            engine.subscribe(TYPE, message ->
            {
                if (message.id() % 2 == 0)
                {
                    throw new Undescribable();
                }
            });
            engine.subscribe(TYPE, message -> healthy.add(message.id()));
            final Publisher publisher = engine.newPublisher(1);
            for (long i = 1; i <= 40; i++)
            {
                publisher.publish(TYPE, WRITER, i);
            }
            engine.close();
            stats = engine.stats();
            assertNull(engine.failure(), "a handler's failure is not the engine's");
        }
        assertEquals(40, healthy.size(), healthy::toString);
        assertEquals(20, stats.handlerFailures());
        assertEquals(40, stats.delivered());
    }

    /** Its message, its toString and its stack trace all throw. */
    private static final class Undescribable extends RuntimeException
    {
        @Override
        public String getMessage()
        {
            throw new IllegalStateException("getMessage");
        }

        @Override
        public String toString()
        {
            throw new IllegalStateException("toString");
        }
    }

    @Test
    void shouldRetryAndThenDeadLetterAMessageWhoseGuaranteedHandlerThrowsErrorsOnIdleTicksAndGoOnDelivering()
    {
        final List<String> deadLetters = new CopyOnWriteArrayList<>();
        final List<Long> delivered = new ArrayList<>();
        assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
        {
            try (ChronoFabric engine = ChronoFabric.start(context()))
            {
                engine.subscribe(TYPE, message ->
                {
                    if (1 == message.id())
                    {
                        throw new StackOverflowError("every attempt");
                    }
                    delivered.add(message.id());
                }, new RetryPolicy(3, 5_000_000L, 5_000_000L, 10_000_000_000L, 100));
                engine.subscribeDeadLetters(dead -> deadLetters.add(dead.message().id() + " " + dead.reason().label() +
                    " after " + dead.attempts()));
                final Publisher publisher = engine.newPublisher(1);
                publisher.publish(TYPE, WRITER, 1L);
                // the retries run on idle ticks: wait until they are spent, then publish more through the same thread
                while (deadLetters.isEmpty())
                {
                    Thread.sleep(5);
                }
                for (long i = 2; i <= 1_000; i++)
                {
                    publisher.publish(TYPE, WRITER, i);
                }
                engine.close();
                assertNull(engine.failure());
            }
        });
        assertEquals(List.of("1 retries_exhausted after 3"), deadLetters);
        assertEquals(999, delivered.size());
    }

    private EngineConfiguration.Builder context()
    {
        return Profiles.builder("dev").journalDir(dir.resolve("journal"));
    }
}
