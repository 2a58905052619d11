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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Node 2's clock runs too far ahead for a while, in the middle of its stream: node 1 refuses those messages and
 * journals the ones before and after. A refused message is accounted for, not lagging: node 2 sees no lag. After node
 * 1 restarts on its journal, which holds none of the refused messages, node 2 still sees no lag, and node 1 does not
 * ask it again and again for messages it will never journal.
 */
class ClockRefusalsAfterRestartTest
{
    private static final int BATCH = 50;

    @TempDir
    Path tmp;

    @Test
    void messagesRefusedForTheirClockInTheMiddleOfAStreamStayAccountedForAfterTheReceiverRestarts() throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        final Map<String, String> settings = Map.of("hlc.max-offset-ms", "500");
        final AtomicLong ahead = new AtomicLong();
        try (Engine engine2 = InProcessNodes.engine(tmp, "journal-2", 2, settings,
                 () -> SystemWallClock.INSTANCE.epochNanos() + ahead.get(), new ConcurrentHashMap<>());
             Node node2 = InProcessNodes.node(tmp, engine2, port2, 1, port1))
        {
            final Publisher publisher = engine2.newPublisher(7);
            try (Engine engine1 = InProcessNodes.engine(tmp, 1, settings);
                 Node node1 = InProcessNodes.node(tmp, engine1, port1, 2, port2))
            {
                InProcessNodes.publish(publisher, BATCH);
                awaitAccounted(node1, node2, BATCH, 0);
                ahead.set(2_000_000_000L);
                InProcessNodes.publish(publisher, BATCH);
                awaitAccounted(node1, node2, BATCH, BATCH);
                // the HLC keeps the lead it took until the physical clock passes it
                ahead.set(0);
                Thread.sleep(2_500);
                InProcessNodes.publish(publisher, BATCH);
                awaitAccounted(node1, node2, 2 * BATCH, BATCH);
            }
            try (Engine engine1 = InProcessNodes.engine(tmp, 1, settings);
                 Node node1 = InProcessNodes.node(tmp, engine1, port1, 2, port2))
            {
                assertTrue(InProcessNodes.await(() -> PeerState.ACTIVE == InProcessNodes.peer(node2, 1).state() &&
                    PeerState.ACTIVE == InProcessNodes.peer(node1, 2).state(), 10_000), () -> node2.peers().toString());
                final long resendsAtJoin = InProcessNodes.peer(node1, 2).resendsRequested();
                Thread.sleep(2_000);
                final PeerStatus fromNode2 = InProcessNodes.peer(node2, 1);
                assertEquals(0, fromNode2.lagMessages(), "node 2's view of node 1 after it restarted: " + fromNode2);
                final PeerStatus fromNode1 = InProcessNodes.peer(node1, 2);
                assertEquals(2 * BATCH, fromNode1.journaledFromPeer(), fromNode1::toString);
                assertTrue(fromNode1.resendsRequested() - resendsAtJoin <= 1, "node 1 keeps asking node 2 to " +
                    "resend what it refused: " + fromNode1);
            }
        }
    }

    private static void awaitAccounted(final Node receiver, final Node sender, final long journaled,
        final long refused) throws InterruptedException
    {
        assertTrue(InProcessNodes.await(() -> InProcessNodes.peer(receiver, 2).journaledFromPeer() == journaled &&
            InProcessNodes.peer(receiver, 2).clockRejections() == refused &&
            0 == InProcessNodes.peer(sender, 1).lagMessages(), 10_000), () -> "node 1 journaled " + journaled +
            " and refused " + refused + " of node 2's, and node 2 sees no lag: " + receiver.peers() + "; " +
            sender.peers());
    }
}
