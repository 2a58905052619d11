package io.chronofabric.node;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import io.chronofabric.engine.api.WallClock;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.MessageRecord;

/** Shared set-up for the in-process node tests: engines and nodes on 127.0.0.1. */
final class InProcessNodes
{
    static final int TYPE = 1;

    private InProcessNodes()
    {
    }

    static Engine engine(final Path dir, final String journal, final int nodeId, final Map<String, String> settings,
        final WallClock clock, final Map<Integer, AtomicLong> delivered)
    {
        final EngineConfiguration.Builder builder = EngineConfiguration.builder().nodeId(nodeId)
            .journalDir(dir.resolve(journal));
        settings.forEach(builder::set);
        if (null != clock)
        {
            builder.wallClock(clock);
        }
        return Engine.start(builder, engine ->
        {
            engine.subscribe(TYPE, message ->
                delivered.computeIfAbsent(message.originNode(), n -> new AtomicLong()).incrementAndGet());
            Node.restoreOriginFloors(engine);
        });
    }

    /**
     * An engine as a node starts it (origin floors restored), noting the payload of each delivered message of
     * {@link #TYPE} that {@code kept} accepts.
     */
    static Engine recordingEngine(final Path dir, final int nodeId, final Map<String, String> settings,
        final java.util.List<Long> delivered, final java.util.function.LongPredicate kept)
    {
        final EngineConfiguration.Builder builder = EngineConfiguration.builder().nodeId(nodeId)
            .journalDir(dir.resolve("journal-" + nodeId));
        settings.forEach(builder::set);
        return Engine.start(builder, engine ->
        {
            engine.subscribe(TYPE, message ->
            {
                final long value = message.payload().getLong(0);
                if (kept.test(value))
                {
                    delivered.add(value);
                }
            });
            Node.restoreOriginFloors(engine);
        });
    }

    static Engine engine(final Path dir, final int nodeId, final Map<String, String> settings)
    {
        return engine(dir, "journal-" + nodeId, nodeId, settings, null, new ConcurrentHashMap<>());
    }

    static Node node(final Path dir, final Engine engine, final int listen, final int peer, final int peerPort)
    {
        return Node.start(NodeConfiguration.builder().listen(new Endpoint("127.0.0.1", listen))
            .peer(peer, new Endpoint("127.0.0.1", peerPort)).aeronBaseDir(dir.resolve("aeron"))
            .build(engine.context()), engine);
    }

    static PeerStatus peer(final Node node, final int peer)
    {
        for (final PeerStatus status : node.peers())
        {
            if (status.peer() == peer)
            {
                return status;
            }
        }
        throw new AssertionError("no peer " + peer);
    }

    /** Publishes {@code messages} messages of {@link #TYPE}; @return the id of the last. */
    static long publish(final io.chronofabric.engine.api.Publisher publisher, final int messages)
    {
        long last = 0;
        for (int i = 0; i < messages; i++)
        {
            last = publisher.publish(TYPE, (value, buffer) -> buffer.putLong(value), (long)i);
        }
        return last;
    }

    static boolean await(final BooleanSupplier condition, final long millis) throws InterruptedException
    {
        final long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline)
        {
            if (condition.getAsBoolean())
            {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    /** @return per origin node, how many records of it the journal holds. */
    static Map<Integer, Long> byOrigin(final Path journal, final int payloadCapacity)
    {
        final Map<Integer, Long> counts = new HashMap<>();
        final MessageRecord record = new MessageRecord(8, payloadCapacity);
        try (JournalReader reader = new JournalReader(journal, 8, payloadCapacity))
        {
            while (reader.next(record))
            {
                counts.merge(record.originNode(), 1L, Long::sum);
            }
        }
        return counts;
    }

    /** @return a UDP port free on this machine now. */
    static int freePort() throws java.io.IOException
    {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
