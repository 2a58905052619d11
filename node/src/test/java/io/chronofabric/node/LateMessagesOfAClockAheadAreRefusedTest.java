package io.chronofabric.node;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.SystemWallClock;
import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node whose clock runs twice hlc.max-offset-ms ahead has every message refused, also those that arrive late
 * (published before this node listened, so that by the time they arrive their timestamps are no longer that far
 * ahead of this node's clock), and this node's HLC does not move: the peer's clock, measured by the pings, is what
 * is judged, not only each message's age. Before, such late messages were journaled and moved the HLC.
 */
class LateMessagesOfAClockAheadAreRefusedTest
{
    private static final int MESSAGES = 40;
    private static final long AHEAD_NANOS = 1_000_000_000L;

    @TempDir
    Path tmp;

    @Test
    void shouldRefuseEveryMessageOfAPeerWhoseClockIsFarAheadEvenWhenTheyArriveLate() throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        final Map<String, String> settings = Map.of("hlc.max-offset-ms", "500");
        try (Engine fast = InProcessNodes.engine(tmp, "journal-2", 2, settings,
                () -> SystemWallClock.INSTANCE.epochNanos() + AHEAD_NANOS, new ConcurrentHashMap<>());
             Node node2 = InProcessNodes.node(tmp, fast, port2, 1, port1))
        {
            final Publisher publisher = fast.newPublisher(7);
            long last = 0;
            for (int i = 0; i < MESSAGES; i++)
            {
                last = publisher.publish(InProcessNodes.TYPE, (value, buffer) -> buffer.putLong(value), (long)i);
            }
            node2.endOfStream(last);
            // by the time node 1 listens, these timestamps are less than hlc.max-offset-ms ahead of its clock
            Thread.sleep(900);
            try (Engine engine1 = InProcessNodes.engine(tmp, "journal-1", 1, settings, null,
                    new ConcurrentHashMap<>());
                 Node node1 = InProcessNodes.node(tmp, engine1, port1, 2, port2))
            {
                assertTrue(InProcessNodes.await(() ->
                {
                    final PeerStatus seen = InProcessNodes.peer(node1, 2);
                    return seen.received() + seen.clockRejections() >= MESSAGES;
                }, 20_000), () -> "node 1 did not account for node 2's messages: " + InProcessNodes.peer(node1, 2));
                final PeerStatus seen = InProcessNodes.peer(node1, 2);
                assertEquals(0, seen.received(), () -> "journaled from a clock 2x max offset ahead: " + seen);
                assertEquals(MESSAGES, seen.clockRejections(), seen::toString);
                assertEquals(MESSAGES, engine1.clockOffsetRejections(), "counted by the engine as well");
                final long ownHlc = engine1.hlcStampedWall();
                assertTrue(ownHlc <= SystemWallClock.INSTANCE.epochNanos() + 100_000_000L,
                    () -> "node 1's HLC moved ahead by " + (ownHlc - SystemWallClock.INSTANCE.epochNanos()) + " ns");
            }
        }
    }
}
