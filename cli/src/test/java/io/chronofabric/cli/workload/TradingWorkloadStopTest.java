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
    private static final double RATE = 100;
    private static final long STOP_AFTER_MILLIS = 300;

    @TempDir
    Path dir;

    /** At 1 msg/s a message's wait is a second: the stop is seen within the progress interval, inside that wait. */
    @Test
    void aSlowPacedRunStopsInsideTheWaitForItsNextMessage()
    {
        try (ChronoFabric engine = ChronoFabric.start(Profiles.builder("dev").journalDir(dir.resolve("slow"))
            .build(), starting -> { }))
        {
            final long start = System.nanoTime();
            final long stopAt = start + TimeUnit.MILLISECONDS.toNanos(STOP_AFTER_MILLIS);
            final long lastId = new TradingWorkload(engine::newPublisher, 1).publish(10, 1,
                published -> System.nanoTime() - stopAt < 0);
            final long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(1 == lastId, "only the first message, at 0 s: published up to id " + lastId);
            assertTrue(tookMillis < 800, "stopped after " + tookMillis + " ms, not at the second message's 1,000 ms");
        }
    }

    @Test
    void aPacedRunStopsWithinAFewMessagesOfBeingToldTo()
    {
        try (ChronoFabric engine = ChronoFabric.start(Profiles.builder("dev").journalDir(dir.resolve("journal"))
            .build(), starting -> { }))
        {
            final long start = System.nanoTime();
            final long stopAt = start + TimeUnit.MILLISECONDS.toNanos(STOP_AFTER_MILLIS);
            final long lastId = new TradingWorkload(engine::newPublisher, 1).publish(10_000, RATE,
                published -> System.nanoTime() - stopAt < 0);
            final long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // 100 msg/s for 300 ms: about 30 messages; one more period and the check's interval at most
            assertTrue(lastId < 60, "published up to id " + lastId + " after being told to stop at " +
                STOP_AFTER_MILLIS + " ms");
            assertTrue(tookMillis < STOP_AFTER_MILLIS + 500, "stopped after " + tookMillis + " ms");
        }
    }
}
