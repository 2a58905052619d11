package io.chronofabric.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nodes whose capacities differ (payload.capacity, dependencies.max, types.max) would take each other's records
 * until one did not fit, and then refuse its sender mid-stream. They are compared when the two first hear each
 * other, before anything is shipped: the node that joins later stops, saying why, whichever side is the larger; the
 * node already running refuses it and runs on.
 */
class CapacityMismatchRefusesThePeerTest
{
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "running {0}={1}, joining with {0}={2}")
    @CsvSource({
        "payload.capacity, 1024, 256",
        "payload.capacity, 256, 1024",
        "dependencies.max, 8, 4",
        "types.max, 256, 512"})
    void aNodeJoiningWithOtherCapacitiesStopsSayingWhyWhileTheRunningNodeRefusesItAndRunsOn(final String setting,
        final String running, final String joining) throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        try (Engine engine1 = InProcessNodes.engine(tmp, 1, Map.of(setting, running));
             Node node1 = InProcessNodes.node(tmp, engine1, port1, 2, port2))
        {
            final Publisher publisher = engine1.newPublisher(7);
            long last = 0;
            for (int i = 0; i < 20; i++)
            {
                last = publisher.publish(InProcessNodes.TYPE, (value, buffer) -> buffer.putLong(value), (long)i);
            }
            node1.endOfStream(last);
            Thread.sleep(5); // node 2's process starts after node 1's by the wall clock, not only by the tie-break
            try (Engine engine2 = InProcessNodes.engine(tmp, 2, Map.of(setting, joining));
                 Node node2 = InProcessNodes.node(tmp, engine2, port2, 1, port1))
            {
                assertTrue(InProcessNodes.await(() -> null != node2.failure(), 10_000), "the joining node 2 stops");
                assertInstanceOf(NodeStoppedException.class, node2.failure());
                final String stopped = node2.failure().getMessage();
                // by its own check, or by node 1's refusal when that comes first: each names both sides' capacities
                assertTrue(stopped.startsWith("node 2 (") ?
                    stopped.contains("joins peer 1 (") && stopped.contains("Restart node 2 with peer 1's") :
                    stopped.startsWith("peer 1 refuses node 2: it joined with ") &&
                        stopped.contains("Restart it with node 1's"), stopped);
                assertTrue(stopped.indexOf(setting + "=" + joining) >= 0 &&
                    stopped.indexOf(setting + "=" + running) >= 0, stopped);

                // refused, once node 1 has heard node 2 (which, stopping first, sends it one last heartbeat)
                assertTrue(InProcessNodes.await(() -> PeerState.REFUSED == InProcessNodes.peer(node1, 2).state(),
                    5_000), () -> "peer 2 on node 1: " + InProcessNodes.peer(node1, 2));
                final String why = node1.awaitPeersDone(Duration.ofMillis(200));
                assertTrue(null != why && why.contains("peer 2 (refused) because it joined with") &&
                    why.contains(setting + "=" + joining), why);
                assertNull(node1.failure(), "the running node runs on");
                assertNull(engine1.failure());
                assertEquals(0, InProcessNodes.peer(node1, 2).resendsServed(), "node 1 shipped nothing to node 2");
            }
        }
        assertNull(InProcessNodes.byOrigin(tmp.resolve("journal-2"), 1024).get(1), "node 2 journaled nothing of 1");
    }
}
