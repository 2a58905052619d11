package io.chronofabric.journal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.journal.JournalFileCheck.Depth.DOCUMENTS;
import static io.chronofabric.journal.JournalFileCheck.Depth.HEADERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalFileCheckTest
{
    private static final int RECORDS = 1_000;

    @TempDir
    Path dir;

    private Path rollFile;

    @BeforeEach
    void writeAJournalWithASettlementLog()
    {
        rollFile = SettledJournal.write(dir, RECORDS);
    }

    @Test
    void shouldPassTheFilesOfAJournalAChronicleWriterLeft()
    {
        for (final Path queueDir : JournalFileCheck.queueDirs(dir))
        {
            assertEquals(List.of(), JournalFileCheck.check(queueDir, false, DOCUMENTS), queueDir.toString());
        }
        JournalFileCheck.requireReadable(dir);
        JournalFileCheck.requireReadable(dir.resolve("absent"));
    }

    @Test
    void shouldRefuseARollFileOfRandomBytesAtOffsetZero() throws IOException
    {
        final byte[] garbage = new byte[1 << 20];
        new Random(11).nextBytes(garbage);
        Files.write(rollFile, garbage);
        final JournalCorruptionException ex = refused();
        assertEquals(rollFile, ex.file());
        assertEquals(0, ex.offset());
        assertTrue(ex.getMessage().startsWith("corrupt journal file " + rollFile + " at byte offset 0: "),
            ex.getMessage());
    }

    @Test
    void shouldRefuseAnEmptyRollFile() throws IOException
    {
        Files.write(rollFile, new byte[0]);
        final JournalCorruptionException ex = refused();
        assertEquals(0, ex.offset());
        assertTrue(ex.reason().contains("empty file (0 bytes)"), ex.reason());
    }

    @Test
    void shouldRefuseARollFileCutInsideItsHeader() throws IOException
    {
        truncate(rollFile, 40);
        final JournalCorruptionException ex = refused();
        assertEquals(40, ex.offset());
        assertTrue(ex.reason().startsWith("truncated: 40 bytes, shorter than its"), ex.reason());
    }

    @Test
    void shouldRefuseARollFileCutBeforeTheLastDocumentItsHeaderRecords() throws IOException
    {
        truncate(rollFile, 20_000);
        final JournalCorruptionException ex = refused();
        assertEquals(20_000, ex.offset());
        assertTrue(ex.reason().startsWith("truncated: 20000 bytes, but its header records a document written at " +
            "byte offset "), ex.reason());
    }

    @Test
    void shouldRefuseARollFileCutInsideItsLastDocument() throws IOException
    {
        final long end = lastDocumentEnd();
        truncate(rollFile, end - 2);
        final JournalCorruptionException ex = refused();
        assertEquals(end - 2, ex.offset());
        assertTrue(ex.reason().contains("and the header word after it need " + (end + 4)), ex.reason());
    }

    @Test
    void shouldRefuseAChronicleFileOfAnotherKindAsARollFile() throws IOException
    {
        Files.copy(dir.resolve("metadata.cq4t"), rollFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        final JournalCorruptionException ex = refused();
        assertEquals(12, ex.offset(), "where the store type is");
        assertTrue(ex.reason().contains("not a Chronicle SCQStore header"), ex.reason());
    }

    @Test
    void shouldRefuseAHeaderWhoseLengthIsOneShortOfItsFields() throws IOException
    {
        flip(rollFile, 0, 0x01);
        final JournalCorruptionException ex = refused();
        assertEquals("a length of 170 runs past its enclosing document", ex.reason());
    }

    @Test
    void shouldRefuseADamagedFieldNameInTheHeader() throws IOException
    {
        final int dataFormat = indexOf(Files.readAllBytes(rollFile), "dataFormat");
        flip(rollFile, dataFormat + 1, 0x01);
        final JournalCorruptionException ex = refused();
        assertEquals(dataFormat - 1, ex.offset(), "where the field starts");
        assertEquals("unexpected field 'd`taFormat' in the SCQStore header", ex.reason());
    }

    /**
     * Every bit of a roll file's header flipped, one at a time: the check refuses the file, or Chronicle can open it
     * and the reader reads every record or reports a corrupt one; never another exception, never fewer records.
     */
    @Test
    void shouldLetNoHeaderDamageThroughThatChronicleCannotRead() throws IOException
    {
        final int headerEnd = 4 + (ByteBuffer.wrap(Files.readAllBytes(rollFile), 0, 4).order(ByteOrder.LITTLE_ENDIAN)
            .getInt() & 0x3FFF_FFFF);
        int refused = 0;
        for (int offset = 0; offset < headerEnd; offset++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                flip(rollFile, offset, 1 << bit);
                try
                {
                    refused += refusedOrReadable("byte " + offset + " bit " + bit) ? 1 : 0;
                }
                finally
                {
                    flip(rollFile, offset, 1 << bit);
                }
            }
        }
        assertTrue(refused > headerEnd * 4, "most flips are refused by the check: " + refused);
    }

    @Test
    void shouldFindADocumentLengthRunningPastTheEndOfTheFile() throws IOException
    {
        final long record = documentPositions().get(3); // the first record, a data document
        flip(rollFile, record + 3, 0x20); // a length bit far above the file's size
        assertEquals(List.of(), JournalFileCheck.check(dir, false, HEADERS), "the headers are intact");
        JournalCorruptionException ex = JournalFileCheck.check(dir, false, DOCUMENTS).get(0);
        assertEquals(record, ex.offset());
        assertTrue(ex.reason().contains("past the end of the file"), ex.reason());

        flip(rollFile, record + 3, 0x20);
        final long index = documentPositions().get(2); // the first index array, a metadata document
        flip(rollFile, index + 3, 0x20);
        // an index document is checked with the headers: Chronicle reads it first
        ex = JournalFileCheck.check(dir, false, HEADERS).get(0);
        assertEquals(index, ex.offset());
        assertTrue(ex.reason().contains("is not that of an index document within the file's"), ex.reason());
    }

    @Test
    void shouldFindAnIndexEntryPointingPastTheEndOfTheFile() throws IOException
    {
        final long index = documentPositions().get(2);
        final byte[] bytes = Files.readAllBytes(rollFile);
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final long firstRecord = documentPositions().get(3);
        int entry = (int)index;
        while (buffer.getLong(entry) != firstRecord)
        {
            entry++;
        }
        flip(rollFile, entry + 5, 0x40);
        final JournalCorruptionException ex = JournalFileCheck.check(dir, false, DOCUMENTS).get(0);
        assertEquals(entry, ex.offset());
        assertTrue(ex.reason().startsWith("an index entry points to byte offset "), ex.reason());
    }

    @Test
    void shouldRefuseGarbageMetadata() throws IOException
    {
        final Path metadata = dir.resolve("metadata.cq4t");
        final byte[] garbage = new byte[(int)Files.size(metadata)];
        new Random(12).nextBytes(garbage);
        garbage[3] = 0x40; // a complete metadata header word, with a length past the end of the file
        Files.write(metadata, garbage);
        final JournalCorruptionException ex = refused();
        assertEquals(metadata, ex.file());
    }

    @Test
    void shouldRefuseMetadataCutAfterItsHeader() throws IOException
    {
        final Path metadata = dir.resolve("metadata.cq4t");
        final int headerEnd = 4 + (ByteBuffer.wrap(Files.readAllBytes(metadata), 0, 4).order(ByteOrder.LITTLE_ENDIAN)
            .getInt() & 0x3FFF_FFFF);
        truncate(metadata, headerEnd + 1);
        final JournalCorruptionException ex = refused();
        assertEquals(metadata, ex.file());
        assertEquals("truncated: " + (headerEnd + 1) + " bytes, and its documents run on to the end of the file",
            ex.reason());
    }

    @Test
    void shouldRefuseMetadataShorterThanAPage() throws IOException
    {
        final Path metadata = dir.resolve("metadata.cq4t");
        truncate(metadata, 2548);
        final JournalCorruptionException ex = refused();
        assertEquals(metadata, ex.file());
        assertTrue(ex.reason().startsWith("truncated: 2548 bytes, shorter than the "), ex.reason());
    }

    @Test
    void shouldRefuseMetadataWhoseHighestCycleNamesNoRollFile() throws IOException
    {
        final Path metadata = dir.resolve("metadata.cq4t");
        final int value = int64After(Files.readAllBytes(metadata), "listing.highestCycle");
        flip(metadata, value + 2, 0x01); // 2^16 cycles later: Chronicle's search for the end would recurse that deep
        final JournalCorruptionException ex = refused();
        assertEquals(metadata, ex.file());
        assertEquals(value, ex.offset(), "where the value is");
        assertTrue(ex.reason().startsWith("listing.highestCycle "), ex.reason());
        assertTrue(ex.reason().endsWith(" names no roll file in the folder (1 there): a reader would search for its " +
            "end from a cycle that is not there"), ex.reason());
    }

    @Test
    void shouldRefuseMetadataWhoseLowestCycleNamesNoRollFile() throws IOException
    {
        final Path metadata = dir.resolve("metadata.cq4t");
        addToLong(metadata, int64After(Files.readAllBytes(metadata), "listing.lowestCycle"), 1);
        final JournalCorruptionException ex = refused();
        assertTrue(ex.reason().endsWith("names no roll file in the folder (1 there): a reader would find the queue " +
            "empty"), ex.reason());
        assertFalse(ex.unfinished(), "a lowest cycle above the oldest roll file is no deletion cut short");
    }

    /**
     * A lowest cycle below every roll file there is what a deletion of the oldest cycles leaves when a kill cuts it
     * short before Chronicle lists the folder again: an engine start repairs it (the listing only repeats the folder).
     */
    @Test
    void shouldCallALowestCycleBelowEveryRollFileADeletionCutShort() throws IOException
    {
        final Path metadata = dir.resolve("metadata.cq4t");
        addToLong(metadata, int64After(Files.readAllBytes(metadata), "listing.lowestCycle"), -1);
        final JournalCorruptionException ex = refused();
        assertTrue(ex.unfinished() && ex.reason().contains("a kill cut short"), ex.reason());
    }

    @Test
    void shouldRefuseAGarbageRollFileOfTheSettlementLogNamingIt() throws IOException
    {
        final Path settled = JournalFiles.rollFiles(SettlementLayout.settlementDir(dir)).get(0);
        Files.write(settled, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        final JournalCorruptionException ex = refused();
        assertEquals(settled, ex.file());
    }

    @Test
    void shouldLeaveTheNewestRollFileToALiveWriterOnlyWhileItsHeaderIsIncomplete() throws IOException
    {
        final Path next = dir.resolve("20991231F.cq4");
        Files.write(next, new byte[0]);
        assertEquals(List.of(), JournalFileCheck.check(dir, true, HEADERS), "being created by a live writer");
        assertEquals(next, assertThrows(JournalCorruptionException.class, () -> JournalFileCheck.requireReadable(dir))
            .file());

        Files.write(next, new byte[] {0x10, 0, 0, 0x40, 'x'}); // complete, and not a queue store
        assertEquals(next, JournalFileCheck.check(dir, true, HEADERS).get(0).file(), "a complete header is checked");
    }

    /** @return true when the check refuses the journal; else asserts that the reader gets every record or an error. */
    private boolean refusedOrReadable(final String damage)
    {
        try
        {
            JournalFileCheck.requireReadable(dir);
        }
        catch (final JournalCorruptionException ex)
        {
            assertEquals(rollFile, ex.file(), ex::getMessage);
            return true;
        }
        try
        {
            assertEquals(RECORDS, JournalFiles.countRecords(dir), damage);
        }
        catch (final JournalCorruptionException reported)
        {
            assertEquals(null, reported.file(), reported::getMessage);
        }
        return false;
    }

    /**
     * Chronicle reads its index documents leniently: a damaged event name ('indx') or a position past the file's end
     * surfaces later, mid-read, as a multi-line dump of bytes (or not at all, for a reader that only tails). They are
     * refused at the check, by file and byte offset, each one.
     */
    @Test
    void shouldRefuseADamagedIndexOfIndexesOrIndexDocumentByItsOffset() throws IOException
    {
        final long indexOfIndexes = documentPositions().get(1);
        final long index = documentPositions().get(2);
        final byte[] original = Files.readAllBytes(rollFile);

        flip(rollFile, indexOfIndexes + 4 + 2 + 3, 0xFF); // index2index -> ind?x2index
        JournalCorruptionException ex = refused();
        assertEquals(indexOfIndexes + 4, ex.offset());
        assertTrue(ex.reason().startsWith("the index2index document at byte offset " + indexOfIndexes + " does not " +
            "start with its event"), ex.reason());

        Files.write(rollFile, original);
        flip(rollFile, index + 4 + 2 + 3, 0xFF); // index -> ind?x
        ex = refused();
        assertEquals(index + 4, ex.offset());
        assertTrue(ex.reason().startsWith("the index document at byte offset " + index), ex.reason());

        Files.write(rollFile, original);
        final long firstEntry = arrayAfter(original, index) + 1 + 16;
        addToLong(rollFile, firstEntry, original.length); // now past the end of the file
        ex = refused();
        assertEquals(firstEntry, ex.offset());
        assertTrue(ex.reason().startsWith("an index entry points to byte offset "), ex.reason());

        Files.write(rollFile, original);
        JournalFileCheck.requireReadable(dir);
    }

    /** @return the position of the int64 array code in the document at {@code document}. */
    private static long arrayAfter(final byte[] bytes, final long document)
    {
        int at = (int)document + 4;
        while ((bytes[at] & 0xFF) != 0x8D)
        {
            at++;
        }
        return at;
    }

    private JournalCorruptionException refused()
    {
        final long start = System.nanoTime();
        final JournalCorruptionException ex = assertThrows(JournalCorruptionException.class,
            () -> JournalFileCheck.requireReadable(dir));
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "the check reads headers, not whole files");
        assertEquals(-1, ex.index());
        return ex;
    }

    /** @return the position of every document of the roll file: header, index of indexes, index arrays, records. */
    private List<Long> documentPositions() throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(rollFile)).order(ByteOrder.LITTLE_ENDIAN);
        final List<Long> positions = new java.util.ArrayList<>();
        long position = 0;
        while (position + 4 <= bytes.limit() && 0 != bytes.getInt((int)position))
        {
            positions.add(position);
            position = (position + 4 + (bytes.getInt((int)position) & 0x3FFF_FFFF) + 3) & ~3L;
        }
        return positions;
    }

    private long lastDocumentEnd() throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(rollFile)).order(ByteOrder.LITTLE_ENDIAN);
        long position = 0;
        long end = 0;
        while (position + 4 <= bytes.limit() && 0 != bytes.getInt((int)position))
        {
            end = position + 4 + (bytes.getInt((int)position) & 0x3FFF_FFFF);
            position = (end + 3) & ~3L;
        }
        return end;
    }

    /** @return where the 64-bit value of the metadata document with this name starts: after its int64 code. */
    private static int int64After(final byte[] bytes, final String name)
    {
        int at = indexOf(bytes, name) + name.length();
        while ((bytes[at] & 0xFF) != 0xA7)
        {
            at++;
        }
        return at + 1;
    }

    private static int indexOf(final byte[] bytes, final String text)
    {
        final byte[] wanted = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i + wanted.length <= bytes.length; i++)
        {
            if (java.util.Arrays.equals(bytes, i, i + wanted.length, wanted, 0, wanted.length))
            {
                return i;
            }
        }
        throw new AssertionError(text + " not found");
    }

    private static void addToLong(final Path file, final long position, final long delta) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            final byte[] bytes = new byte[8];
            raf.seek(position);
            raf.readFully(bytes);
            final java.nio.ByteBuffer value = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            value.putLong(0, value.getLong(0) + delta);
            raf.seek(position);
            raf.write(bytes);
        }
    }

    private static void flip(final Path file, final long position, final int mask) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(position);
            final int value = raf.read();
            raf.seek(position);
            raf.write(value ^ mask);
        }
    }

    private static void truncate(final Path file, final long length) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(length);
        }
    }
}
