package io.chronofabric.engine.temporal;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

import io.chronofabric.engine.EngineTestSupport;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.WaitStrategyKind;
import io.chronofabric.engine.internal.Engine;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a subscriber is handed is exactly what was published under that id, and ready messages go out in priority
 * then id order, while the smallest ring wraps all the time: two threads publish into a 16-slot ring, with random
 * priorities, some dependencies, and writers that fail part-way (a rejected publish travels as a slot without a
 * message, and often ends a batch). A message the sequencer released from a ring slot that a publisher had already
 * reused would show as another message's bytes.
 */
class DeliveredContentProperties
{
    private static final int TYPE = 7;
    private static final int PUBLISHERS = 2;
    private static final int PER_PUBLISHER = 3_000;
    private static final int PAYLOAD = 48;

    /** Writes the bytes given; a null array makes it fail after writing part of them. */
    private static final PayloadWriter<byte[]> WRITER = (bytes, payload) ->
    {
        if (null == bytes)
        {
            payload.putLong(-1L);
            throw new IllegalArgumentException("this write fails on purpose, after writing 8 bytes");
        }
        payload.put(bytes);
    };

    @Property(tries = 6, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void everyDeliveredMessageCarriesItsOwnBytesAndReadyOnesLeaveInPriorityThenIdOrder(@ForAll final long seed)
        throws Exception
    {
        final Path dir = Files.createTempDirectory("delivered-content");
        try
        {
            check(seed, dir);
        }
        finally
        {
            EngineTestSupport.deleteQuietly(dir);
        }
    }

    private static void check(final long seed, final Path dir) throws Exception
    {
        final Map<Long, byte[]> published = new ConcurrentHashMap<>();
        final List<long[]> deliveredOrder = new ArrayList<>();
        final Map<Long, byte[]> deliveredBytes = new HashMap<>();
        final List<Long> duplicates = new ArrayList<>();
        final EngineConfiguration context = EngineConfiguration.builder()
            .profile("test")
            .journalDir(dir.resolve("journal"))
            .waitStrategy(WaitStrategyKind.SLEEPING)
            .ringSize(16)
            .payloadCapacity(64)
            .maxDependencies(2)
            .build();
        try (Engine engine = Engine.start(context, started -> started.subscribe(TYPE, message ->
        {
            final ByteBuffer payload = message.payload();
            final byte[] bytes = new byte[payload.remaining()];
            payload.get(payload.position(), bytes);
            synchronized (deliveredOrder)
            {
                deliveredOrder.add(new long[] {message.id(), message.priority(), message.dependencyCount()});
                if (null != deliveredBytes.put(message.id(), bytes))
                {
                    duplicates.add(message.id());
                }
            }
        })))
        {
            final Thread[] threads = new Thread[PUBLISHERS];
            final Throwable[] failures = new Throwable[PUBLISHERS];
            for (int p = 0; p < PUBLISHERS; p++)
            {
                final int index = p;
                final Publisher publisher = engine.newPublisher(10 + p);
                threads[p] = new Thread(() ->
                {
                    try
                    {
                        publish(publisher, new Random(seed * 31 + index), published);
                    }
                    catch (final Throwable ex)
                    {
                        failures[index] = ex;
                    }
                }, "publisher-" + p);
                threads[p].start();
            }
            for (int p = 0; p < PUBLISHERS; p++)
            {
                threads[p].join();
                assertEquals(null, failures[p], "seed=" + seed + ": publisher " + p + " failed");
            }
        }
        synchronized (deliveredOrder)
        {
            assertEquals(List.of(), duplicates, "seed=" + seed + ": ids delivered twice");
            assertEquals(published.keySet(), deliveredBytes.keySet(), "seed=" + seed + ": every accepted publish " +
                "is delivered, nothing else");
            for (final Map.Entry<Long, byte[]> delivered : deliveredBytes.entrySet())
            {
                assertArrayEquals(published.get(delivered.getKey()), delivered.getValue(),
                    "seed=" + seed + ": the bytes delivered for id " + delivered.getKey());
            }
            // messages of one priority, no deadline, no dependency: the sequencer releases them in id order
            final long[] lastIdOfPriority = new long[256];
            Arrays.fill(lastIdOfPriority, Long.MIN_VALUE);
            for (final long[] delivered : deliveredOrder)
            {
                if (0 == delivered[2])
                {
                    final int priority = (int)delivered[1];
                    assertTrue(delivered[0] > lastIdOfPriority[priority], "seed=" + seed + ": id " + delivered[0] +
                        " of priority " + priority + " delivered after id " + lastIdOfPriority[priority]);
                    lastIdOfPriority[priority] = delivered[0];
                }
            }
        }
    }

    private static void publish(final Publisher publisher, final Random random, final Map<Long, byte[]> published)
    {
        final List<Long> own = new ArrayList<>();
        for (int i = 0; i < PER_PUBLISHER; i++)
        {
            final int priority = random.nextInt(10) < 8 ? 0 : 1 + random.nextInt(9);
            final boolean dependent = !own.isEmpty() && random.nextInt(100) < 15;
            final boolean fails = random.nextInt(100) < 5;
            final byte[] bytes = new byte[PAYLOAD];
            random.nextBytes(bytes);
            publisher.priority(priority);
            if (dependent)
            {
                publisher.dependsOn(own.get(random.nextInt(own.size())));
            }
            if (fails)
            {
                try
                {
                    publisher.publish(TYPE, WRITER, null);
                }
                catch (final IllegalArgumentException expected)
                {
                    continue;
                }
                throw new AssertionError("a failing writer's publish was accepted");
            }
            final long id = publisher.publish(TYPE, WRITER, bytes);
            published.put(id, bytes);
            own.add(id);
        }
    }
}
