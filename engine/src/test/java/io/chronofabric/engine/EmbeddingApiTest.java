package io.chronofabric.engine;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.chronofabric.engine.api.ConfigurationException;
import io.chronofabric.engine.api.DeadLetter;
import io.chronofabric.engine.api.Message;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.journal.JournalCorruptionException;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.api.Subscription;
import io.chronofabric.engine.api.PayloadTooLargeException;
import io.chronofabric.journal.DeadLetterReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.EngineTestSupport.TYPE;
import static io.chronofabric.engine.EngineTestSupport.context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedding API as an application developer meets it, through the front class only: each test is one of the
 * frictions the re-layering removed, written so that it failed before.
 */
class EmbeddingApiTest
{
    private static final long WAIT_SECONDS = 10;

    @TempDir
    Path dir;

    /** What a handler saw, copied during the call. */
    private record Seen(long id, int priority, int dependencies)
    {
    }

    @Test
    void subscriptionsCarryTheIdTheirDeadLettersName() throws Exception
    {
        final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
        final List<Integer> deadSubscribers = new CopyOnWriteArrayList<>();
        try (ChronoFabric engine = ChronoFabric.start(context(dir.resolve("journal"))))
        {
            final Subscription quiet = engine.subscribe(TYPE, message -> { });
            final Subscription failing = engine.subscribe(TYPE, message ->
            {
                throw new IllegalStateException("always fails");
            }, RetryPolicy.attempts(1));
            engine.subscribeDeadLetters(deadLetter ->
            {
                deadLetters.add(deadLetter);
                deadSubscribers.add(deadLetter.subscriberId());
            });
            assertEquals(1, quiet.id());
            assertEquals(2, failing.id());

            final long id = engine.newPublisher(1).publish(TYPE, (data, payload) -> payload.putLong(data), 42L);
            awaitSettled(engine, id);
            assertEquals(List.of(failing.id()), deadSubscribers);
            assertEquals(DeadLetterReason.RETRIES_EXHAUSTED, deadLetters.get(0).reason());
        }
    }

    @Test
    void aFailedOptionResetsEveryOptionGivenBeforeIt() throws Exception
    {
        final List<Seen> seen = new CopyOnWriteArrayList<>();
        try (ChronoFabric engine = ChronoFabric.start(context(dir.resolve("journal"))))
        {
            engine.subscribe(TYPE, message -> seen.add(new Seen(message.id(), message.priority(),
                message.dependencyCount())));
            final Publisher publisher = engine.newPublisher(1);
            final long first = publisher.publish(TYPE, (data, payload) -> payload.putLong(data), 1L);

            publisher.priority(9).dependsOn(first);
            assertThrows(IllegalArgumentException.class, () -> publisher.deadlineIn(-1));
            final long afterBadDeadline = publisher.publish(TYPE, (data, payload) -> payload.putLong(data), 2L);

            publisher.dependsOn(first).deadlineIn(1_000_000_000L);
            assertThrows(IllegalArgumentException.class, () -> publisher.priority(256));
            final long afterBadPriority = publisher.publish(TYPE, (data, payload) -> payload.putLong(data), 3L);

            publisher.priority(7);
            assertThrows(IllegalArgumentException.class, () -> publisher.remoteTimestamp(0, 1, 0));
            final long afterBadRemote = publisher.publish(TYPE, (data, payload) -> payload.putLong(data), 4L);

            awaitSettled(engine, afterBadRemote);
            assertEquals(List.of(new Seen(first, 0, 0), new Seen(afterBadDeadline, 0, 0),
                new Seen(afterBadPriority, 0, 0), new Seen(afterBadRemote, 0, 0)), seen);
        }
    }

