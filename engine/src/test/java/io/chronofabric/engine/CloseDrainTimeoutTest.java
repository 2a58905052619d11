package io.chronofabric.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.config.Profiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A close whose drain runs out of time (retries of a subscriber that always fails, each up to its policy's 5 s, one
 * message after another: longer than the engine's drain limit) leaves the messages it did not finish unsettled, so the
 * next start delivers them again. Ending the subscriptions at close made the retries still queued count as settled
 * without being delivered or dead-lettered: a restart recovered none of them (a black-box helper's finding).
 */
class CloseDrainTimeoutTest
{
    private static final int TYPE = 1;
    private static final int MESSAGES = 10;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void messagesACloseCouldNotFinishAreDeliveredAgainOnTheNextStart()
    {
        final ChronoFabric first = ChronoFabric.start(Profiles.builder("dev").journalDir(dir), engine ->
            engine.subscribe(TYPE, message ->
            {
                throw new IllegalStateException("always");
            }, new RetryPolicy(1_000, TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.MILLISECONDS.toNanos(100),
                TimeUnit.SECONDS.toNanos(5), 10_000)));
        final Publisher publisher = first.newPublisher(1);
        for (long i = 1; i <= MESSAGES; i++)
        {
            publisher.publish(TYPE, (value, payload) -> payload.putLong(value), i);
        }
        first.close();
        final long settled = first.settledWatermark();
        assertTrue(settled < MESSAGES, "the drain ran out of time before the last retry: settled up to " + settled);

        // the halted thread may still finish a retry meanwhile (it keeps running), so not exactly MESSAGES - settled
        final List<Long> delivered = new CopyOnWriteArrayList<>();
        final long recovered;
        try (ChronoFabric second = ChronoFabric.start(Profiles.builder("dev").journalDir(dir), engine ->
            engine.subscribe(TYPE, message -> delivered.add(message.id()))))
        {
            recovered = second.recoveredMessages();
            assertTrue(recovered > 0, "what the first close did not finish is delivered again: recovered " + recovered);
        }
        assertEquals(recovered, delivered.size(), delivered::toString);
        assertEquals(MESSAGES, delivered.get(delivered.size() - 1), "the last one among them");
    }
}
