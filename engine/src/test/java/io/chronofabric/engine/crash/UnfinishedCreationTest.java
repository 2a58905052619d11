package io.chronofabric.engine.crash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.chronofabric.engine.CapturedLog;
import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.journal.CreationCrash;
import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.JournalFileCheck;
import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.SettlementLayout;
import io.chronofabric.journal.TraceLayout;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process killed while Chronicle was creating a roll file, of any of the journal's queues, leaves a file without a
 * header that holds nothing ({@link CreationCrash}). The next engine start must not be refused: it sets the file aside
 * with one WARN line naming it, makes Chronicle's metadata listing agree, starts promptly, loses nothing, and appends
 * to that cycle again.
 */
@Timeout(120)
class UnfinishedCreationTest
{
    private static final int TYPE = 3;
    private static final int MESSAGES = 100;
    private static final int MORE = 10;
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private EngineConfiguration.Builder context()
    {
        return Profiles.builder("dev").journalDir(dir).ringSize(64);
    }

    /**
     * A journal with a trace, a settlement log and a dead letter, all settled, as a cleanly closed engine leaves it.
     */
    @BeforeEach
    void runAnEngine()
    {
        run(1, MESSAGES, 0);
        assertEquals(MESSAGES, JournalFiles.countRecords(dir));
    }

    /** The roll into today's cycle was cut short: today's file of the queue is as the kill left it. */
    @ParameterizedTest
    @ValueSource(strings = {"", TraceLayout.FOLDER, SettlementLayout.FOLDER, DeadLetterJournal.FOLDER})
    void shouldSetAsideARollFileWhoseCreationAKillCutShortAndAppendToItsCycleAgain(final String folder)
        throws IOException
    {
        final Path queueDir = dir.resolve(folder);
        final Path today = JournalFiles.rollFiles(queueDir).get(0);
        final Path previous = CreationCrash.moveToPreviousCycle(queueDir);
        CreationCrash.SIZED.leave(today, previous);
        // another queue object on the folder (the retention worker's) refreshed the listing from the file names
        CreationCrash.setListing(queueDir, "listing.highestCycle", CreationCrash.listing(queueDir,
            "listing.highestCycle") + 1);

        restartsAndAppendsToTheCycleAgain(queueDir, today);
    }

    /** Each state the creation can be cut in, the listing not yet told of the new cycle. */
    @ParameterizedTest
    @EnumSource(CreationCrash.class)
    void shouldSetAsideARollFileInEachStateAKillCanLeaveItsCreationIn(final CreationCrash state) throws IOException
    {
        final Path queueDir = TraceLayout.traceDir(dir);
        final Path today = JournalFiles.rollFiles(queueDir).get(0);
        final Path previous = CreationCrash.moveToPreviousCycle(queueDir);
        state.leave(today, previous);

        restartsAndAppendsToTheCycleAgain(queueDir, today);
    }

    /**
     * As {@code CrashAtScaleTest} met it: the kill cut short the creation of the queue's first roll file, the listing
     * still unset (Chronicle's lowest {@code Integer.MAX_VALUE}, highest {@code Integer.MIN_VALUE}).
     */
    @Test
    void shouldSetAsideTheFirstRollFileOfAQueueWhoseCreationAKillCutShort() throws IOException
    {
        final Path queueDir = TraceLayout.traceDir(dir);
        final Path today = JournalFiles.rollFiles(queueDir).get(0);
        final Path template = Files.move(today, dir.resolve("template.cq4.bak"));
        CreationCrash.SIZED.leave(today, template);
        CreationCrash.setListing(queueDir, "listing.lowestCycle", Integer.MAX_VALUE);
        CreationCrash.setListing(queueDir, "listing.highestCycle", Integer.MIN_VALUE);

        restartsAndAppendsToTheCycleAgain(queueDir, today);
    }

