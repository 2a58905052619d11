package io.chronofabric.engine;

import io.chronofabric.engine.internal.Engine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.chronofabric.journal.MessageRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.EngineTestSupport.SEQUENCE_WRITER;
import static io.chronofabric.engine.EngineTestSupport.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.chronofabric.engine.api.EngineStats;
import io.chronofabric.engine.api.Message;
import io.chronofabric.engine.api.MessageHandler;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.Publisher;

/**
 * A handler that throws is counted and the pipeline goes on: the next subscriber still gets the message, later
 * messages still flow, and the journal keeps everything.
 */
class HandlerFailureTest
{
    private static final int COUNT = 10_000;

    @TempDir
    Path dir;

    /** Throws on every third message: a RuntimeException or, every sixth, a checked exception. */
    private static final class ThrowingHandler implements MessageHandler
    {
        volatile long invocations;

        @Override
        public void onMessage(final Message message) throws Exception
        {
            final long n = ++invocations;
            if (0 == n % 6)
            {
                throw new IOException("test failure (checked) on message " + message.id());
            }
            if (0 == n % 3)
            {
                throw new IllegalStateException("test failure on message " + message.id());
            }
        }
    }

    private static final class CountingHandler implements MessageHandler
    {
        final long[] sequences = new long[COUNT];
        volatile int count;

        @Override
        public void onMessage(final Message message)
        {
            final int n = count;
            if (n < COUNT)
            {
                sequences[n] = EngineTestSupport.sequenceOf(message.payload());
            }
            count = n + 1;
        }
    }

    @Test
    void shouldCountHandlerFailuresAndKeepDeliveringToOtherSubscribers()
    {
        final EngineConfiguration context = EngineTestSupport.context(dir).build();
        final ThrowingHandler throwing = new ThrowingHandler();
        final CountingHandler counting = new CountingHandler();
        final EngineStats stats;
        try (Engine engine = EngineTestSupport.startRunning(context))
        {
            engine.subscribe(TYPE, throwing);
            engine.subscribe(TYPE, counting);
            final Publisher publisher = engine.newPublisher(1);
            final long[] data = {1, 0};
            for (int i = 0; i < COUNT; i++)
            {
                data[1] = i;
                publisher.publish(TYPE, SEQUENCE_WRITER, data);
            }
            EngineTestSupport.awaitTrue(() -> counting.count == COUNT, 10_000,
                () -> "second subscriber got " + counting.count + " of " + COUNT);
            assertEquals(COUNT / 3, engine.stats().handlerFailures(), "failures counted while running");
            assertEquals(2, engine.stats().activeSubscriptions(), "a failing subscriber stays subscribed");
            engine.close();
            stats = engine.stats();
        }
        assertEquals(COUNT, throwing.invocations, "the throwing handler is still invoked for every message");
        assertEquals(COUNT, counting.count, "the second subscriber got every message");
        for (int i = 0; i < COUNT; i++)
        {
            assertEquals(i, counting.sequences[i], "second subscriber, message " + i);
        }
        assertEquals(COUNT / 3, stats.handlerFailures());
        assertEquals(COUNT, stats.published());
        assertEquals(COUNT, stats.delivered());
        assertEquals(0, stats.dropped());
        assertEquals(0, stats.activeSubscriptions(), "the engine's close ends its subscriptions");

        final List<MessageRecord> journal = EngineTestSupport.readJournal(context);
        assertEquals(COUNT, journal.size(), "journaled records");
        for (int i = 0; i < COUNT; i++)
        {
            assertTrue(journal.get(i).payloadLength() == 12, "record " + i);
        }
    }
}