    @Test
    void nullHandlersAreRefusedWhenSubscribingNotLater() throws Exception
    {
        try (ChronoFabric engine = ChronoFabric.start(context(dir.resolve("journal"))))
        {
            assertThrows(NullPointerException.class, () -> engine.subscribe(TYPE, null));
            assertThrows(NullPointerException.class, () -> engine.subscribe(TYPE, null, RetryPolicy.attempts(1)));
            assertThrows(NullPointerException.class, () -> engine.subscribeDeadLetters(null));
            assertEquals(0, engine.stats().activeSubscriptions());
        }
    }

    @Test
    void aClosedEngineRefusesNewPublishersAndSubscriptions()
    {
        final ChronoFabric engine = ChronoFabric.start(context(dir.resolve("journal")));
        assertFalse(engine.isClosed());
        engine.close();
        assertTrue(engine.isClosed());
        assertThrows(IllegalStateException.class, () -> engine.newPublisher(1));
        assertThrows(IllegalStateException.class, () -> engine.subscribe(TYPE, message -> { }));
        assertThrows(IllegalStateException.class, () -> engine.subscribeDeadLetters(deadLetter -> { }));
    }

    @Test
    void aHandlerGetsAReadOnlyViewItCannotTurnIntoTheSlot() throws Exception
    {
        final List<String> attempts = new CopyOnWriteArrayList<>();
        final List<Long> secondSaw = new CopyOnWriteArrayList<>();
        try (ChronoFabric engine = ChronoFabric.start(context(dir.resolve("journal"))))
        {
            engine.subscribe(TYPE, message ->
            {
                try
                {
                    message.payload().putLong(0, -1L);
                    attempts.add("payload written");
                }
                catch (final ReadOnlyBufferException expected)
                {
                    attempts.add("payload read-only");
                }
                attempts.add(message.getClass().getName().contains("MessageEvent") ? "slot reachable" : "view");
            });
            engine.subscribe(TYPE, message -> secondSaw.add(message.payload().getLong(0)));
            final long id = engine.newPublisher(1).publish(TYPE, (data, payload) -> payload.putLong(data), 42L);
            awaitSettled(engine, id);
        }
        assertEquals(List.of("payload read-only", "view"), attempts);
        assertEquals(List.of(42L), secondSaw);
    }

    @Test
    void replayTakesAJournalFolderAndReturnsOnceEverythingIsSettled() throws Exception
    {
        final Path original = dir.resolve("original");
        final int messages = 200;
        try (ChronoFabric engine = ChronoFabric.start(context(original)))
        {
            final Publisher publisher = engine.newPublisher(1);
            long previous = 0;
            for (long i = 1; i <= messages; i++)
            {
                if (0 != previous && 0 == i % 3)
                {
                    publisher.dependsOn(previous);
                }
                previous = publisher.publish(TYPE, (data, payload) -> payload.putLong(data), i);
            }
        }
        final List<Long> replayed = new CopyOnWriteArrayList<>();
        try (ChronoFabric replay = ChronoFabric.start(context(dir.resolve("replay"))))
        {
            replay.subscribe(TYPE, message -> replayed.add(message.payload().getLong(0)));
            assertEquals(messages, replay.replay(original, Duration.ofSeconds(WAIT_SECONDS)));
            assertEquals(messages, replayed.size(), "every replayed message is delivered when replay returns");
            assertThrows(IllegalStateException.class, () -> replay.newPublisher(1));
        }
        for (int i = 0; i < messages; i++)
        {
            assertEquals(i + 1, replayed.get(i));
        }
    }

