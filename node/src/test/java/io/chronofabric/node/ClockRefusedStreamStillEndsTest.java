package io.chronofabric.node;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.SystemWallClock;
import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node whose messages every peer refuses for their clock still publishes its whole stream under
 * peer.lag-policy=block: peers acknowledge refused messages as accounted for, so its lag does not grow by them.
 */
class ClockRefusedStreamStillEndsTest
{
    private static final int MESSAGES = 400;

    @TempDir
    Path tmp;

    @Test
    void aNodeWhoseMessagesAreAllRefusedForTheirClockCanStillPublishItsStream() throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        final Map<String, String> settings = Map.of("peer.max-lag", "100", "hlc.max-offset-ms", "500");
        try (Engine engine1 = InProcessNodes.engine(tmp, "journal-1", 1, settings, null, new ConcurrentHashMap<>());
             Engine fast = InProcessNodes.engine(tmp, "journal-2", 2, settings,
                 () -> SystemWallClock.INSTANCE.epochNanos() + 1_000_000_000L, new ConcurrentHashMap<>());
             Node node1 = InProcessNodes.node(tmp, engine1, port1, 2, port2);
             Node node2 = InProcessNodes.node(tmp, fast, port2, 1, port1))
        {
            final AtomicLong published = new AtomicLong();
            final Thread publisher = new Thread(() ->
            {
                final Publisher p = fast.newPublisher(7);
                try
                {
                    for (int i = 0; i < MESSAGES; i++)
                    {
                        p.publish(InProcessNodes.TYPE, (value, buffer) -> buffer.putLong(value), (long)i);
                        published.incrementAndGet();
                        Thread.sleep(2);
                    }
                }
                catch (final InterruptedException | RuntimeException ended)
                {
                    // the engine closed under a paused publisher at the end of the test
                }
            }, "fast-publisher");
            publisher.start();
            publisher.join(20_000);
            final boolean finished = !publisher.isAlive();
            final String seen = "fast node published " + published.get() + " of " + MESSAGES + "; node 1 sees " +
                InProcessNodes.peer(node1, 2) + "; fast node sees " + InProcessNodes.peer(node2, 1);
            assertTrue(InProcessNodes.peer(node1, 2).clockRejections() > 0, seen);
            assertTrue(finished, "the fast node's publishers are paused for good: " + seen);
        }
    }
}
