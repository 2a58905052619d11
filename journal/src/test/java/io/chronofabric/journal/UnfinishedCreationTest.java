package io.chronofabric.journal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.chronofabric.journal.JournalFileCheck.Depth.DOCUMENTS;
import static io.chronofabric.journal.JournalFileCheck.Depth.HEADERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The newest roll file of a queue that a kill left while Chronicle was creating it ({@link CreationCrash}), and the
 * metadata file of a queue without roll files likewise: the check reports it as {@link
 * JournalCorruptionException#unfinished() unfinished}, not damage; {@link JournalFileCheck#setAsideUnfinished} sets it
 * aside under the journal lock and makes Chronicle's listing agree, after which Chronicle reads every record promptly
 * and writes the cycle again. Anything else (an older cycle, a byte written, another header word, an emptied file the
 * listing names, a metadata file beside roll files) is refused as before, and nothing is changed while anything in the
 * folder is refused.
 */
class UnfinishedCreationTest
{
    private static final int RECORDS = 1_000;
    private static final Duration PROMPTLY = Duration.ofSeconds(5);
    private static final String HIGHEST = "listing.highestCycle";
    private static final String LOWEST = "listing.lowestCycle";

    @TempDir
    Path dir;

    /** Today's roll file of the journal: absent after the set-up, which moved the records to the previous cycle. */
    private Path today;
    private Path previous;
    private long previousCycle;

    @BeforeEach
    void writeAJournalThatRolledIntoToday() throws IOException
    {
        today = SettledJournal.write(dir, RECORDS);
        previous = CreationCrash.moveToPreviousCycle(dir);
        previousCycle = CreationCrash.listing(dir, HIGHEST);
    }

    @ParameterizedTest
    @EnumSource(CreationCrash.class)
    void shouldReportTheNewestRollFileAKillLeftInCreationAsUnfinishedAndSetItAside(final CreationCrash state)
        throws IOException
    {
        state.leave(today, previous);

        final List<JournalCorruptionException> findings = JournalFileCheck.check(dir, false, DOCUMENTS);
        assertEquals(1, findings.size(), findings::toString);
        final JournalCorruptionException finding = findings.get(0);
        assertTrue(finding.unfinished(), finding::getMessage);
        assertEquals(today, finding.file());
        assertTrue(finding.getMessage().startsWith("unfinished journal file " + today + ": "), finding::getMessage);
        assertTrue(finding.reason().endsWith("it holds nothing, and the next engine start sets it aside"),
            finding::getMessage);
        assertEquals(finding.getMessage(), assertThrows(JournalCorruptionException.class,
            () -> JournalFileCheck.requireReadable(dir)).getMessage(), "the check without the lock changes nothing");
        JournalFileCheck.requireStartable(dir);
        assertEquals(List.of(), JournalFileCheck.check(dir, true, HEADERS), "a live writer may be creating it");

        setsAsideAndWritesTheCycleAgain(RECORDS, previousCycle);
    }

    /** Another queue object on the folder refreshed the listing from the file names while the file was created. */
    @ParameterizedTest
    @EnumSource(value = CreationCrash.class, names = {"SIZED", "HEADER_CLAIMED"})
    void shouldMakeAListingThatAlreadyNamesTheUnfinishedCycleAgreeWithTheFolderWithoutIt(final CreationCrash state)
        throws IOException
    {
        state.leave(today, previous);
        CreationCrash.setListing(dir, HIGHEST, previousCycle + 1);
        assertTrue(JournalFileCheck.check(dir, false, DOCUMENTS).get(0).unfinished());

        final List<JournalFileCheck.SetAside> setAside = setsAsideAndWritesTheCycleAgain(RECORDS, previousCycle);
        assertTrue(setAside.get(0).what().endsWith("listing.highestCycle " + (previousCycle + 1) + " -> " +
            previousCycle), setAside::toString);
    }

    /** The queue's first roll file: the listing unset, or (refreshed meanwhile) naming the file being created. */
    @ParameterizedTest
    @EnumSource(CreationCrash.class)
    void shouldSetAsideTheFirstRollFileOfAQueueThatAKillLeftInCreation(final CreationCrash state) throws IOException
    {
        final Path template = Files.move(previous, dir.resolve("template.bak"));
        state.leave(today, template);
        final boolean refreshed = CreationCrash.CREATED != state; // an empty file the listing names is refused
        CreationCrash.setListing(dir, LOWEST, refreshed ? previousCycle + 1 : Integer.MAX_VALUE);
        CreationCrash.setListing(dir, HIGHEST, refreshed ? previousCycle + 1 : Integer.MIN_VALUE);
        assertTrue(JournalFileCheck.check(dir, false, DOCUMENTS).get(0).unfinished());

        setsAsideAndWritesTheCycleAgain(0, Integer.MIN_VALUE);
        assertEquals(previousCycle + 1, CreationCrash.listing(dir, LOWEST), "listed again by the writer");
    }

    @Test
    void shouldStillRefuseAnAllZeroRollFileThatIsNotTheNewest() throws IOException
    {
        appendRecord(RECORDS + 1); // today's file, complete
        final Path template = Files.move(previous, dir.resolve("template.bak"));
        CreationCrash.SIZED.leave(previous, template);
        refusedAsDamage(previous, "no complete Chronicle header (header word 0x00000000)");
    }

    @Test
    void shouldStillRefuseANewestRollFileWithAnythingWrittenPastItsZeroHeaderWord() throws IOException
    {
        CreationCrash.SIZED.leave(today, previous);
        write(today, Files.size(today) - 1, new byte[] {1});
        refusedAsDamage(today, "no complete Chronicle header (header word 0x00000000)");
    }

    @Test
    void shouldStillRefuseANewestRollFileWithAClaimedHeaderAndAnythingWrittenPastTheCreationsOwnStructures()
        throws IOException
    {
        CreationCrash.HEADER_CLAIMED.leave(today, previous);
        write(today, 1 << 20, new byte[] {1});
        refusedAsDamage(today, "no complete Chronicle header (header word 0x80000000)");
    }

    @Test
    void shouldStillRefuseANewestRollFileWithAnotherHeaderWord() throws IOException
    {
        CreationCrash.SIZED.leave(today, previous);
        write(today, 0, new byte[] {0x78, 0x56, 0x34, 0x12});
        refusedAsDamage(today, "header word 0x12345678 is not the header of a Chronicle Queue file");
    }

    @Test
    void shouldStillRefuseAnEmptyNewestRollFileThatTheListingNames() throws IOException
    {
        CreationCrash.CREATED.leave(today, previous);
        CreationCrash.setListing(dir, HIGHEST, previousCycle + 1);
        refusedAsDamage(today, "an empty file (0 bytes)");
    }

    @Test
    void shouldChangeNothingWhileAnotherFileOfTheFolderIsRefused() throws IOException
    {
        CreationCrash.SIZED.leave(today, previous);
        final Path settled = JournalFiles.rollFiles(SettlementLayout.settlementDir(dir)).get(0);
        final byte[] garbage = new byte[4096];
        new Random(3).nextBytes(garbage);
        Files.write(settled, garbage);

        try (JournalLock lock = JournalLock.acquire(dir))
        {
            assertThrows(JournalCorruptionException.class, () -> JournalFileCheck.requireStartable(dir));
            final JournalCorruptionException refused = assertThrows(JournalCorruptionException.class,
                () -> JournalFileCheck.setAsideUnfinished(lock));
            assertEquals(settled, refused.file());
            assertFalse(refused.unfinished());
        }
        assertTrue(Files.exists(today), "left as it was");
        assertFalse(Files.exists(today.resolveSibling(today.getFileName() + ".unfinished")));
    }

    @Test
    void shouldSetAsideOnlyUnderAHeldLock() throws IOException
    {
        CreationCrash.SIZED.leave(today, previous);
        final JournalLock lock = JournalLock.acquire(dir);
        lock.close();
        assertThrows(IllegalStateException.class, () -> JournalFileCheck.setAsideUnfinished(lock));
        assertTrue(Files.exists(today));
    }

    @Test
    void shouldNotOverwriteAFileSetAsideBefore() throws IOException
    {
        CreationCrash.SIZED.leave(today, previous);
        setsAsideAndWritesTheCycleAgain(RECORDS, previousCycle);
        Files.move(today, dir.resolve("second.bak"));
        CreationCrash.CREATED.leave(today, previous);
        CreationCrash.setListing(dir, HIGHEST, previousCycle);
        try (JournalLock lock = JournalLock.acquire(dir))
        {
            assertEquals(today.resolveSibling(today.getFileName() + ".unfinished.2"),
                JournalFileCheck.setAsideUnfinished(lock).get(0).movedTo());
        }
        assertEquals(Files.size(previous), Files.size(today.resolveSibling(today.getFileName() + ".unfinished")));
    }

    /** What a kill leaves of the metadata Chronicle creates when it first opens a folder, before any roll file. */
    @ParameterizedTest
    @EnumSource(MetadataCrash.class)
    void shouldSetAsideTheMetadataOfAQueueWithoutRollFilesThatAKillLeftInCreation(final MetadataCrash state)
        throws IOException
    {
        final Path deadLetters = dir.resolve(DeadLetterJournal.FOLDER);
        JournalQueues.openForWrite(deadLetters, "FAST_DAILY").close(); // the dead-letter queue opened, nothing written
        final Path metadata = deadLetters.resolve("metadata.cq4t");
        state.leave(metadata);

        final List<JournalCorruptionException> findings = JournalFileCheck.check(deadLetters, false, DOCUMENTS);
        assertEquals(1, findings.size(), findings::toString);
        assertTrue(findings.get(0).unfinished(), findings.get(0)::getMessage);
        assertEquals(metadata, findings.get(0).file());
        try (JournalLock lock = JournalLock.acquire(dir))
        {
            final List<JournalFileCheck.SetAside> setAside = JournalFileCheck.setAsideUnfinished(lock);
            assertEquals(1, setAside.size(), setAside::toString);
            assertEquals(metadata.resolveSibling("metadata.cq4t.unfinished"), setAside.get(0).movedTo());
        }
        try (DeadLetterJournal writer = new DeadLetterJournal(dir, "FAST_DAILY", Durability.NONE))
        {
            writer.append(7, 1, 1, DeadLetterReason.values()[0], 1, 7);
        }
        JournalFileCheck.requireReadable(dir, false, DOCUMENTS);
        assertEquals(1, DeadLetterJournal.readAll(dir, letter -> { }));
    }

    @Test
    void shouldStillRefuseAnAllZeroMetadataFileBesideRollFiles() throws IOException
    {
        MetadataCrash.SIZED.leave(dir.resolve("metadata.cq4t"));
        final JournalCorruptionException refused = assertThrows(JournalCorruptionException.class,
            () -> JournalFileCheck.requireStartable(dir));
        assertEquals(dir.resolve("metadata.cq4t"), refused.file());
        assertFalse(refused.unfinished());
    }

    /** The states a kill leaves a queue's metadata file in while Chronicle creates it ({@code SingleTableBuilder}). */
    enum MetadataCrash
    {
        /** Created, not yet sized and mapped. */
        CREATED,
        /** Sized and mapped, the header word not yet claimed. */
        SIZED,
        /** The header word claimed, the table store's header being written. */
        HEADER_CLAIMED,
        /** Complete but for the document of the last value, which was being added. */
        VALUE_BEING_ADDED;

        void leave(final Path metadata) throws IOException
        {
            final byte[] bytes = Files.readAllBytes(metadata);
            final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            switch (this)
            {
                case CREATED -> Files.write(metadata, new byte[0]);
                case SIZED -> Files.write(metadata, new byte[bytes.length]);
                case HEADER_CLAIMED ->
                {
                    final byte[] left = new byte[bytes.length];
                    System.arraycopy(bytes, 0, left, 0, 60);
                    ByteBuffer.wrap(left).order(ByteOrder.LITTLE_ENDIAN).putInt(0, CreationCrash.CLAIMED);
                    Files.write(metadata, left);
                }
                case VALUE_BEING_ADDED ->
                {
                    int last = 0;
                    for (int at = 0; 0 != buffer.getInt(at); at = (at + 4 + (buffer.getInt(at) & 0x3FFF_FFFF) + 3) & ~3)
                    {
                        last = at;
                    }
                    // its header word says "not complete", its name written, its value not yet
                    buffer.putInt(last, buffer.getInt(last) | CreationCrash.CLAIMED);
                    java.util.Arrays.fill(bytes, last + 4 + 24, bytes.length, (byte)0);
                    Files.write(metadata, bytes);
                }
            }
        }
    }

    /**
     * Sets aside under the lock, then checks that Chronicle reads every record promptly and writes the cycle again.
     *
     * @param records the records the journal holds.
     * @param highest the highest cycle the listing must give once the file is set aside (Chronicle's unset value,
     *                {@code Integer.MIN_VALUE}, when no roll file is left).
     */
    private List<JournalFileCheck.SetAside> setsAsideAndWritesTheCycleAgain(final int records, final long highest)
        throws IOException
    {
        final long before = Files.size(today);
        final List<JournalFileCheck.SetAside> setAside;
        try (JournalLock lock = JournalLock.acquire(dir))
        {
            setAside = JournalFileCheck.setAsideUnfinished(lock);
        }
        assertEquals(1, setAside.size(), setAside::toString);
        assertEquals(today, setAside.get(0).file());
        final Path movedTo = today.resolveSibling(today.getFileName() + ".unfinished");
        assertEquals(movedTo, setAside.get(0).movedTo());
        assertEquals(before, Files.size(movedTo), "set aside as it was");
        assertFalse(Files.exists(today));
        assertEquals(highest, CreationCrash.listing(dir, HIGHEST));
        for (final Path queueDir : JournalFileCheck.queueDirs(dir))
        {
            assertEquals(List.of(), JournalFileCheck.check(queueDir, false, DOCUMENTS), queueDir.toString());
        }

        assertTimeoutPreemptively(PROMPTLY, () -> assertEquals(records, JournalFiles.countRecords(dir)),
            "Chronicle does not wait for a header");
        assertTimeoutPreemptively(PROMPTLY, () -> appendRecord(records + 1), "nor does its writer");
        assertTrue(Files.exists(today), "the cycle's file written again");
        assertEquals(records + 1, JournalFiles.countRecords(dir));
        final MessageRecord last = new MessageRecord(8, 256);
        assertTrue(JournalReader.readLast(dir, last));
        assertEquals(records + 1, last.id());
        JournalFileCheck.requireReadable(dir, false, DOCUMENTS);
        return setAside;
    }

    private void refusedAsDamage(final Path file, final String reason) throws IOException
    {
        final JournalCorruptionException refused = assertThrows(JournalCorruptionException.class,
            () -> JournalFileCheck.requireStartable(dir));
        assertEquals(file, refused.file());
        assertFalse(refused.unfinished(), refused::getMessage);
        assertTrue(refused.reason().contains(reason), refused::getMessage);
        final long size = Files.size(file);
        try (JournalLock lock = JournalLock.acquire(dir))
        {
            assertEquals(refused.getMessage(), assertThrows(JournalCorruptionException.class,
                () -> JournalFileCheck.setAsideUnfinished(lock)).getMessage());
        }
        assertEquals(size, Files.size(file), "left as it was");
        try (var files = Files.list(dir))
        {
            assertFalse(files.anyMatch(f -> f.toString().endsWith(".unfinished")), "nothing set aside");
        }
    }

    private void appendRecord(final long id)
    {
        try (JournalWriter writer = new JournalWriter(dir, "FAST_DAILY", 8, 256))
        {
            final MessageRecord record = new MessageRecord(8, 256);
            record.id(id).type(1).hlc(id, 0).payloadLength(16);
            writer.append(record);
        }
    }

    private static void write(final Path file, final long position, final byte[] bytes) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(position);
            raf.write(bytes);
        }
    }
}