    /** A journal.dir that is a file is a setting refused as such, naming what is allowed (a black-box round). */
    @Test
    void aJournalDirThatIsAFileIsRefusedAsASetting() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("a-file"), "not a journal");
        final ConfigurationException refused = assertThrows(ConfigurationException.class,
            () -> ChronoFabric.start(context(file)));
        assertEquals("journal.dir=" + file + " is invalid; allowed: a folder path, or one not yet made (" + file +
            " is a file)", refused.getMessage());
        assertEquals("not a journal", Files.readString(file));
    }

    /**
     * An engine with publishers, or asked to replay its own journal, is refused whatever the journal holds: an empty
     * one too (a black-box round found both returning 0).
     */
    @Test
    void replayIsRefusedToAnEngineWithPublishersAndOfItsOwnJournalEvenWhenTheJournalIsEmpty() throws Exception
    {
        final Path empty = dir.resolve("empty");
        try (ChronoFabric engine = ChronoFabric.start(context(empty)))
        {
            assertTrue(engine.acknowledgedId() == 0, "nothing journaled");
        }
        try (ChronoFabric engine = ChronoFabric.start(context(dir.resolve("publishing"))))
        {
            engine.newPublisher(1);
            final IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> engine.replay(empty, Duration.ofSeconds(WAIT_SECONDS)));
            assertTrue(refused.getMessage().contains("publishers"), refused.getMessage());
        }
        final Path own = dir.resolve("own");
        try (ChronoFabric engine = ChronoFabric.start(context(own)))
        {
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> engine.replay(own, Duration.ofSeconds(WAIT_SECONDS)));
            assertTrue(refused.getMessage().contains("own journal"), refused.getMessage());
            assertEquals(0, engine.replay(empty, Duration.ofSeconds(WAIT_SECONDS)), "another engine's, empty");
            assertThrows(IllegalStateException.class, () -> engine.replay(empty, Duration.ofSeconds(WAIT_SECONDS)),
                "an engine replays once");
        }
    }

    /**
     * The replay's timeout bounds the whole call, feeding included (a slow handler holds the ring full), and an
     * engine replays once: a second replay of the same ids would find them settled and return before delivering.
     */
    @Test
    void replayKeepsToItsTimeoutAndIsRefusedASecondTime() throws Exception
    {
        final Path original = dir.resolve("original");
        final int messages = 2_000;
        try (ChronoFabric engine = ChronoFabric.start(context(original)))
        {
            final Publisher publisher = engine.newPublisher(1);
            for (long i = 1; i <= messages; i++)
            {
                publisher.publish(TYPE, (data, payload) -> payload.putLong(data), i);
            }
        }
        try (ChronoFabric slow = ChronoFabric.start(context(dir.resolve("slow")).ringSize(64)))
        {
            slow.subscribe(TYPE, message -> LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)));
            final long start = System.nanoTime();
            final IllegalStateException late = assertThrows(IllegalStateException.class,
                () -> slow.replay(original, Duration.ofSeconds(1)));
            final long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMillis < 1_800, "the timeout of 1 s bounds the replay, which took " + tookMillis + " ms: " +
                late.getMessage());
        }
        final List<Long> replayed = new CopyOnWriteArrayList<>();
        try (ChronoFabric replay = ChronoFabric.start(context(dir.resolve("replay"))))
        {
            replay.subscribe(TYPE, message -> replayed.add(message.id()));
            assertEquals(messages, replay.replay(original, Duration.ofSeconds(WAIT_SECONDS)));
            final IllegalStateException again = assertThrows(IllegalStateException.class,
                () -> replay.replay(original, Duration.ofSeconds(WAIT_SECONDS)));
            assertTrue(again.getMessage().contains("once"), again.getMessage());
            assertEquals(0, replay.stats().orderViolations());
            assertEquals(messages, replay.stats().published(), "a replayed message is accepted like a published one");
            assertEquals(0, replay.stats().inFlight(), "never below 0");
        }
        assertEquals(messages, replayed.size());
    }

    /**
     * A replaying engine journals nothing but settles what it replays: its folder's settlement log runs ahead of its
     * journal. An engine started there later would hand out ids the log records as settled, and a crash would lose
     * them (nothing above the watermark to recover). The start is refused, naming why, and the folder left as it was.
     */
    @Test
    void anEngineRefusesAFolderWhoseSettlementLogRunsAheadOfItsJournal() throws Exception
    {
        final Path original = dir.resolve("original");
        try (ChronoFabric engine = ChronoFabric.start(context(original)))
        {
            final Publisher publisher = engine.newPublisher(1);
            for (long i = 1; i <= 50; i++)
            {
                publisher.publish(TYPE, (data, payload) -> payload.putLong(data), i);
            }
        }
        final Path replayed = dir.resolve("replayed");
        try (ChronoFabric replay = ChronoFabric.start(context(replayed)))
        {
            replay.subscribe(TYPE, message -> { });
            assertEquals(50, replay.replay(original, Duration.ofSeconds(WAIT_SECONDS)));
        }
        final long filesBefore = countFiles(replayed);
        final JournalCorruptionException refused = assertThrows(JournalCorruptionException.class,
            () -> ChronoFabric.start(context(replayed)).close());
        assertTrue(refused.getMessage().contains("settles messages up to id 50") &&
            refused.getMessage().contains("last journaled id is 0") && refused.getMessage().contains("replay"),
            refused.getMessage());
        assertEquals(filesBefore, countFiles(replayed));
    }

    private static long countFiles(final Path folder) throws java.io.IOException
    {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(folder))
        {
            return files.count();
        }
    }

    @Test
    void replayNamesTheSettingToRaiseForARecordThatDoesNotFit() throws Exception
    {
        final Path original = dir.resolve("original");
        try (ChronoFabric engine = ChronoFabric.start(context(original).payloadCapacity(128)))
        {
            engine.newPublisher(1).publish(TYPE, (data, payload) -> payload.put(data), new byte[100]);
        }
        try (ChronoFabric replay = ChronoFabric.start(context(dir.resolve("replay")).payloadCapacity(64)))
        {
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> replay.replay(original, Duration.ofSeconds(WAIT_SECONDS)));
            assertTrue(refused.getMessage().contains("payload.capacity=64"), refused.getMessage());
        }
    }

    @Test
    void rejectedCountsEveryRefusedPublishNotOnlyOversizePayloads() throws Exception
    {
        try (ChronoFabric engine = ChronoFabric.start(context(dir.resolve("journal"))))
        {
            final Publisher publisher = engine.newPublisher(1);
            assertThrows(PayloadTooLargeException.class,
                () -> publisher.publish(TYPE, (data, payload) -> payload.put(data), new byte[65]));
            assertThrows(IllegalArgumentException.class,
                () -> publisher.dependsOn(1_000_000).publish(TYPE, (data, payload) -> payload.putLong(data), 1L));
            assertThrows(IllegalStateException.class, () -> publisher.publish(TYPE, (data, payload) ->
            {
                throw new IllegalStateException("the writer's own failure");
            }, 1L));
            assertThrows(NullPointerException.class, () -> publisher.publish(TYPE, null, 1L));
            assertEquals(4, publisher.rejected(), "a writer that throws, or none, is a publish refused whole too");
            assertEquals(4, engine.stats().rejected());
        }
    }

    @Test
    void aClosedEngineEndsItsSubscriptionsAndSaysItIsClosedForObjectsToo() throws Exception
    {
        final ChronoFabric engine = ChronoFabric.start(context(dir.resolve("journal")));
        final Subscription subscription = engine.subscribe(TYPE, message -> { });
        final Publisher publisher = engine.newPublisher(1);
        engine.close();
        assertFalse(subscription.isActive(), "nothing is delivered after close");
        assertEquals(0, engine.stats().activeSubscriptions());
        final IllegalStateException publish = assertThrows(IllegalStateException.class,
            () -> publisher.publishObject(TYPE, "x"));
        assertTrue(publish.getMessage().contains("closed"), publish.getMessage());
        final IllegalStateException subscribe = assertThrows(IllegalStateException.class,
            () -> engine.subscribeObjects(TYPE, message -> { }));
        assertTrue(subscribe.getMessage().contains("closed"), subscribe.getMessage());
    }

    private static void awaitSettled(final ChronoFabric engine, final long id) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (engine.settledWatermark() < id)
        {
            assertTrue(System.nanoTime() < deadline, "message " + id + " not settled within " + WAIT_SECONDS + " s");
            Thread.sleep(5);
        }
    }
}
