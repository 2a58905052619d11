package io.chronofabric.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;
import io.chronofabric.journal.RecordLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message shipped to a peer is journaled there as its origin journaled it: the same type, priority, payload bytes
 * (every length from empty to {@code payload.capacity}) and dependencies (named by origin), under its origin's node
 * and id, with an HLC time after its origin's (the receive rule). Random messages, some with dependencies on earlier ones and some without; the seed is in every
 * failure's message.
 */
class APeersMessageIsJournaledAsItsOriginJournaledItTest
{
    private static final int MESSAGES = 3_000;
    private static final int TYPES = 3;
    private static final int PAYLOAD_CAPACITY = 256;

    @TempDir
    Path tmp;

    @Test
    void everyFieldOfAShippedMessageArrives() throws Exception
    {
        final long seed = new Random().nextLong();
        final Random random = new Random(seed);
        final int port1 = InProcessNodes.freePort();
        final int port2 = InProcessNodes.freePort();
        try (Engine engine1 = engine(1);
             Engine engine2 = engine(2);
             Node node1 = InProcessNodes.node(tmp, engine1, port1, 2, port2);
             Node node2 = InProcessNodes.node(tmp, engine2, port2, 1, port1))
        {
            final Publisher publisher = engine1.newPublisher(9);
            final List<Long> ids = new ArrayList<>();
            long last = 0;
            for (int i = 0; i < MESSAGES; i++)
            {
                publisher.priority(random.nextInt(RecordLayout.MAX_PRIORITY + 1));
                for (int d = ids.isEmpty() ? 0 : random.nextInt(3); d > 0; d--)
                {
                    publisher.dependsOn(ids.get(ids.size() - 1 - random.nextInt(Math.min(ids.size(), 50))));
                }
                final byte[] payload = new byte[random.nextInt(8) == 0 ? PAYLOAD_CAPACITY :
                    random.nextInt(PAYLOAD_CAPACITY + 1)];
                random.nextBytes(payload);
                last = publisher.publish(random.nextInt(TYPES), (bytes, buffer) -> buffer.put(bytes), payload);
                ids.add(last);
            }
            node1.endOfStream(last);
            node2.endOfStream(0);
            assertNull(node1.awaitPeersDone(Duration.ofSeconds(60)), "seed " + seed);
            assertNull(node2.awaitPeersDone(Duration.ofSeconds(60)), "seed " + seed);
        }
        final Map<Long, MessageRecord> published = new HashMap<>();
        read(tmp.resolve("journal-1"), record -> published.put(record.originId(), copy(record)));
        assertEquals(MESSAGES, published.size(), "seed " + seed);
        final int[] received = new int[1];
        read(tmp.resolve("journal-2"), record ->
        {
            final String what = "message " + record.originId() + " of node 1 on node 2, seed " + seed;
            final MessageRecord origin = published.get(record.originId());
            assertNotNull(origin, what);
            assertEquals(1, record.originNode(), what);
            assertTrue(0 != (record.flags() & RecordFlags.REMOTE), what);
            assertEquals(origin.type(), record.type(), what);
            assertEquals(origin.priority(), record.priority(), what);
            // stamped again on arrival by the HLC receive rule: after its origin's stamp
            assertTrue(origin.hlcWall() < record.hlcWall() ||
                origin.hlcWall() == record.hlcWall() && origin.hlcLogical() < record.hlcLogical(), what);
            assertArrayEquals(Arrays.copyOf(origin.payload(), origin.payloadLength()),
                Arrays.copyOf(record.payload(), record.payloadLength()), what);
            final long[] expected = new long[origin.dependencyCount()];
            for (int i = 0; i < expected.length; i++)
            {
                expected[i] = RecordLayout.remoteDependency(1, origin.dependency(i));
            }
            final long[] actual = new long[record.dependencyCount()];
            for (int i = 0; i < actual.length; i++)
            {
                actual[i] = record.dependency(i);
            }
            assertArrayEquals(expected, actual, what);
            received[0]++;
        });
        assertEquals(MESSAGES, received[0], "seed " + seed);
    }

    private Engine engine(final int nodeId)
    {
        return Engine.start(EngineConfiguration.builder().nodeId(nodeId).journalDir(tmp.resolve("journal-" + nodeId)),
            engine ->
            {
                for (int type = 0; type < TYPES; type++)
                {
                    engine.subscribe(type, message -> { });
                }
                Node.restoreOriginFloors(engine);
            });
    }

    private static void read(final Path journal, final java.util.function.Consumer<MessageRecord> of1)
    {
        final MessageRecord record = new MessageRecord(8, PAYLOAD_CAPACITY);
        try (JournalReader reader = new JournalReader(journal, 8, PAYLOAD_CAPACITY))
        {
            while (reader.next(record))
            {
                if (1 == record.originNode())
                {
                    of1.accept(record);
                }
            }
        }
    }

    private static MessageRecord copy(final MessageRecord record)
    {
        final MessageRecord copy = new MessageRecord(8, PAYLOAD_CAPACITY);
        copy.copyFrom(record);
        return copy;
    }
}
