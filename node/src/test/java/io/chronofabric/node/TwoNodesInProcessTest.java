package io.chronofabric.node;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.chronofabric.engine.api.DriverThreading;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Settings;
import io.chronofabric.engine.internal.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TwoNodesInProcessTest
{
    private static final int TYPE = 1;
    private static final int MESSAGES = 5_000;

    @TempDir
    Path tmp;

    /** Whichever threads run the nodes' media drivers: their own, or the node's (then no driver thread is started). */
    @ParameterizedTest
    @EnumSource(DriverThreading.class)
    void eachNodeJournalsAndDeliversEveryMessageOfTheOtherExactlyOnce(final DriverThreading threading) throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        final Map<Integer, AtomicLong> delivered1 = new ConcurrentHashMap<>();
        final Map<Integer, AtomicLong> delivered2 = new ConcurrentHashMap<>();
        final Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (Engine engine1 = engine(1, delivered1, tmp, threading);
             Engine engine2 = engine(2, delivered2, tmp, threading);
             Node node1 = Node.start(node(port1, 2, port2).build(engine1.context()), engine1);
             Node node2 = Node.start(node(port2, 1, port1).build(engine2.context()), engine2))
        {
            final long driverThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.getName().contains("driver-conductor")).count();
            assertEquals(DriverThreading.NODE_THREAD == threading ? 0 : 2, driverThreads,
                "threads running a media driver's conductor, in " + threading.label() + " mode");
            final long last1 = publish(engine1);
            final long last2 = publish(engine2);
            node1.endOfStream(last1);
            node2.endOfStream(last2);
            assertNull(node1.awaitPeersDone(Duration.ofSeconds(30)));
            assertNull(node2.awaitPeersDone(Duration.ofSeconds(30)));
        }
        assertEquals(Map.of(1, (long)MESSAGES, 2, (long)MESSAGES),
            InProcessNodes.byOrigin(tmp.resolve("journal-1"), 256));
        assertEquals(Map.of(1, (long)MESSAGES, 2, (long)MESSAGES),
            InProcessNodes.byOrigin(tmp.resolve("journal-2"), 256));
        assertEquals(MESSAGES, delivered1.get(2).get());
        assertEquals(MESSAGES, delivered2.get(1).get());
        for (final int port : new int[] {port1, port2})
        {
            // a closed node has let go of its port, whichever thread ran its driver
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", port)))
            {
                assertEquals(port, socket.getLocalPort());
            }
        }
    }

    /**
     * A node that is done leaves only once its peer says it is done too: the peer, which may still be waiting for the
     * last acknowledgement of its own stream, completes after the first node has closed.
     */
    @Test
    void aNodeThatFinishesFirstStaysUntilItsPeerHasEverythingToFinish() throws Exception
    {
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        try (Engine engine2 = engine(2, new ConcurrentHashMap<>());
             Node node2 = Node.start(node(port2, 1, port1).build(engine2.context()), engine2))
        {
            try (Engine engine1 = engine(1, new ConcurrentHashMap<>());
                 Node node1 = Node.start(node(port1, 2, port2).build(engine1.context()), engine1))
            {
                node1.endOfStream(publish(engine1));
                node2.endOfStream(publish(engine2));
                assertNull(node1.awaitPeersDone(Duration.ofSeconds(30)));
                assertTrue(node1.peers().get(0).acknowledged() > 0);
            }
            // node 1 and its engine are gone: everything node 2 needed from it arrived before it left
            assertNull(node2.awaitPeersDone(Duration.ofSeconds(5)));
        }
        assertEquals(Map.of(1, (long)MESSAGES, 2, (long)MESSAGES),
            InProcessNodes.byOrigin(tmp.resolve("journal-2"), 256));
    }

    /**
     * The node started first hears the later one's heartbeat before its own publications to it are connected (its
     * setup frames go out every 100 ms), so its first resend request, which is what makes the peer ship, cannot be
     * offered; it must be offered again, or the later node's messages never reach it. Three tries, each with new nodes:
     * without the retry most of them stall.
     */
    @Test
    void aNodeStartedBeforeItsPeerReceivesEveryMessageThePeerPublishes() throws Exception
    {
        for (int attempt = 0; attempt < 3; attempt++)
        {
            final Path dir = tmp.resolve("attempt-" + attempt);
            final int port1 = InProcessNodes.freePort();
            final int port2 = InProcessNodes.freePort();
            final Map<Integer, AtomicLong> delivered2 = new ConcurrentHashMap<>();
            try (Engine engine2 = engine(2, delivered2, dir);
                 Node node2 = Node.start(node(port2, 1, port1, dir).build(engine2.context()), engine2))
            {
                Thread.sleep(300);
                try (Engine engine1 = engine(1, new ConcurrentHashMap<>(), dir);
                     Node node1 = Node.start(node(port1, 2, port2, dir).build(engine1.context()), engine1))
                {
                    publisher(engine1, 100);
                    final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (delivered2.getOrDefault(1, new AtomicLong()).get() < 100 && System.nanoTime() < deadline)
                    {
                        Thread.sleep(10);
                    }
                    assertEquals(100, delivered2.getOrDefault(1, new AtomicLong()).get(),
                        "attempt " + attempt + ": " + node1.peers() + "; " + node2.peers());
                }
            }
        }
    }

    private static long publish(final Engine engine)
    {
        return publisher(engine, MESSAGES);
    }

    private static long publisher(final Engine engine, final int messages)
    {
        final Publisher publisher = engine.newPublisher(7);
        long last = 0;
        for (int i = 0; i < messages; i++)
        {
            last = publisher.publish(TYPE, (value, buffer) -> buffer.putLong(value), (long)i);
        }
        return last;
    }

    private NodeConfiguration.Builder node(final int listen, final int peer, final int peerPort)
    {
        return node(listen, peer, peerPort, tmp);
    }

    private static NodeConfiguration.Builder node(final int listen, final int peer, final int peerPort, final Path dir)
    {
        return NodeConfiguration.builder().listen(new Endpoint("127.0.0.1", listen))
            .peer(peer, new Endpoint("127.0.0.1", peerPort)).aeronBaseDir(dir.resolve("aeron"));
    }

    private Engine engine(final int nodeId, final Map<Integer, AtomicLong> delivered)
    {
        return engine(nodeId, delivered, tmp);
    }

    private static Engine engine(final int nodeId, final Map<Integer, AtomicLong> delivered, final Path dir)
    {
        return engine(nodeId, delivered, dir, DriverThreading.NODE_THREAD);
    }

    private static Engine engine(final int nodeId, final Map<Integer, AtomicLong> delivered, final Path dir,
        final DriverThreading threading)
    {
        final EngineConfiguration.Builder settings = EngineConfiguration.builder().nodeId(nodeId)
            .journalDir(dir.resolve("journal-" + nodeId)).set(Settings.NODE_DRIVER_THREADING.name(), threading.label());
        return Engine.start(settings, engine -> engine.subscribe(TYPE, message ->
            delivered.computeIfAbsent(message.originNode(), n -> new AtomicLong()).incrementAndGet()));
    }
}
