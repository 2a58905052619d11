package io.chronofabric.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;

import io.chronofabric.engine.api.EngineFailedException;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.api.SystemWallClock;
import io.chronofabric.engine.api.WallClock;
import io.chronofabric.engine.config.ThreadLayout;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;

import static io.chronofabric.engine.EngineTestSupport.SEQUENCE_WRITER;
import static io.chronofabric.engine.EngineTestSupport.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stage that fails in a way other than a journal write (here: the application's wall clock throws, read on the
 * journal thread to stamp the HLC, or on the delivery thread to stamp a dead letter) stops the engine; the promise
 * kept is the journal's: every message acknowledged before or as the engine stopped is delivered (or dead-lettered)
 * by this engine or, when it could not, by the next one started on the journal, and nothing is delivered that was
 * never acknowledged. Checked at a random point of failure, in the fused layout and with the journal on its own
 * thread; jqwik prints the seed of a failing try.
 */
class StageFailureTest
{
    private static final int MESSAGES = 300;
    private static final int EVERY_NTH_FAILS_FOR_GOOD = 5;
    private static final String[] LAYOUTS = {"journal+sequencer+router+delivery", "journal|sequencer+router+delivery"};

    @Property(tries = 12, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void noAcknowledgedMessageIsLostWhenAStageFails(@ForAll @IntRange(min = 0, max = 1) final int layout,
        @ForAll final boolean onTheDeliveryThread, @ForAll @IntRange(min = 1, max = 240) final int failingRead)
        throws Exception
    {
        final Path dir = Files.createTempDirectory("stage-failure");
        try
        {
            check(dir.resolve("journal"), layout, onTheDeliveryThread, failingRead);
        }
        finally
        {
            EngineTestSupport.deleteQuietly(dir);
        }
    }

    private static void check(final Path journal, final int layout, final boolean onTheDeliveryThread,
        final int failingRead) throws Exception
    {
        final String thread = onTheDeliveryThread ? "delivery" : "journal";
        final int read = onTheDeliveryThread ? 1 + failingRead % (MESSAGES / EVERY_NTH_FAILS_FOR_GOOD - 5) :
            failingRead;
        final String what = "layout " + LAYOUTS[layout] + ", clock fails at read " + read + " on the " + thread +
            " thread";
        final Run first = run(journal, LAYOUTS[layout], new FailingClock(thread, read), MESSAGES);
        assertNotNull(first.failure, what + ": the engine did not fail");
        final Run second = run(journal, LAYOUTS[layout], SystemWallClock.INSTANCE, 0);
        final Run third = run(journal, LAYOUTS[layout], SystemWallClock.INSTANCE, 0);

        final List<Long> lost = new ArrayList<>();
        for (final long id : first.published)
        {
            if (id <= first.acknowledged && !first.ended.contains(id) && !second.ended.contains(id))
            {
                lost.add(id);
            }
        }
        assertTrue(lost.isEmpty(), () -> what + ": acknowledged (up to " + first.acknowledged + ") but never " +
            "delivered nor dead-lettered: " + lost + "; failure " + first.failure);
        for (final long id : first.ended)
        {
            assertTrue(id <= first.acknowledged, () -> what + ": delivered " + id + " above the acknowledged id " +
                first.acknowledged);
        }
        assertEquals(0, third.recovered, what + ": a start after the recovering engine's clean close recovered " +
            "messages again");
    }

    /**
     * A wall clock that stays broken fails the engine once; its idle ticks meet the broken clock again and again: the
     * log keeps to a few lines, and stats and close still work (close threw the clock's exception, and every idle tick
     * logged a stack trace: 2,800 in five seconds; a black-box helper's findings).
     */
    @Example
    void aWallClockThatStaysBrokenFailsTheEngineOnceWithoutFloodingTheLogOrBreakingClose() throws Exception
    {
        final Path dir = Files.createTempDirectory("stage-failure");
        final AtomicInteger reads = new AtomicInteger();
        final WallClock broken = () ->
        {
            if (reads.incrementAndGet() > 50)
            {
                throw new IllegalStateException("clock broken at read " + reads.get());
            }
            return SystemWallClock.INSTANCE.epochNanos();
        };
        try (CapturedLog log = new CapturedLog("StageExceptionHandler"))
        {
            final ChronoFabric engine = ChronoFabric.start(EngineTestSupport.context(dir.resolve("journal"))
                .set("journal.min-free-bytes", "0").wallClock(broken), e -> e.subscribe(TYPE, message -> { }));
            final Publisher publisher = engine.newPublisher(1);
            try
            {
                for (long i = 0; i < 200 && null == engine.failure(); i++)
                {
                    publisher.publish(TYPE, SEQUENCE_WRITER, new long[] {1, i});
                }
                Thread.sleep(1_000); // hundreds of idle ticks
                assertNotNull(engine.failure());
                assertNotNull(engine.stats().temporal(), "stats read the clock");
            }
            finally
            {
                engine.close();
            }
            assertTrue(reads.get() > 100, "the idle ticks read the broken clock: " + reads.get());
            assertTrue(log.lines().size() <= 11, "stage failures logged: " + log.lines().size());
        }
        finally
        {
            EngineTestSupport.deleteQuietly(dir);
        }
    }

    /**
     * A wall clock that fails from the first read: start throws, naming the clock and with its failure as the cause,
     * rather than returning an engine that has already failed; and it leaves the journal folder free for a start with
     * a working clock.
     */
    @Example
    void aWallClockThatFailsAtStartMakesStartThrowNamingIt() throws Exception
    {
        final Path dir = Files.createTempDirectory("stage-failure");
        final IllegalStateException dead = new IllegalStateException("no time source");
        final WallClock broken = () ->
        {
            throw dead;
        };
        try
        {
            final IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> ChronoFabric.start(
                EngineTestSupport.context(dir.resolve("journal")).wallClock(broken)).close());
            assertSame(dead, thrown.getCause());
            assertTrue(thrown.getMessage().contains("wall clock"), thrown.getMessage());
            try (ChronoFabric engine = ChronoFabric.start(EngineTestSupport.context(dir.resolve("journal"))))
            {
                assertEquals(null, engine.failure());
            }
        }
        finally
        {
            EngineTestSupport.deleteQuietly(dir);
        }
    }

