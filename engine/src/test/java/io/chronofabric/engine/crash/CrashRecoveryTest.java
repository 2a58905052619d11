package io.chronofabric.engine.crash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.internal.clock.HlcTimestamps;
import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.TraceEntry;
import io.chronofabric.journal.TraceReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills a writing engine process with SIGKILL at random points, many times, restarting it on the same journal each
 * time; then checks the journal against what the publisher saw acknowledged.
 */
class CrashRecoveryTest
{
    private static final int KILLS = 10;

    @TempDir
    Path dir;

    @Test
    void shouldKeepEveryAcknowledgedMessageAcrossRepeatedKills() throws Exception
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final Path journal = dir.resolve("journal");
        final Path acks = dir.resolve("acks.txt");
        for (int run = 1; run <= KILLS; run++)
        {
            killWhileWriting(journal, acks, run, 20 + random.nextInt(1000));
        }

        final Map<Long, Long> ackedSeqByRun = lastAckedSeqByRun(acks);
        assertTrue(ackedSeqByRun.size() >= KILLS / 2, "most runs acknowledged messages before they were killed: " +
            ackedSeqByRun + "; seed " + seed);

        final Set<Long> delivered = new HashSet<>();
        final long recovered;
        try (ChronoFabric engine = ChronoFabric.start(Profiles.builder("dev").journalDir(journal),
            e -> e.subscribe(CrashingWriter.TYPE, message -> delivered.add(message.id()))))
        {
            recovered = engine.recoveredMessages();
        }
        assertEquals(recovered, delivered.size(), "recovered messages go to the subscribers registered first");

        final Map<Long, Long> nextSeqByRun = new HashMap<>();
        final MessageRecord record = new MessageRecord(8, 256);
        final List<Long> journaledIds = new ArrayList<>();
        final byte[] expected = new byte[CrashingWriter.PAYLOAD_LENGTH];
        long previousId = 0;
        long previousWall = 0;
        long previousLogical = -1;
        try (JournalReader reader = new JournalReader(journal, 8, 256))
        {
            while (reader.next(record))
            {
                assertTrue(record.id() > previousId, "ids strictly increase across restarts at " + record.id());
                assertTrue(HlcTimestamps.compare(record.hlcWall(), record.hlcLogical(), previousWall, previousLogical) > 0,
                    "HLC strictly increases across restarts at id " + record.id());
                previousId = record.id();
                previousWall = record.hlcWall();
                previousLogical = record.hlcLogical();
                journaledIds.add(record.id());

                final ByteBuffer payload = ByteBuffer.wrap(record.payload(), 0, record.payloadLength())
                    .order(ByteOrder.LITTLE_ENDIAN);
                final long run = payload.getLong(0);
                final long seq = payload.getLong(8);
                assertEquals(nextSeqByRun.getOrDefault(run, 0L), seq, "run " + run + " journaled in publish order");
                nextSeqByRun.put(run, seq + 1);
                CrashingWriter.fill(ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN), run, seq);
                assertArrayEquals(expected, Arrays.copyOf(record.payload(), record.payloadLength()),
                    "payload byte-identical for run " + run + " seq " + seq);
            }
        }
        ackedSeqByRun.forEach((run, lastAckedSeq) -> assertTrue(nextSeqByRun.getOrDefault(run, 0L) > lastAckedSeq,
            "run " + run + ": every message up to acknowledged seq " + lastAckedSeq + " is journaled, found up to " +
                (nextSeqByRun.getOrDefault(run, 0L) - 1) + "; seed " + seed));

        final Set<Long> traced = new HashSet<>();
        try (TraceReader trace = new TraceReader(journal))
        {
            final TraceEntry entry = new TraceEntry();
            while (trace.next(entry))
            {
                traced.add(entry.id());
            }
        }
        for (final long id : journaledIds)
        {
            assertTrue(traced.contains(id), "journaled message " + id + " was delivered at least once");
        }
    }

    private static void killWhileWriting(final Path journal, final Path acks, final int run, final long killAfterMillis)
        throws Exception
    {
        try (Victim victim = Victim.start(CrashingWriter.class, journal.toString(), acks.toString(), String.valueOf(run)))
        {
            victim.awaitLine("started");
            Thread.sleep(killAfterMillis);
            victim.kill();
        }
    }

    private static Map<Long, Long> lastAckedSeqByRun(final Path acks) throws IOException
    {
        final Map<Long, Long> last = new HashMap<>();
        for (final String line : Files.readAllLines(acks, StandardCharsets.US_ASCII))
        {
            final String[] fields = line.trim().split(" ");
            if (3 == fields.length)
            {
                last.merge(Long.parseLong(fields[1]), Long.parseLong(fields[2]), Math::max);
            }
        }
        return last;
    }
}