    /**
     * A kill while Chronicle created the metadata of a queue that has no roll file yet (the dead-letter queue, opened
     * at every start, gets its first file with its first dead letter): Chronicle cannot open the folder, and writes
     * the metadata afresh once it is gone.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldSetAsideTheMetadataOfAQueueWithoutRollFilesThatAKillLeftInCreation(final boolean sized)
        throws IOException
    {
        final Path queueDir = dir.resolve(DeadLetterJournal.FOLDER);
        final long size = Files.size(queueDir.resolve("metadata.cq4t"));
        JournalFiles.deleteFolder(queueDir);
        Files.createDirectories(queueDir);
        final Path metadata = queueDir.resolve("metadata.cq4t");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(metadata.toFile(), "rw"))
        {
            file.setLength(sized ? size : 0); // sized and mapped, header not yet written; or just created
        }

        restartsAndAppendsToTheCycleAgain(queueDir, metadata);
    }

    /**
     * Not a creation: a kill while the first document of a new roll file was being written (its header complete, the
     * document's header word still "not complete"). Chronicle's reader stops there and its writer carries on past it;
     * the engine starts without setting anything aside, and appends.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", TraceLayout.FOLDER, SettlementLayout.FOLDER, DeadLetterJournal.FOLDER})
    void shouldStartAfterAKillInsideTheFirstDocumentOfANewRollFile(final String folder) throws Exception
    {
        final Path queueDir = dir.resolve(folder);
        final Path today = JournalFiles.rollFiles(queueDir).get(0);
        CreationCrash.moveToPreviousCycle(queueDir);
        try (Victim victim = Victim.start(AppendingVictim.class, queueDir.toString()))
        {
            victim.awaitLine("kill-me");
            victim.kill();
        }
        assertTrue(Files.size(today) > 0, "today's file created, its first document begun");
        assertEquals(List.of(), JournalFileCheck.check(queueDir, false, JournalFileCheck.Depth.DOCUMENTS),
            "a document a writer stopped in is where reading ends, not damage");

        final List<String> warnings;
        try (CapturedLog captured = new CapturedLog("JournalRecovery"))
        {
            assertTimeoutPreemptively(PROMPTLY, () -> run(2, MORE, MESSAGES), "the engine starts within seconds");
            warnings = captured.lines();
        }
        assertEquals(List.of(), warnings, "nothing set aside");
        for (final Path queue : JournalFileCheck.queueDirs(dir))
        {
            assertEquals(List.of(), JournalFileCheck.check(queue, false, JournalFileCheck.Depth.DOCUMENTS),
                queue.toString());
        }
        assertEquals(MESSAGES + MORE, JournalFiles.countRecords(dir), "nothing lost, the new records appended");
        try (ChronoFabric engine = ChronoFabric.start(context()))
        {
            assertEquals(0, engine.recoveredMessages(), "everything settled");
            assertEquals(MESSAGES + MORE, engine.acknowledgedId());
        }
    }

    private void restartsAndAppendsToTheCycleAgain(final Path queueDir, final Path unfinished) throws IOException
    {
        final long left = digest(unfinished);
        final List<String> warnings;
        try (CapturedLog captured = new CapturedLog("JournalRecovery"))
        {
            assertTimeoutPreemptively(PROMPTLY, () -> run(2, MORE, MESSAGES), "the engine starts within seconds");
            warnings = captured.lines();
        }
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).contains(unfinished.toString()), warnings::toString);

        final Path setAside = unfinished.resolveSibling(unfinished.getFileName() + ".unfinished");
        assertTrue(Files.isRegularFile(setAside), "set aside as " + setAside);
        assertEquals(left, digest(setAside), "set aside as it was");
        assertTrue(Files.size(unfinished) > 0, "the cycle's file created again");
        for (final Path queue : JournalFileCheck.queueDirs(dir))
        {
            assertEquals(List.of(), JournalFileCheck.check(queue, false, JournalFileCheck.Depth.DOCUMENTS),
                queue.toString());
        }
        assertEquals(MESSAGES + MORE, JournalFiles.countRecords(dir), "nothing lost, the new records appended");
        try (ChronoFabric engine = ChronoFabric.start(context()))
        {
            assertEquals(0, engine.recoveredMessages(), "everything settled");
            assertEquals(MESSAGES + MORE, engine.acknowledgedId());
        }
    }

    /** @return the size and CRC32 of a file's bytes, read in chunks (a roll file is sparse, tens of megabytes). */
    private static long digest(final Path file) throws IOException
    {
        final java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        try (java.io.InputStream in = Files.newInputStream(file))
        {
            final byte[] chunk = new byte[1 << 20];
            for (int read = in.read(chunk); read >= 0; read = in.read(chunk))
            {
                crc.update(chunk, 0, read);
            }
        }
        return crc.getValue() ^ Files.size(file) << 32;
    }

    /** Publishes messages, the first one dead-lettered (so that the dead-letter queue gets a document), and closes. */
    private void run(final int publisherId, final int messages, final long firstId)
    {
        try (ChronoFabric engine = ChronoFabric.start(context(), e -> e.subscribe(TYPE, message ->
        {
            if (firstId + 1 == message.id())
            {
                throw new IllegalStateException("dead-lettered on purpose");
            }
        }, new RetryPolicy(1, 0, 0, 1_000_000_000L, 16))))
        {
            assertEquals(firstId, engine.acknowledgedId());
            final Publisher publisher = engine.newPublisher(publisherId);
            for (int i = 0; i < messages; i++)
            {
                publisher.publish(TYPE, (Integer value, ByteBuffer buffer) -> buffer.putInt(value), i);
            }
        }
    }
}
