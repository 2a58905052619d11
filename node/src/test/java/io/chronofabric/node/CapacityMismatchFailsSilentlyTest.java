package io.chronofabric.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review-14 defect: an exception thrown by NodeConductor.onData (here its own "nodes of a deployment need the same
 * capacities" IllegalStateException; equally an IllegalArgumentException from tryPublish other than the clock
 * rejection) never reaches the agent runner: Aeron's Image.controlledPoll catches it, hands it to the client's
 * errorHandler (a log line "Aeron client error") and has already moved the subscriber position past the fragment.
 * The record is skipped, the next frame is a gap, a resend brings the same record back, and so on: a resend loop
 * every heartbeat, none of the peer's later messages journaled, and nothing fails: the engine is healthy and the run
 * can only time out after --peer-wait-ms with a reason that does not name the cause.
 */
class CapacityMismatchFailsSilentlyTest
{
    @TempDir
    Path tmp;

    @Test
    void aRecordThisNodeCannotTakeFailsTheNodeLoudlyInsteadOfLoopingOnResends() throws Exception
    {
        final int port1 = TwoNodesInProcessTest.freePort();
        final int port2 = TwoNodesInProcessTest.freePort();
        try (Engine engine1 = ReviewNodes.engine(tmp, 1, Map.of("payload.capacity", "1024"));
             Engine engine2 = ReviewNodes.engine(tmp, 2, Map.of("payload.capacity", "256"));
             Node node1 = ReviewNodes.node(tmp, engine1, port1, 2, port2);
             Node node2 = ReviewNodes.node(tmp, engine2, port2, 1, port1))
        {
            final Publisher publisher = engine1.newPublisher(7);
            long last = publisher.publish(ReviewNodes.TYPE, (value, buffer) -> buffer.put(new byte[600]), null);
            for (int i = 0; i < 20; i++)
            {
                last = publisher.publish(ReviewNodes.TYPE, (value, buffer) -> buffer.putLong(value), (long)i);
            }
            node1.endOfStream(last);
            node2.endOfStream(0);
            final String why = node2.awaitPeersDone(Duration.ofSeconds(6));
            final PeerStatus seen = ReviewNodes.peer(node2, 1);
            assertNotNull(why);
            assertTrue(null != engine2.failure() || why.contains("capacit"),
                "node 2 neither failed nor named the cause: '" + why + "'; engine failure " + engine2.failure() +
                "; its status for peer 1: " + seen);
            assertTrue(seen.resendsRequested() < 10, "node 2 loops on resends of the record it cannot take: " + seen);
        }
    }
}
