package io.chronofabric.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.journal.MessageRecord;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.chronofabric.engine.EngineTestSupport.SEQUENCE_WRITER;
import static io.chronofabric.engine.EngineTestSupport.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal tool's replay feeds records one at a time ({@link Engine#replay(MessageRecord)}); a close can come from
 * another thread meanwhile. A replay that returns normally has its message fed and delivered, and one waiting on a
 * full ring when the engine closes ends with an exception. Before, a replay that passed the closed check as the close
 * drained claimed its slot after the pipeline stopped and returned as if fed (nothing delivered it), and one waiting
 * on a full ring of a closed engine took the slot the halted pipeline freed and returned as if fed: the close did not
 * wait for replays as it does for publishes, and the wait did not look at the engine's state.
 */
class CloseRacesReplayTest
{
    private static final int RECORDS = 3_000;

    @Property(tries = 30, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void everyReplayThatReturnedIsDeliveredAfterARacingClose(
        @ForAll @IntRange(min = 0, max = 3_000) final int closeAfterMicros) throws Exception
    {
        final Path dir = Files.createTempDirectory("close-race-replay");
        try
        {
            final List<MessageRecord> records = journal(dir.resolve("original"));
            final Engine engine = Engine.start(EngineTestSupport.context(dir.resolve("replay")).build());
            final Set<Long> delivered = ConcurrentHashMap.newKeySet();
            engine.subscribe(TYPE, message -> delivered.add(message.id()));
            final ConcurrentLinkedQueue<Long> returned = new ConcurrentLinkedQueue<>();
            final CountDownLatch going = new CountDownLatch(1);
            final Thread replayer = new Thread(() -> replayUntilRefused(engine, records, returned, going), "replayer");
            replayer.start();
            going.await();
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(closeAfterMicros));
            engine.close();
            EngineTestSupport.join(replayer, 10_000);

            final List<Long> lost = returned.stream().filter(id -> !delivered.contains(id)).toList();
            assertTrue(lost.isEmpty(), "close after " + closeAfterMicros + " us: replays that returned but were not " +
                "delivered: " + lost);
            assertEquals(engine.stats().published(), engine.stats().delivered() + engine.stats().dropped(),
                "replayed = delivered + dropped");
        }
        finally
        {
            EngineTestSupport.deleteQuietly(dir);
        }
    }

    @Test
    @Timeout(60)
    void aReplayWaitingOnAFullRingEndsWhenTheEngineCloses() throws Exception
    {
        final Path dir = Files.createTempDirectory("close-full-replay");
        try
        {
            final List<MessageRecord> records = journal(dir.resolve("original"));
            final EngineConfiguration context = EngineTestSupport.context(dir.resolve("replay")).ringSize(64)
                .set("close.drain-timeout-ms", "500").build();
            final Engine engine = Engine.start(context);
            final CountDownLatch handlerMayReturn = new CountDownLatch(1);
            engine.subscribe(TYPE, message -> awaitQuietly(handlerMayReturn));
            final AtomicReference<RuntimeException> ended = new AtomicReference<>();
            final AtomicLong returned = new AtomicLong();
            final Thread replayer = new Thread(() ->
            {
                try
                {
                    for (final MessageRecord record : records)
                    {
                        engine.replay(record);
                        returned.incrementAndGet();
                    }
                }
                catch (final RuntimeException ex)
                {
                    ended.set(ex);
                }
            }, "replayer");
            replayer.start();
            while (Thread.State.TIMED_WAITING != replayer.getState() && Thread.State.WAITING != replayer.getState())
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200)); // the ring is full: the handler holds it
            final long beforeClose = returned.get();
            engine.close(); // its drain runs out of time: the handler still holds the ring
            handlerMayReturn.countDown();
            replayer.join(10_000);

            assertFalse(replayer.isAlive(), "a replay waiting on the full ring of a closed engine waits for good");
            assertInstanceOf(IllegalStateException.class, ended.get(), "the waiting replay ends with an exception");
            assertEquals(beforeClose, returned.get(), "no replay returns as if fed once the engine closed: the " +
                "pipeline halted, nothing delivers it");
        }
        finally
        {
            EngineTestSupport.deleteQuietly(dir);
        }
    }

    /**
     * The same for a whole journal's replay: it ends with the engine closed, not when its own timeout runs out. (A
     * guard: this passed before too, since the drain freed slots and the next record's closed check threw; the close
     * now also waits for the record being fed, as for {@link Engine#replay(MessageRecord)}.)
     */
    @Test
    @Timeout(120)
    void aJournalReplayWaitingOnAFullRingEndsWhenTheEngineCloses() throws Exception
    {
        final Path dir = Files.createTempDirectory("close-journal-replay");
        try
        {
            journal(dir.resolve("original"));
            final Engine engine = Engine.start(EngineTestSupport.context(dir.resolve("replay")).ringSize(64).build());
            engine.subscribe(TYPE, message -> LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)));
            final AtomicReference<RuntimeException> ended = new AtomicReference<>();
            final Thread replayer = new Thread(() ->
            {
                try
                {
                    engine.replayJournal(dir.resolve("original"), Duration.ofSeconds(60));
                }
                catch (final RuntimeException ex)
                {
                    ended.set(ex);
                }
            }, "replayer");
            replayer.start();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
            engine.close();
            final long closed = System.nanoTime();
            replayer.join(30_000);
            final long endedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed);

            assertFalse(replayer.isAlive(), "the replay is still waiting");
            assertTrue(endedMillis < 10_000, "the replay ended " + endedMillis + " ms after the close");
            assertInstanceOf(IllegalStateException.class, ended.get());
            assertTrue(ended.get().getMessage().contains("closed"), ended.get().getMessage());
        }
        finally
        {
            EngineTestSupport.deleteQuietly(dir);
        }
    }

    private static List<MessageRecord> journal(final Path original)
    {
        final EngineConfiguration context = EngineTestSupport.context(original).build();
        try (ChronoFabric engine = ChronoFabric.start(context))
        {
            final Publisher publisher = engine.newPublisher(1);
            final long[] data = {1, 0};
            for (int i = 0; i < RECORDS; i++)
            {
                data[1]++;
                publisher.publish(TYPE, SEQUENCE_WRITER, data);
            }
        }
        return EngineTestSupport.readJournal(context);
    }

    private static void replayUntilRefused(final Engine engine, final List<MessageRecord> records,
        final ConcurrentLinkedQueue<Long> returned, final CountDownLatch going)
    {
        going.countDown();
        for (final MessageRecord record : records)
        {
            try
            {
                engine.replay(record);
                returned.add(record.id());
            }
            catch (final IllegalStateException closed)
            {
                return;
            }
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
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
