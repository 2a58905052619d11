package io.chronofabric.engine.crash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.JournalCorruptionException;
import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.JournalWriter;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.SettlementLayout;
import io.chronofabric.journal.TraceLayout;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An engine refuses, within seconds, to start on a journal folder it cannot read, naming the file and where, and
 * leaves the folder as it found it: Chronicle left alone would wait for a header that never comes, then set the file
 * aside as {@code *.discard} and start the cycle again, its records lost and ids restarting at 1.
 */
@Timeout(120)
class HostileJournalTest
{
    private static final int TYPE = 3;
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private EngineConfiguration.Builder context()
    {
        return Profiles.builder("dev").journalDir(dir).ringSize(64);
    }

    /** A journal with a trace and a settlement log, all settled, as a cleanly closed engine leaves it. */
    @BeforeEach
    void runAnEngine()
    {
        try (ChronoFabric engine = ChronoFabric.start(context(), e -> e.subscribe(TYPE, m -> { })))
        {
            final Publisher publisher = engine.newPublisher(1);
            for (int i = 0; i < 100; i++)
            {
                publisher.publish(TYPE, (Integer value, ByteBuffer buffer) -> buffer.putInt(value), i);
            }
        }
    }

    @Test
    void shouldRefuseARollFileOfRandomBytesPromptlyAndLeaveItUntouched() throws IOException
    {
        final Path rollFile = JournalFiles.rollFiles(dir).get(0);
        final byte[] garbage = new byte[64 << 20];
        new Random(64).nextBytes(garbage);
        Files.write(rollFile, garbage);

        final JournalCorruptionException refused = refusesToStart();
        assertEquals(rollFile, refused.file());
        assertEquals(0, refused.offset());
        assertTrue(refused.getMessage().startsWith("corrupt journal file " + rollFile + " at byte offset 0: "),
            refused.getMessage());
        assertArrayEquals(garbage, Files.readAllBytes(rollFile), "the file is left as it was");
        assertNoFileSetAside();
    }

    @Test
    void shouldRefuseAnEmptyRollFile() throws IOException
    {
        final Path rollFile = JournalFiles.rollFiles(dir).get(0);
        Files.write(rollFile, new byte[0]);

        final JournalCorruptionException refused = refusesToStart();
        assertEquals(rollFile, refused.file());
        assertTrue(refused.reason().contains("empty file (0 bytes)"), refused.getMessage());
        assertEquals(0, Files.size(rollFile));
        assertNoFileSetAside();
    }

    @ParameterizedTest
    @ValueSource(strings = {TraceLayout.FOLDER, SettlementLayout.FOLDER, DeadLetterJournal.FOLDER})
    void shouldRefuseAGarbageRollFileInAQueueBesideTheJournal(final String folder) throws IOException
    {
        final Path rollFile = Files.createDirectories(dir.resolve(folder))
            .resolve(JournalFiles.rollFiles(dir).get(0).getFileName());
        final byte[] garbage = new byte[1 << 20];
        new Random(folder.hashCode()).nextBytes(garbage);
        Files.write(rollFile, garbage);

        final JournalCorruptionException refused = refusesToStart();
        assertEquals(rollFile, refused.file());
        assertArrayEquals(garbage, Files.readAllBytes(rollFile));
        assertNoFileSetAside();
    }

    @Test
    void shouldRefuseGarbageChronicleMetadata() throws IOException
    {
        final Path metadata = dir.resolve("metadata.cq4t");
        final byte[] garbage = new byte[(int)Files.size(metadata)];
        new Random(5).nextBytes(garbage);
        Files.write(metadata, garbage);

        assertEquals(metadata, refusesToStart().file());
    }

    @Test
    void shouldRefuseASettlementLogWhoseMetadataListsACycleWithoutRollFile() throws IOException
    {
        // found by fuzzing: Chronicle's search for the end recursed once per missing cycle, a StackOverflowError
        final Path metadata = SettlementLayout.settlementDir(dir).resolve("metadata.cq4t");
        final byte[] bytes = Files.readAllBytes(metadata);
        int value = indexOf(bytes, "listing.highestCycle");
        while ((bytes[value] & 0xFF) != 0xA7)
        {
            value++;
        }
        bytes[value + 3] ^= 0x01;
        Files.write(metadata, bytes);

        final JournalCorruptionException refused = refusesToStart();
        assertEquals(metadata, refused.file());
        assertTrue(refused.reason().startsWith("listing.highestCycle "), refused.getMessage());
    }

