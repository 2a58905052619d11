package io.chronofabric.cli.workload;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.Profiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A paced run stops publishing soon after it is told to (its node stopped), not at the next 1024th message: at a
 * low rate that was minutes of publishing into a journal no peer would take (a black-box round: a refused node said
 * it stopped, then published until its 1,025th message, 26 s at 40 msg/s).
 */
class TradingWorkloadStopTest
{
    private static final long STOP_AFTER_MILLIS = 300;

    @TempDir
    Path dir;

    @Test
    void aPacedRunStopsWithinAFewMessagesOfBeingToldTo()
    {
        final Stopped stopped = publishUntilToldToStop(100, 10_000);
        // 100 msg/s for 300 ms: about 30 messages; one more period and the check's interval at most
        assertTrue(stopped.lastId < 60, "published up to id " + stopped.lastId + " after being told to stop at " +
            STOP_AFTER_MILLIS + " ms");
        assertTrue(stopped.tookMillis < STOP_AFTER_MILLIS + 500, "stopped after " + stopped.tookMillis + " ms");
    }

    /** At 1 msg/s a message's wait is a second: the stop is seen within the progress interval, inside that wait. */
    @Test
    void aSlowPacedRunStopsInsideTheWaitForItsNextMessage()
    {
        final Stopped stopped = publishUntilToldToStop(1, 10);
        assertTrue(1 == stopped.lastId, "only the first message, at 0 s: published up to id " + stopped.lastId);
        assertTrue(stopped.tookMillis < 800, "stopped after " + stopped.tookMillis + " ms, not at the second " +
            "message's 1,000 ms");
    }

    private record Stopped(long lastId, long tookMillis)
    {
    }

    /** Publishes at {@code rate}, told to stop {@value #STOP_AFTER_MILLIS} ms after the start. */
    private Stopped publishUntilToldToStop(final double rate, final long messages)
    {
        try (ChronoFabric engine = ChronoFabric.start(Profiles.builder("dev").journalDir(dir.resolve("journal"))
            .build(), starting -> { }))
        {
            final long start = System.nanoTime();
            final long stopAt = start + TimeUnit.MILLISECONDS.toNanos(STOP_AFTER_MILLIS);
            final long lastId = new TradingWorkload(engine::newPublisher, 1).publish(messages, rate,
                published -> System.nanoTime() - stopAt < 0);
            return new Stopped(lastId, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
    }
}
