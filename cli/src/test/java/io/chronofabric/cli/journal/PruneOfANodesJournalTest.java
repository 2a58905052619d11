package io.chronofabric.cli.journal;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.chronofabric.cli.FreePorts;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.journal.JournalFiles;
import io.chronofabric.node.Endpoint;
import io.chronofabric.node.Node;
import io.chronofabric.node.NodeConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.cli.observability.MetricsTestSupport.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Nothing journaled lost": a running node's retention keeps its own messages until every peer has journaled them,
 * which only the running node knows. Node 1 publishes 50 messages while its peer, node 2, is down, then a last one in a
 * later TEST_SECONDLY cycle, and stops. {@code journal prune} and {@code journal rolls --remove-before} on its journal,
 * with no engine running, refuse with one line (exit 2) and delete nothing, and so do their dry runs: both nodes then
 * start, and node 2
 * receives all 51. {@code --ignore-peers} is the operator's explicit override.
 */
class PruneOfANodesJournalTest
{
    private static final int TYPE = 1;
    private static final PayloadWriter<Long> LONG_WRITER = (value, buffer) -> buffer.putLong(value);

    @TempDir
    Path tmp;

    @Test
    void pruneAndRemoveBeforeRefuseANodesJournalSoThatAPeerStillGetsEveryMessage() throws Exception
    {
        final int port1 = FreePorts.udp();
        final int port2 = FreePorts.udp();
        final Path journal1 = tmp.resolve("journal-1");
        final AtomicLong on1 = new AtomicLong();
        final AtomicLong fromNode1On2 = new AtomicLong();
        try (Engine engine1 = engine(journal1, 1, on1, 0);
             Node node1 = node(engine1, port1, 2, port2))
        {
            final Publisher own = engine1.newPublisher(7);
            for (long i = 0; i < 50; i++)
            {
                own.publish(TYPE, LONG_WRITER, i);
            }
            Thread.sleep(2_500);
            own.publish(TYPE, LONG_WRITER, 50L);
            awaitTrue(() -> on1.get() == 51 && engine1.settledWatermark() >= 51, 10_000, () -> "settled on 1");
        }
        final int before = JournalFiles.rollFiles(journal1).size();
        final Cli.Result pruned = Cli.run("journal", "prune", journal1.toString(), "--keep-cycles", "1");
        assertEquals(2, pruned.code(), pruned::toString);
        assertTrue(pruned.err().contains("is a node's journal") && pruned.err().contains("--ignore-peers"),
            pruned::toString);
        final Cli.Result removed = Cli.run("journal", "rolls", journal1.toString(), "--remove-before",
            Integer.toString(Integer.MAX_VALUE));
        assertEquals(2, removed.code(), removed::toString);
        // a dry run says what the real command does: it said "would delete" and exited 0 (a black-box finding)
        final Cli.Result prunedDry = Cli.run("journal", "prune", journal1.toString(), "--keep-cycles", "1",
            "--dry-run");
        assertEquals(2, prunedDry.code(), prunedDry::toString);
        assertTrue(prunedDry.err().contains("is a node's journal"), prunedDry::toString);
        final Cli.Result removedDry = Cli.run("journal", "rolls", journal1.toString(), "--remove-before",
            Integer.toString(Integer.MAX_VALUE), "--dry-run");
        assertEquals(2, removedDry.code(), removedDry::toString);
        assertEquals(before, JournalFiles.rollFiles(journal1).size(), "nothing deleted");
        try (Engine engine2 = engine(tmp.resolve("journal-2"), 2, fromNode1On2, 1);
             Node node2 = node(engine2, port2, 1, port1);
             Engine engine1 = engine(journal1, 1, on1, 0);
             Node node1 = node(engine1, port1, 2, port2))
        {
            awaitTrue(() -> fromNode1On2.get() == 51, 10_000, () -> "node 1's messages delivered on node 2: " +
                fromNode1On2.get() + " (node 2 sees " + node2.peers() + ", node 1 sees " + node1.peers() + ")");
            assertEquals(51, fromNode1On2.get(), "node 1's messages delivered on node 2 (node 2 sees " +
                node2.peers() + ", node 1 sees " + node1.peers() + ")");
        }
        // the operator who knows better says so
        final Cli.Result forced = Cli.run("journal", "prune", journal1.toString(), "--keep-cycles", "1",
            "--ignore-peers");
        assertEquals(0, forced.code(), forced::toString);
        assertTrue(JournalFiles.rollFiles(journal1).size() < before, "prune deleted the older cycle(s): " + forced);

        // a peer that never journaled them asks for them: the node says they cannot be sent, and does not end as if
        // every peer had its messages (it ended with exit 0, the peer silently short; a black-box finding)
        final int port3 = FreePorts.udp();
        final AtomicLong fromNode1On3 = new AtomicLong();
        final AtomicLong fromNode3On1 = new AtomicLong();
        long lastOf3 = 0;
        try (Engine engine3 = engine(tmp.resolve("journal-3"), 3, fromNode1On3, 1);
             Node node3 = node(engine3, port3, 1, port1);
             Engine engine1 = engine(journal1, 1, fromNode3On1, 3);
             Node node1 = node(engine1, port1, 3, port3))
        {
            // node 1 goes on publishing: node 3 takes what follows the gap, up to node 1's last message
            final Publisher more = engine1.newPublisher(7);
            for (long i = 51; i < 71; i++)
            {
                more.publish(TYPE, LONG_WRITER, i);
            }
            node1.endOfStream(71);
            final Publisher own3 = engine3.newPublisher(9);
            for (long i = 0; i < 30; i++)
            {
                lastOf3 = own3.publish(TYPE, LONG_WRITER, i);
                Thread.sleep(20);
            }
            node3.endOfStream(lastOf3);
            final String why = node1.awaitPeersDone(java.time.Duration.ofSeconds(30));
            assertTrue(null != why && why.contains("peer 3") && why.contains("no longer holds"), String.valueOf(why));
            // it ends once everything else is done: it ended at its ALERT, without node 3's stream (a black-box finding)
            assertEquals(30, fromNode3On1.get(), "node 3's messages delivered on node 1 before it ended");
            assertTrue(fromNode1On3.get() < 71, "node 3 got " + fromNode1On3.get());
            // and the node that lacks them says so too: it ended as done, with exit 0 (a black-box finding)
            final String lacking = node3.awaitPeersDone(java.time.Duration.ofSeconds(30));
            assertTrue(null != lacking && lacking.contains("peer 1") && lacking.contains("cannot be sent"),
                String.valueOf(lacking));
            assertTrue(node3.lostForGood());
        }
        // a later run of both: node 3 resumes above the gap and never asks for it; node 1 still says it lacks them
        // (it ended with exit 0 there: a black-box finding)
        try (Engine engine3 = engine(tmp.resolve("journal-3"), 3, fromNode1On3, 1);
             Node node3 = node(engine3, port3, 1, port1);
             Engine engine1 = engine(journal1, 1, on1, 0);
             Node node1 = node(engine1, port1, 3, port3))
        {
            node1.endOfStream(71);
            node3.endOfStream(lastOf3);
            final String why = node1.awaitPeersDone(java.time.Duration.ofSeconds(30));
            assertTrue(null != why && why.contains("peer 3") && why.contains("cannot be sent"), String.valueOf(why));
            assertTrue(node1.lostForGood());
        }
    }

    private static Engine engine(final Path journal, final int nodeId, final AtomicLong delivered, final int origin)
    {
        final EngineConfiguration.Builder builder = EngineConfiguration.builder().nodeId(nodeId).journalDir(journal);
        builder.set("journal.roll-cycle", "TEST_SECONDLY");
        return Engine.start(builder, engine ->
        {
            engine.subscribe(TYPE, message ->
            {
                if (message.originNode() == (0 == origin ? nodeId : origin))
                {
                    delivered.incrementAndGet();
                }
            });
            Node.restoreOriginFloors(engine);
        });
    }

    private Node node(final Engine engine, final int listen, final int peer, final int peerPort)
    {
        return Node.start(NodeConfiguration.builder().listen(new Endpoint("127.0.0.1", listen))
            .peer(peer, new Endpoint("127.0.0.1", peerPort)).aeronBaseDir(tmp.resolve("aeron"))
            .build(engine.context()), engine);
    }
}
