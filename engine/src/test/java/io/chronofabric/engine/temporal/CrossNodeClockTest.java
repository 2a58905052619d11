package io.chronofabric.engine.temporal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.TemporalStats;
import io.chronofabric.engine.internal.clock.HlcTimestamps;
import io.chronofabric.engine.api.ManualWallClock;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.temporal.TemporalTestSupport.LONG_WRITER;
import static io.chronofabric.engine.temporal.TemporalTestSupport.awaitTrue;
import static io.chronofabric.engine.temporal.TemporalTestSupport.context;
import static io.chronofabric.engine.temporal.TemporalTestSupport.journal;
import static io.chronofabric.engine.temporal.TemporalTestSupport.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Messages stamped by another node: the journal stage applies the HLC receive rule, so the journaled timestamp is
 * above the remote one (and above everything before it); a remote timestamp further ahead than
 * {@code hlc.max-offset-ms} is refused at publish and counted; wall clock steps are detected and counted and never
 * move the HLC back.
 */
class CrossNodeClockTest
{
    private static final int TYPE = 5;
    private static final long MAX_OFFSET = TimeUnit.MILLISECONDS.toNanos(500);

    @TempDir
    Path dir;

    @Test
    void shouldRejectARemoteTimestampTooFarAheadAtPublishAndCountIt()
    {
        final ManualWallClock clock = new ManualWallClock(System.currentTimeMillis() * 1_000_000L);
        final EngineConfiguration context = context(dir).wallClock(clock).hlcMaxOffsetNanos(MAX_OFFSET).build();
        final List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
        final long before;
        final long after;
        final TemporalStats stats;
        try (ChronoFabric engine = ChronoFabric.start(context))
        {
            engine.subscribe(TYPE, message -> delivered.add(message.id()));
            final Publisher publisher = engine.newPublisher(1);
            before = publish(publisher, TYPE, 0);
            final long now = clock.epochNanos();
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> publisher.remoteTimestamp(2, now + MAX_OFFSET + 1, 0).publish(TYPE, LONG_WRITER, 1L));
            assertTrue(refused.getMessage().contains("hlc.max-offset-ms"), refused.getMessage());
            assertThrows(IllegalArgumentException.class,
                () -> publisher.remoteTimestamp(3, now + TimeUnit.SECONDS.toNanos(5), 7).tryPublish(TYPE, LONG_WRITER, 2L));
            after = publish(publisher, TYPE, 3);
            assertEquals(before + 1, after, "a refused remote timestamp consumes no id, and the option is reset");
            awaitTrue(() -> delivered.contains(after), () -> "delivered " + delivered);
            stats = engine.stats().temporal();
        }
        assertEquals(2, stats.clockOffsetRejections());
        assertEquals(List.of(before, after), new ArrayList<>(delivered));
        final List<MessageRecord> journaled = journal(context);
        assertEquals(2, journaled.size(), "nothing of the refused messages is journaled");
        assertEquals(0, journaled.get(1).flags() & RecordFlags.REMOTE, "the option did not leak into the next message");
    }

    @Test
    void shouldStampAnAcceptedRemoteMessageAboveItsRemoteTimestampAndKeepLaterOnesAbove()
    {
        final ManualWallClock clock = new ManualWallClock(System.currentTimeMillis() * 1_000_000L);
        final EngineConfiguration context = context(dir).wallClock(clock).hlcMaxOffsetNanos(MAX_OFFSET).build();
        final long local;
        final long remote;
        final long behind;
        final long next;
        final long remoteWall = clock.epochNanos() + MAX_OFFSET - 1_000;
        final long behindWall = clock.epochNanos() - TimeUnit.SECONDS.toNanos(1);
        try (ChronoFabric engine = ChronoFabric.start(context))
        {
            final List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
            engine.subscribe(TYPE, message -> delivered.add(message.id()));
            final Publisher publisher = engine.newPublisher(1);
            local = publish(publisher, TYPE, 0);
            remote = publisher.remoteTimestamp(7, remoteWall, 41).publish(TYPE, LONG_WRITER, 1L);
            behind = publisher.remoteTimestamp(8, behindWall, 3).publish(TYPE, LONG_WRITER, 2L);
            next = publish(publisher, TYPE, 3);
            awaitTrue(() -> delivered.contains(next), () -> "delivered " + delivered);
            assertEquals(0, engine.stats().temporal().clockOffsetRejections());
        }
        final List<MessageRecord> journaled = journal(context);
        assertEquals(4, journaled.size());
        final MessageRecord remoteRecord = journaled.get(1);
        assertEquals(remote, remoteRecord.id());
        assertEquals(7, remoteRecord.originNode());
        assertTrue(0 != (remoteRecord.flags() & RecordFlags.REMOTE));
        assertTrue(HlcTimestamps.compare(remoteRecord.hlcWall(), remoteRecord.hlcLogical(), remoteWall, 41) > 0,
            "journaled " + HlcTimestamps.format(remoteRecord.hlcWall(), remoteRecord.hlcLogical()) +
                " must be above the remote " + HlcTimestamps.format(remoteWall, 41));
        assertEquals(remoteWall + "." + 42, remoteRecord.hlcWall() + "." + remoteRecord.hlcLogical(),
            "receive rule with the remote wall ahead of both the local clock and the physical one: (lm, cm + 1)");
        for (int i = 1; i < journaled.size(); i++)
        {
            final MessageRecord previous = journaled.get(i - 1);
            final MessageRecord current = journaled.get(i);
            assertTrue(HlcTimestamps.compare(current.hlcWall(), current.hlcLogical(), previous.hlcWall(),
                previous.hlcLogical()) > 0, "journal HLC strictly increasing at " + current.id());
        }
        assertEquals(behind, journaled.get(2).id());
        assertEquals(next, journaled.get(3).id());
        assertEquals(local, journaled.get(0).id());
    }

    @Test
    void shouldCountWallClockStepsWithoutMovingTheHlcBack()
    {
        final ManualWallClock clock = new ManualWallClock(System.currentTimeMillis() * 1_000_000L);
        final EngineConfiguration context = context(dir).wallClock(clock).hlcMaxOffsetNanos(MAX_OFFSET).build();
        final TemporalStats stats;
        try (ChronoFabric engine = ChronoFabric.start(context))
        {
            final List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
            engine.subscribe(TYPE, message -> delivered.add(message.id()));
            final Publisher publisher = engine.newPublisher(1);
            publishAndAwait(publisher, delivered, 0);
            clock.advance(-TimeUnit.SECONDS.toNanos(10));
            publishAndAwait(publisher, delivered, 1);
            clock.advance(TimeUnit.SECONDS.toNanos(30));
            publishAndAwait(publisher, delivered, 2);
            publishAndAwait(publisher, delivered, 3);
            stats = engine.stats().temporal();
        }
        assertEquals(1, stats.clockJumpsBackward(), stats.toString());
        assertTrue(stats.clockJumpsForward() >= 1, stats.toString());
        final List<MessageRecord> journaled = journal(context);
        for (int i = 1; i < journaled.size(); i++)
        {
            assertTrue(HlcTimestamps.compare(journaled.get(i).hlcWall(), journaled.get(i).hlcLogical(),
                journaled.get(i - 1).hlcWall(), journaled.get(i - 1).hlcLogical()) > 0, "HLC strictly increasing");
        }
    }

    private static void publishAndAwait(final Publisher publisher, final List<Long> delivered, final long value)
    {
        final long id = publish(publisher, TYPE, value);
        awaitTrue(() -> delivered.contains(id), () -> "delivered " + delivered);
    }
}
