package io.chronofabric.engine.temporal;

import io.chronofabric.engine.internal.Engine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.HoldOverflowPolicy;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.TemporalStats;
import io.chronofabric.engine.api.ManualWallClock;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.MessageRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.temporal.TemporalTestSupport.LONG_WRITER;
import static io.chronofabric.engine.temporal.TemporalTestSupport.awaitTrue;
import static io.chronofabric.engine.temporal.TemporalTestSupport.context;
import static io.chronofabric.engine.temporal.TemporalTestSupport.journal;
import static io.chronofabric.engine.temporal.TemporalTestSupport.publish;
import static io.chronofabric.engine.temporal.TemporalTestSupport.publishGap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hold buffer's bound as publishers see it, end to end: under {@code reject-new} publishes that declare
 * dependencies are refused while the buffer is full ({@link Publisher#HOLD_FULL} from {@code tryPublish}, an exception
 * from {@code publish}) while publishes without dependencies go through, and a burst accepted while the sequencer is
 * busy is never dead-lettered for overflow. The wall clock is moved by hand so that no hold timeout interferes. How the
 * sequencer keeps the bound ({@code dead-letter-oldest}, the reservations) is driven on the test thread in
 * {@code io.chronofabric.engine.internal.sequencing.TemporalSequencerCapacityTest}.
 */
class HoldCapacityTest
{
    private static final int TYPE = 2;
    private static final long HOLD_TIMEOUT_NANOS = 1_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void shouldRefusePublishesWithDependenciesWhileFullUnderRejectNewAndAcceptThemAgainOnceThereIsRoom()
    {
        final int capacity = 4;
        final ManualWallClock clock = new ManualWallClock(System.currentTimeMillis() * 1_000_000L);
        final EngineConfiguration context = context(dir).wallClock(clock).holdCapacity(capacity)
            .holdOverflow(HoldOverflowPolicy.REJECT_NEW).holdTimeoutNanos(HOLD_TIMEOUT_NANOS).build();
        final Map<Long, DeadLetterReason> dead = new ConcurrentHashMap<>();
        final List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
        final long first;
        final long independent;
        final long afterRoom;
        try (Engine engine = Engine.start(context))
        {
            engine.subscribe(TYPE, message -> delivered.add(message.id()));
            engine.subscribeDeadLetters(letter -> dead.put(letter.message().id(), letter.reason()));
            final Publisher publisher = engine.newPublisher(1);
            first = publish(publisher, TYPE, 0);
            final long gap = publishGap(publisher, TYPE, first);
            long last = gap;
            for (int i = 0; i < capacity; i++)
            {
                last = publisher.dependsOn(gap).tryPublish(TYPE, LONG_WRITER, (long)i);
                assertTrue(last > 0, "room for held message " + i + ": " + last);
            }
            awaitTrue(() -> engine.temporal().isHoldFull(), () -> "held now " + engine.temporal().held());
            assertEquals(capacity, engine.stats().temporal().heldNow());

            assertEquals(Publisher.HOLD_FULL, publisher.dependsOn(gap).tryPublish(TYPE, LONG_WRITER, 10L));
            assertEquals(Publisher.HOLD_FULL, publisher.priority(9).dependsOn(first).tryPublish(TYPE, LONG_WRITER, 11L),
                "every publish declaring a dependency is refused while full, even one on a delivered message");
            final IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> publisher.dependsOn(gap).publish(TYPE, LONG_WRITER, 12L));
            assertTrue(refused.getMessage().contains("hold.capacity") && refused.getMessage().contains("reject-new"),
                refused.getMessage());
            assertEquals(4, engine.stats().rejected(), "the refusals are counted: the gap's and the three above");

            independent = publisher.tryPublish(TYPE, LONG_WRITER, 13L);
            assertEquals(last + 1, independent, "refusals consumed no id; a publish without dependencies goes through");
            awaitTrue(() -> delivered.contains(independent), () -> "delivered " + delivered);
            assertEquals(capacity, engine.temporal().held(), "still full");
            assertTrue(dead.isEmpty(), "refused publishes are not dead letters: " + dead);

            clock.advance(2 * HOLD_TIMEOUT_NANOS);
            awaitTrue(() -> !engine.temporal().isHoldFull() && capacity == dead.size(),
                () -> "held now " + engine.temporal().held() + ", dead " + dead);
            afterRoom = publisher.dependsOn(first).tryPublish(TYPE, LONG_WRITER, 14L);
            assertEquals(independent + 1, afterRoom);
            awaitTrue(() -> delivered.contains(afterRoom), () -> "delivered " + delivered);
            assertEquals(0, engine.stats().temporal().deadLetters().get(DeadLetterReason.HOLD_OVERFLOW));
        }
        assertEquals(List.of(first, independent, afterRoom), new ArrayList<>(delivered));
        assertTrue(dead.values().stream().allMatch(DeadLetterReason.DEPENDENCY_TIMEOUT::equals), dead.toString());
        final MessageRecord journaled = journal(context).stream().filter(r -> r.id() == independent).findFirst()
            .orElseThrow();
        assertEquals(0, journaled.dependencyCount(), "a refusal resets the options: nothing leaks into the next message");
        assertEquals(0, journaled.priority(), "a refusal resets the options: nothing leaks into the next message");
    }

    /**
     * Under {@code reject-new} a publish that declares dependencies is either refused or accepted; an accepted one
     * must not then be dead-lettered for overflow. A burst published while the sequencer is busy (here: held in a
     * gate) is accepted whole, because the publisher only sees the buffer's state as of the sequencer's last message.
     */
    @Test
    void shouldNotDeadLetterAcceptedPublishesForOverflowUnderRejectNew()
    {
        final int capacity = 4;
        final ManualWallClock clock = new ManualWallClock(System.currentTimeMillis() * 1_000_000L);
        final EngineConfiguration context = context(dir).wallClock(clock).holdCapacity(capacity)
            .holdOverflow(HoldOverflowPolicy.REJECT_NEW).holdTimeoutNanos(HOLD_TIMEOUT_NANOS).build();
        final Map<Long, DeadLetterReason> dead = new ConcurrentHashMap<>();
        final List<Long> accepted = new ArrayList<>();
        int refused = 0;
        try (Engine engine = Engine.start(context))
        {
            final TemporalTestSupport.Gate gate = new TemporalTestSupport.Gate();
            engine.subscribe(TYPE + 1, gate);
            engine.subscribeDeadLetters(letter -> dead.put(letter.message().id(), letter.reason()));
            final Publisher publisher = engine.newPublisher(1);
            final long first = publish(publisher, TYPE, 0);
            final long gap = publishGap(publisher, TYPE, first);
            try
            {
                publish(publisher, TYPE + 1, 0);
                gate.awaitClosedOnPipeline();
                for (int i = 0; i < 3 * capacity; i++)
                {
                    final long id = publisher.dependsOn(gap).tryPublish(TYPE, LONG_WRITER, (long)i);
                    if (id > 0)
                    {
                        accepted.add(id);
                    }
                    else
                    {
                        refused++;
                    }
                }
            }
            finally
            {
                gate.open();
            }
            final int expectedHeld = Math.min(capacity, accepted.size());
            awaitTrue(() -> expectedHeld == engine.temporal().held() && accepted.size() - expectedHeld <= dead.size(),
                () -> "held now " + engine.temporal().held() + ", dead " + dead);
        }
        assertEquals(0, dead.values().stream().filter(DeadLetterReason.HOLD_OVERFLOW::equals).count(),
            "reject-new accepted " + accepted.size() + " publishes with dependencies (refused " + refused +
                ") into a hold buffer of " + capacity + ", then dead-lettered the excess for overflow: " + dead);
    }
}
