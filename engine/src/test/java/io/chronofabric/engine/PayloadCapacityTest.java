package io.chronofabric.engine;

import io.chronofabric.engine.internal.Engine;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import io.chronofabric.journal.MessageRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.EngineTestSupport.BYTES_WRITER;
import static io.chronofabric.engine.EngineTestSupport.TYPE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.chronofabric.engine.api.EngineStats;
import io.chronofabric.engine.api.PayloadTooLargeException;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.Publisher;

/**
 * A payload larger than the capacity is rejected whole; one of exactly the capacity travels intact.
 */
class PayloadCapacityTest
{
    private static final int CAPACITY = 64;

    @TempDir
    Path dir;

    @Test
    void shouldRejectOversizePayloadWholeAndKeepPublishing()
    {
        final EngineConfiguration context = EngineTestSupport.context(dir).payloadCapacity(CAPACITY).build();
        final byte[] oversize = randomBytes(CAPACITY + 1, 1);
        final byte[] exact = randomBytes(CAPACITY, 2);
        final byte[] empty = new byte[0];
        final AtomicReference<byte[]> lastReceived = new AtomicReference<>();
        final List<byte[]> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        final long exactId;
        final EngineStats stats;
        try (Engine engine = EngineTestSupport.startRunning(context))
        {
            engine.subscribe(TYPE, message ->
            {
                final ByteBuffer payload = message.payload();
                final byte[] copy = new byte[payload.remaining()];
                payload.get(copy);
                received.add(copy);
                lastReceived.set(copy);
            });
            final Publisher publisher = engine.newPublisher(1);

            final PayloadTooLargeException ex = assertThrows(PayloadTooLargeException.class,
                () -> publisher.priority(9).publish(TYPE, BYTES_WRITER, oversize));
            assertTrue(ex.getMessage().contains("capacity of " + CAPACITY + " bytes"), ex.getMessage());
            assertTrue(ex.getMessage().contains("type " + TYPE), ex.getMessage());
            assertEquals(1, engine.stats().rejected());
            assertEquals(0, engine.stats().published());
            assertThrows(PayloadTooLargeException.class, () -> publisher.tryPublish(TYPE, BYTES_WRITER, oversize),
                "tryPublish rejects it too");
            assertEquals(2, engine.stats().rejected());

            exactId = publisher.publish(TYPE, BYTES_WRITER, exact);
            publisher.publish(TYPE, BYTES_WRITER, empty);
            EngineTestSupport.awaitTrue(() -> 2 == received.size(), 10_000, () -> "received " + received.size());
            engine.close();
            stats = engine.stats();
        }
        assertEquals(2, received.size(), "only the two valid messages are delivered");
        assertArrayEquals(exact, received.get(0), "a payload of exactly the capacity arrives byte for byte");
        assertArrayEquals(empty, received.get(1), "an empty payload arrives empty");
        assertEquals(2, stats.rejected());
        assertEquals(2, stats.published());
        assertEquals(2, stats.delivered());
        assertEquals(0, stats.dropped());
        assertEquals(0, stats.orderViolations());

        final List<MessageRecord> journal = EngineTestSupport.readJournal(context);
        assertEquals(2, journal.size(), "nothing journaled for the rejected publishes");
        final MessageRecord first = journal.get(0);
        assertEquals(exactId, first.id());
        assertEquals(0, first.priority(), "the options of a rejected publish do not leak into the next one");
        assertArrayEquals(exact, Arrays.copyOf(first.payload(), first.payloadLength()));
        assertEquals(0, journal.get(1).payloadLength());
    }

    @Test
    void shouldPublishNothingWhenThePayloadWriterThrows()
    {
        final EngineConfiguration context = EngineTestSupport.context(dir).payloadCapacity(CAPACITY).build();
        final PayloadWriter<String> failing = (text, payload) ->
        {
            payload.put((byte)1);
            throw new IllegalStateException(text);
        };
        final EngineStats stats;
        try (Engine engine = EngineTestSupport.startRunning(context))
        {
            final Publisher publisher = engine.newPublisher(1);
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> publisher.publish(TYPE, failing, "writer broke"));
            assertEquals("writer broke", ex.getMessage());
            publisher.publish(TYPE, BYTES_WRITER, new byte[] {42});
            engine.close();
            stats = engine.stats();
        }
        assertEquals(1, stats.published());
        assertEquals(1, stats.delivered());
        final List<MessageRecord> journal = EngineTestSupport.readJournal(context);
        assertEquals(1, journal.size());
        assertEquals(42, journal.get(0).payload()[0]);
    }

    private static byte[] randomBytes(final int length, final long seed)
    {
        final byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