    @Test
    void shouldRefuseACorruptSettlementDocumentNamingTheSettlementLog() throws IOException
    {
        final Path settledDir = SettlementLayout.settlementDir(dir);
        final Path rollFile = JournalFiles.rollFiles(settledDir).get(0);
        final byte[] bytes = Files.readAllBytes(rollFile);
        bytes[lastDocumentPosition(bytes) + 4 + 8] ^= 0x01; // the watermark of the last document: its CRC breaks
        Files.write(rollFile, bytes);

        final JournalCorruptionException refused = refusesToStart();
        assertTrue(refused.getMessage().startsWith("corrupt settlement document at index 0x"), refused.getMessage());
        assertTrue(refused.getMessage().contains(" of " + settledDir + ": "), refused.getMessage());
    }

    @Test
    void shouldNamePayloadCapacityAndTheSizeNeededForAJournalWrittenWithALargerOne()
    {
        appendRecord(4096, 0, 600);
        final JournalCorruptionException refused = assertThrows(JournalCorruptionException.class,
            () -> ChronoFabric.start(context().payloadCapacity(256)).close());
        assertTrue(refused.overCapacity(), refused::getMessage);
        assertTrue(refused.getMessage().contains("it has a 600-byte payload, over payload.capacity=256; the journal " +
            "was written with a larger capacity: set payload.capacity to at least 600"), refused.getMessage());
    }

    @Test
    void shouldNameDependenciesMaxAndTheCountNeededForAJournalWrittenWithALargerOne()
    {
        appendRecord(256, 12, 4);
        final JournalCorruptionException refused = assertThrows(JournalCorruptionException.class,
            () -> ChronoFabric.start(context().maxDependencies(8)).close());
        assertTrue(refused.overCapacity(), refused::getMessage);
        assertTrue(refused.getMessage().contains("it has 12 dependencies, over dependencies.max=8; the journal was " +
            "written with a larger capacity: set dependencies.max to at least 12"), refused.getMessage());
    }

    private JournalCorruptionException refusesToStart()
    {
        return assertTimeoutPreemptively(PROMPTLY, () -> assertThrows(JournalCorruptionException.class,
            () -> ChronoFabric.start(context()).close()), "the engine refuses within seconds");
    }

    /** Appends, after the engine's records, one written with larger capacities, as an engine so configured would. */
    private void appendRecord(final int payloadCapacity, final int dependencies, final int payloadLength)
    {
        try (JournalWriter writer = new JournalWriter(dir, "FAST_DAILY", Math.max(dependencies, 1), payloadCapacity))
        {
            final MessageRecord record = new MessageRecord(Math.max(dependencies, 1), payloadCapacity);
            record.id(101).type(TYPE).hlc(System.currentTimeMillis() * 1_000_000L, 0).dependencyCount(dependencies);
            for (int i = 0; i < dependencies; i++)
            {
                record.dependency(i, 90 + i);
            }
            record.payloadLength(payloadLength);
            writer.append(record);
        }
    }

    private void assertNoFileSetAside() throws IOException
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            assertEquals(0, files.filter(f -> f.getFileName().toString().endsWith(".discard")).count(),
                "no roll file renamed to *.discard");
        }
    }

    private static int indexOf(final byte[] bytes, final String text)
    {
        final byte[] wanted = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i + wanted.length <= bytes.length; i++)
        {
            if (Arrays.equals(bytes, i, i + wanted.length, wanted, 0, wanted.length))
            {
                return i;
            }
        }
        throw new AssertionError(text + " not found");
    }

    /** Walks Chronicle's framing (a 4-byte header word, length in the low 30 bits, headers 4-aligned). */
    private static int lastDocumentPosition(final byte[] bytes)
    {
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int position = 0;
        int last = -1;
        while (position + 4 <= bytes.length && 0 != buffer.getInt(position))
        {
            last = position;
            position = (position + 4 + (buffer.getInt(position) & 0x3FFF_FFFF) + 3) & ~3;
        }
        return last;
    }

    @Test
    void shouldStillStartOnTheUndamagedJournal()
    {
        try (ChronoFabric engine = ChronoFabric.start(context()))
        {
            assertEquals(0, engine.recoveredMessages());
        }
        assertTrue(Arrays.stream(dir.toFile().list()).noneMatch(name -> name.endsWith(".discard")));
    }
}
