package io.chronofabric.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A receiving node whose subscriber is slow stops taking its peer's frames for a while (its ring is full): nothing was
 * lost, so nothing is asked for again. Asking would make the peer ship again, from the journal, everything the
 * receiver's stream already holds, which then arrives twice, more work for the node that is already behind.
 */
class SlowReceiverIsNotResentTest
{
    private static final int MESSAGES = 2_000;
    private static final long HANDLER_NANOS = 100_000;
    private static final int PAUSE_EVERY = 500;
    private static final long PAUSE_NANOS = 600_000_000;

    @TempDir
    Path tmp;

    @Test
    void shouldTakeEveryMessageOnceWithoutAskingForAnyAgainWhenItsSubscriberIsSlow() throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        final AtomicLong delivered = new AtomicLong();
        try (Engine engine1 = InProcessNodes.engine(tmp, 1, Map.of());
             Engine engine2 = slowEngine(delivered);
             Node node1 = InProcessNodes.node(tmp.resolve("n1"), engine1, port1, 2, port2);
             Node node2 = InProcessNodes.node(tmp.resolve("n2"), engine2, port2, 1, port1))
        {
            final long last = InProcessNodes.publish(engine1.newPublisher(1), MESSAGES);
            node1.endOfStream(last);
            node2.endOfStream(0);
            assertTrue(InProcessNodes.await(() -> delivered.get() == MESSAGES, 60_000),
                "node 2 delivered " + delivered.get() + " of " + MESSAGES);
            final PeerStatus fromPeer = InProcessNodes.peer(node2, 1);
            assertEquals(0, fromPeer.duplicatesDropped(), "frames that arrived twice: " + fromPeer);
            // the one request a join makes (a node started before its peer may repeat it until it goes out)
            assertTrue(fromPeer.resendsRequested() <= 2, "resends asked of a peer that lost nothing: " + fromPeer);
            assertNull(node2.awaitPeersDone(Duration.ofSeconds(30)));
        }
        assertEquals(Map.of(1, (long)MESSAGES), InProcessNodes.byOrigin(tmp.resolve("journal-2"), 256));
    }

    /** Node 2 with a ring of 64 slots and a subscriber that takes 0.1 ms a message and 0.6 s every 500th. */
    private Engine slowEngine(final AtomicLong delivered)
    {
        final EngineConfiguration.Builder settings = EngineConfiguration.builder().nodeId(2).ringSize(64)
            .journalDir(tmp.resolve("journal-2"));
        return Engine.start(settings, engine ->
        {
            engine.subscribe(InProcessNodes.TYPE, message ->
            {
                // now and then much slower: a pause longer than a few heartbeats, as a GC or a loaded host makes
                LockSupport.parkNanos(0 == delivered.get() % PAUSE_EVERY ? PAUSE_NANOS : HANDLER_NANOS);
                delivered.incrementAndGet();
            });
            Node.restoreOriginFloors(engine);
        });
    }
}