    private static Run run(final Path journal, final String layout, final WallClock clock, final int messages)
        throws Exception
    {
        final Run run = new Run();
        final ChronoFabric engine = ChronoFabric.start(EngineTestSupport.context(journal)
            .threadLayout(ThreadLayout.parse(layout))
            .set("journal.min-free-bytes", "0")
            .wallClock(clock), e ->
        {
            e.subscribe(TYPE, message ->
            {
                final long id = message.id();
                if (0 == id % EVERY_NTH_FAILS_FOR_GOOD)
                {
                    throw new IllegalStateException("fails for good: " + id);
                }
                run.ended.add(id);
            }, RetryPolicy.attempts(1));
            e.subscribeDeadLetters(dead -> run.ended.add(dead.message().id()));
        });
        try
        {
            run.recovered = engine.recoveredMessages();
            final Publisher publisher = engine.newPublisher(1);
            final long[] data = {1, 0};
            for (int i = 0; i < messages; i++)
            {
                data[1] = i;
                try
                {
                    run.published.add(publisher.publish(TYPE, SEQUENCE_WRITER, data));
                }
                catch (final EngineFailedException ex)
                {
                    break;
                }
                if (0 == i % 50)
                {
                    Thread.sleep(2);
                }
            }
        }
        finally
        {
            engine.close();
        }
        run.failure = engine.failure();
        run.acknowledged = engine.acknowledgedId();
        return run;
    }

    private static final class Run
    {
        final List<Long> published = new ArrayList<>();
        final Set<Long> ended = new ConcurrentSkipListSet<>();
        long recovered;
        long acknowledged;
        Throwable failure;
    }

    /** The system clock, until its {@code failAt}-th read on a pipeline thread whose name holds {@code stage}. */
    private static final class FailingClock implements WallClock
    {
        private final String stage;
        private final int failAt;
        private final AtomicInteger reads = new AtomicInteger();

        FailingClock(final String stage, final int failAt)
        {
            this.stage = stage;
            this.failAt = failAt;
        }

        @Override
        public long epochNanos()
        {
            final String name = Thread.currentThread().getName();
            if (name.startsWith("cf-") && name.contains(stage) && reads.incrementAndGet() == failAt)
            {
                throw new IllegalStateException("injected clock failure at read " + failAt);
            }
            return SystemWallClock.INSTANCE.epochNanos();
        }
    }
}
