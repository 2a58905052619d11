package io.chronofabric.engine;

import io.chronofabric.engine.internal.Engine;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import io.chronofabric.engine.internal.clock.HlcTimestamps;
import io.chronofabric.journal.MessageRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.chronofabric.engine.EngineTestSupport.SEQUENCE_WRITER;
import static io.chronofabric.engine.EngineTestSupport.TYPE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import io.chronofabric.engine.api.EngineStats;
import io.chronofabric.engine.api.Message;
import io.chronofabric.engine.api.MessageHandler;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.ThreadLayout;
import io.chronofabric.engine.config.WaitStrategyKind;
import io.chronofabric.engine.api.Publisher;

/**
 * Four publisher threads, each with its own {@link Publisher}, publishing at once into one engine.
 */
class ConcurrentPublishingTest
{
    private static final int PUBLISHERS = 4;
    private static final int PER_PUBLISHER = 50_000;
    private static final int TOTAL = PUBLISHERS * PER_PUBLISHER;
    private static final int FIRST_SOURCE = 100;

    @TempDir
    Path dir;

    /** What the delivery thread saw; written only by it, read after close. */
    private static final class Recorder implements MessageHandler
    {
        final long[] nextSequence = new long[PUBLISHERS];
        final long[] ids = new long[TOTAL];
        final long[] walls = new long[TOTAL];
        final int[] logicals = new int[TOTAL];
        volatile int count;
        String firstProblem;

        @Override
        public void onMessage(final Message message)
        {
            final ByteBuffer payload = message.payload();
            final int publisher = EngineTestSupport.publisherOf(payload);
            final long sequence = EngineTestSupport.sequenceOf(payload);
            final int n = count;
            if (null == firstProblem)
            {
                if (publisher < 0 || publisher >= PUBLISHERS || FIRST_SOURCE + publisher != message.source())
                {
                    firstProblem = "message " + message.id() + " from source " + message.source() +
                        " carries publisher " + publisher;
                }
                else if (sequence != nextSequence[publisher])
                {
                    firstProblem = "publisher " + publisher + ": expected sequence " + nextSequence[publisher] +
                        " but got " + sequence + " (lost, duplicated or reordered)";
                }
                else if (n >= TOTAL)
                {
                    firstProblem = "more than " + TOTAL + " messages delivered";
                }
                else if (message.type() != TYPE || 12 != payload.remaining())
                {
                    firstProblem = "message " + message.id() + " has type " + message.type() + " and " +
                        payload.remaining() + " payload bytes";
                }
            }
            if (null == firstProblem)
            {
                nextSequence[publisher]++;
                ids[n] = message.id();
                walls[n] = message.hlcWall();
                logicals[n] = message.hlcLogical();
            }
            count = n + 1;
        }
    }

