package io.chronofabric.engine.temporal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.chronofabric.engine.internal.Engine;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.journal.MessageRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.temporal.TemporalTestSupport.LONG_WRITER;
import static io.chronofabric.engine.temporal.TemporalTestSupport.context;
import static io.chronofabric.engine.temporal.TemporalTestSupport.journal;
import static io.chronofabric.engine.temporal.TemporalTestSupport.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A journal replayed long after it was written: its records' HLC times are far behind today's clock, so a replay
 * that timed holds out against the wall clock would dead-let messages the original run delivered.
 */
class ReplayOfAnOldJournalTest
{
    private static final int TICK = 1;
    private static final int SIGNAL = 2;
    private static final int ORDER = 3;

    @TempDir
    Path dir;

    @Test
    void shouldReplayAJournalOlderThanTheHoldTimeoutInTheOriginalOrder()
    {
        final EngineConfiguration live = context(dir.resolve("live")).holdTimeoutNanos(50_000_000L).build();
        final List<Long> original = Collections.synchronizedList(new ArrayList<>());
        try (Engine engine = Engine.start(live))
        {
            for (final int type : new int[] {TICK, SIGNAL, ORDER})
            {
                engine.subscribe(type, message -> original.add(message.id()));
            }
            final Publisher publisher = engine.newPublisher(1);
            for (long i = 0; i < 2_000; i++)
            {
                // a chain per round, the order depending on the signal while the signal still waits for its tick
                final long tick = publisher.publish(TICK, LONG_WRITER, i);
                final long signal = publisher.priority(100).dependsOn(tick).publish(SIGNAL, LONG_WRITER, i);
                publisher.priority(200).dependsOn(signal).publish(ORDER, LONG_WRITER, i);
            }
        }
        sleep(200);

        final List<Long> replayed = Collections.synchronizedList(new ArrayList<>());
        final List<Long> dead = Collections.synchronizedList(new ArrayList<>());
        try (Engine engine = Engine.start(context(dir.resolve("replay")).holdTimeoutNanos(50_000_000L)))
        {
            for (final int type : new int[] {TICK, SIGNAL, ORDER})
            {
                engine.subscribe(type, message -> replayed.add(message.id()));
            }
            engine.subscribeDeadLetters(letter -> dead.add(letter.message().id()));
            for (final MessageRecord record : journal(live))
            {
                engine.replay(record);
                if (0 == record.id() % 500)
                {
                    sleep(5);
                }
            }
        }
        assertEquals(List.of(), dead, "nothing the original run delivered is dead-lettered on replay");
        assertEquals(original, replayed, "the replay delivers in the original order");
    }
}
