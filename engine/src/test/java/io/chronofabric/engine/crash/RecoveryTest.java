package io.chronofabric.engine.crash;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.clock.HlcTimestamps;
import io.chronofabric.journal.Durability;
import io.chronofabric.journal.JournalCorruptionException;
import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.JournalWriter;
import io.chronofabric.journal.MessageRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecoveryTest
{
    private static final int TYPE = 3;
    private static final long FUTURE_WALL = System.currentTimeMillis() * 1_000_000L + 3_600_000_000_000L;

    @TempDir
    Path dir;

    private EngineConfiguration.Builder context()
    {
        return Profiles.builder("dev").journalDir(dir).ringSize(64);
    }

    /** Journals records without delivering them, as a process that died between the two leaves its journal. */
    private void journalUndelivered(final long firstId, final int count)
    {
        try (JournalWriter writer = new JournalWriter(dir, "FAST_DAILY", 8, 256))
        {
            final MessageRecord record = new MessageRecord(8, 256);
            for (int i = 0; i < count; i++)
            {
                record.clear();
                record.id(firstId + i).type(TYPE).source(9).hlc(FUTURE_WALL, i);
                record.payload()[0] = (byte)i;
                record.payloadLength(1);
                writer.append(record);
            }
        }
    }

    @Test
    void shouldDeliverJournaledButUndeliveredMessagesOnceBeforeNewOnes()
    {
        journalUndelivered(1, 100);
        final List<Long> delivered = new ArrayList<>();
        try (ChronoFabric engine = ChronoFabric.start(context(), e -> e.subscribe(TYPE, m -> delivered.add(m.id()))))
        {
            assertEquals(100, engine.recoveredMessages());
            final Publisher publisher = engine.newPublisher(1);
            for (int i = 0; i < 50; i++)
            {
                publisher.publish(TYPE, (Integer value, java.nio.ByteBuffer buffer) -> buffer.putInt(value), i);
            }
        }
        assertEquals(150, delivered.size());
        for (int i = 0; i < 150; i++)
        {
            assertEquals(i + 1, delivered.get(i), "recovered ids 1..100 first, then new ids 101..150 in order");
        }

        delivered.clear();
        try (ChronoFabric engine = ChronoFabric.start(context(), e -> e.subscribe(TYPE, m -> delivered.add(m.id()))))
        {
            assertEquals(0, engine.recoveredMessages(), "the trace shows everything delivered: nothing again");
        }
        assertTrue(delivered.isEmpty());
    }

    @Test
    void shouldResumeTheClockAboveTheLastJournaledTimestampEvenWhenItIsAhead()
    {
        journalUndelivered(1, 10);
        final long[] first = new long[3];
        try (ChronoFabric engine = ChronoFabric.start(context(), e -> e.subscribe(TYPE, m ->
        {
            if (m.id() == 11)
            {
                first[0] = m.hlcWall();
                first[1] = m.hlcLogical();
                first[2] = m.id();
            }
        })))
        {
            engine.newPublisher(1).publish(TYPE, (Integer value, java.nio.ByteBuffer buffer) -> buffer.putInt(value), 0);
        }
        assertEquals(11, first[2], "ids continue after the last journaled id");
        assertTrue(HlcTimestamps.compare(first[0], first[1], FUTURE_WALL, 9) > 0,
            "first new HLC " + HlcTimestamps.format(first[0], first[1]) + " is above the last journaled one");
    }

    @Test
    void shouldRefuseToStartOnACorruptUndeliveredRecordNamingItsIndex() throws Exception
    {
        journalUndelivered(1, 3);
        final Path file = JournalFiles.rollFiles(dir).get(0);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            final byte[] bytes = new byte[(int)Math.min(raf.length(), 1 << 20)];
            raf.readFully(bytes);
            final int at = lastIndexOf(bytes, (byte)2);
            raf.seek(at);
            raf.write(0x7F);
        }
        final JournalCorruptionException failure = assertThrows(JournalCorruptionException.class,
            () -> ChronoFabric.start(context()).close());
        assertTrue(failure.getMessage().contains("index 0x"), failure.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void shouldAcknowledgeEveryPublishedMessageUnderEachDurabilityPolicy(final Durability durability)
    {
        try (ChronoFabric engine = ChronoFabric.start(context().durability(durability)))
        {
            final Publisher publisher = engine.newPublisher(1);
            long last = 0;
            for (int i = 0; i < 1000; i++)
            {
                last = publisher.publish(TYPE, (Integer value, java.nio.ByteBuffer buffer) -> buffer.putInt(value), i);
            }
            engine.awaitAcknowledged(last);
            assertTrue(engine.acknowledgedId() >= last);
        }
    }

    private static int lastIndexOf(final byte[] bytes, final byte value)
    {
        for (int i = bytes.length - 1; i >= 0; i--)
        {
            if (value == bytes[i])
            {
                return i;
            }
        }
        throw new AssertionError("payload byte not found");
    }
}