    @ParameterizedTest(name = "layout {0}, wait {1}")
    @CsvSource({
        "journal+sequencer+router+delivery, SLEEPING",
        "journal|sequencer+router+delivery, BLOCKING",
        "journal|sequencer|router|delivery, SLEEPING"})
    void shouldDeliverEveryMessageOnceInPerPublisherOrderAndJournalItInHlcOrder(final String layout,
        final WaitStrategyKind wait) throws Exception
    {
        final EngineConfiguration context = EngineTestSupport.context(dir)
            .threadLayout(ThreadLayout.parse(layout))
            .waitStrategy(wait)
            .ringSize(4096).build();
        final Recorder recorder = new Recorder();
        final long[][] returnedIds = new long[PUBLISHERS][PER_PUBLISHER];
        final EngineStats stats;
        try (Engine engine = EngineTestSupport.startRunning(context))
        {
            engine.subscribe(TYPE, recorder);
            final CountDownLatch go = new CountDownLatch(1);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread[] threads = new Thread[PUBLISHERS];
            for (int p = 0; p < PUBLISHERS; p++)
            {
                final int number = p;
                final Publisher publisher = engine.newPublisher(FIRST_SOURCE + p);
                threads[p] = new Thread(() ->
                {
                    try
                    {
                        go.await();
                        final long[] data = {number, 0};
                        for (int i = 0; i < PER_PUBLISHER; i++)
                        {
                            data[1] = i;
                            returnedIds[number][i] = publisher.publish(TYPE, SEQUENCE_WRITER, data);
                        }
                    }
                    catch (final Throwable t)
                    {
                        failure.compareAndSet(null, t);
                    }
                }, "test-publisher-" + p);
                threads[p].start();
            }
            go.countDown();
            for (final Thread thread : threads)
            {
                EngineTestSupport.join(thread, 60_000);
            }
            assertNull(failure.get(), () -> "a publisher failed: " + failure.get());
            engine.close();
            stats = engine.stats();
        }

        assertNull(recorder.firstProblem, recorder.firstProblem);
        assertEquals(TOTAL, recorder.count, "delivered to the subscriber");
        for (int p = 0; p < PUBLISHERS; p++)
        {
            assertEquals(PER_PUBLISHER, recorder.nextSequence[p], "messages of publisher " + p);
        }
        assertEquals(TOTAL, stats.published());
        assertEquals(TOTAL, stats.delivered());
        assertEquals(0, stats.dropped());
        assertEquals(0, stats.rejected());
        assertEquals(0, stats.orderViolations());
        assertEquals(0, stats.handlerFailures());
        assertEquals(0, stats.unrouted());
        assertEquals(0, stats.inFlight());

        // ids: unique, and exactly those publish() returned
        final long[] delivered = recorder.ids.clone();
        Arrays.sort(delivered);
        for (int i = 1; i < TOTAL; i++)
        {
            if (delivered[i] == delivered[i - 1])
            {
                fail("id " + delivered[i] + " delivered twice");
            }
        }
        final long[] returned = Arrays.stream(returnedIds).flatMapToLong(Arrays::stream).sorted().toArray();
        assertArrayEquals(returned, delivered, "delivered ids are the ids publish returned");
        for (int p = 0; p < PUBLISHERS; p++)
        {
            for (int i = 1; i < PER_PUBLISHER; i++)
            {
                assertTrue(returnedIds[p][i] > returnedIds[p][i - 1], "ids of one publisher increase");
            }
        }

        // delivery order is HLC order
        for (int i = 1; i < TOTAL; i++)
        {
            if (HlcTimestamps.compare(recorder.walls[i], recorder.logicals[i], recorder.walls[i - 1],
                recorder.logicals[i - 1]) <= 0)
            {
                fail("delivery " + i + " is not after delivery " + (i - 1) + " in HLC order");
            }
        }

        // the journal holds every message, in delivery order, with strictly increasing HLC
        final List<MessageRecord> journal = EngineTestSupport.readJournal(context);
        assertEquals(TOTAL, journal.size(), "journaled records");
        final long[] nextSequence = new long[PUBLISHERS];
        for (int i = 0; i < TOTAL; i++)
        {
            final MessageRecord record = journal.get(i);
            assertEquals(recorder.ids[i], record.id(), "journal record " + i + " id");
            assertEquals(recorder.walls[i], record.hlcWall(), "journal record " + i + " HLC wall");
            assertEquals(recorder.logicals[i], record.hlcLogical(), "journal record " + i + " HLC logical");
            if (i > 0)
            {
                final MessageRecord previous = journal.get(i - 1);
                if (HlcTimestamps.compare(record.hlcWall(), record.hlcLogical(), previous.hlcWall(),
                    previous.hlcLogical()) <= 0)
                {
                    fail("journal record " + i + " is not after record " + (i - 1) + " in HLC order");
                }
            }
            final ByteBuffer payload = ByteBuffer.wrap(record.payload(), 0, record.payloadLength())
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            final int publisher = EngineTestSupport.publisherOf(payload);
            assertEquals(FIRST_SOURCE + publisher, record.source());
            assertEquals(TYPE, record.type());
            assertEquals(nextSequence[publisher]++, EngineTestSupport.sequenceOf(payload), "journal record " + i);
        }
    }
}
