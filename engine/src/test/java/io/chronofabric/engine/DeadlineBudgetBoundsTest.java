package io.chronofabric.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.EngineTestSupport.SEQUENCE_WRITER;
import static io.chronofabric.engine.EngineTestSupport.TYPE;
import static io.chronofabric.engine.EngineTestSupport.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deadline budget too long for the clocks' sums is refused at the call; the longest allowed gives a deadline in the
 * future. {@code deadlineIn(Long.MAX_VALUE)} was accepted, overflowed, and the message expired at once with a negative
 * deadline (a black-box helper's finding).
 */
class DeadlineBudgetBoundsTest
{
    @TempDir
    Path dir;

    @Test
    void aBudgetBeyondTheMostIsRefusedAndTheMostGivesADeadlineInTheFuture()
    {
        final List<Long> deadlines = new CopyOnWriteArrayList<>();
        try (Engine engine = EngineTestSupport.startRunning(EngineTestSupport.context(dir)
            .set("deadline.policy", "expire").build()))
        {
            engine.subscribe(TYPE, message -> deadlines.add(message.deadlineEpochNanos()));
            final Publisher publisher = engine.newPublisher(1);
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> publisher.deadlineIn(Long.MAX_VALUE));
            assertTrue(refused.getMessage().contains(String.valueOf(Publisher.MAX_DEADLINE_NANOS)),
                refused::getMessage);
            publisher.deadlineIn(Publisher.MAX_DEADLINE_NANOS).publish(TYPE, SEQUENCE_WRITER, new long[] {1, 1});
            awaitTrue(() -> 1 == deadlines.size(), 10_000, () -> "not delivered (expired?)");
            assertTrue(deadlines.get(0) > System.currentTimeMillis() * 1_000_000L, "deadline " + deadlines.get(0));
            assertEquals(0, engine.stats().temporal().expired());
        }
    }
}
