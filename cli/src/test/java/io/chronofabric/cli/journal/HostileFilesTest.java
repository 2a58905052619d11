package io.chronofabric.cli.journal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.chronofabric.journal.JournalFiles;
import net.openhft.chronicle.wire.BinaryWireCode;
import io.chronofabric.journal.SettlementLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files that are not what a journal folder should hold (random bytes, empty, truncated, a corrupt settlement
 * document, records larger than the configured capacity): the tool and {@code run --resume} report each within
 * seconds, naming the file and the byte offset (or the index), and exit 1 with one line on stderr, never a stack
 * trace; {@code run --resume} leaves the files as they were.
 */
@Timeout(300)
class HostileFilesTest
{
    private static final Duration PROMPTLY = Duration.ofSeconds(10);
    /** Chronicle's header bit of a metadata document (index, roll markers), as against a data document. */
    private static final int METADATA_BIT = 0x40000000;

    @TempDir
    static Path dir;

    private static JournalImage image;
    private static int copies;

    @BeforeAll
    static void writeARealJournal() throws Exception
    {
        final Path original = dir.resolve("original");
        Cli.writeJournal(original, 2_000);
        image = JournalImage.of(original);
    }

    @Test
    void verifyReportsARollFileOfRandomBytesWithinSecondsNamingTheFile() throws Exception
    {
        final Path copy = copy();
        final Path rollFile = JournalFiles.rollFiles(copy).get(0);
        final byte[] garbage = new byte[64 << 20];
        new Random(99).nextBytes(garbage);
        Files.write(rollFile, garbage);

        final Cli.Result verify = promptly("journal", "verify", copy.toString(), "--json");
        assertEquals(1, verify.code(), verify::toString);
        final JsonNode report = verify.json();
        assertEquals("CORRUPT", report.get("verdict").asText());
        assertTrue(hasProblem(report, "unreadable_file", rollFile + " at byte offset 0: no complete Chronicle header"),
            verify::toString);
    }

    @Test
    void verifyReportsADeletedMetadataFileAsCorruptNamingIt() throws Exception
    {
        final Path copy = copy();
        final Path metadata = copy.resolve("metadata.cq4t");
        Files.delete(metadata);

        final Cli.Result verify = promptly("journal", "verify", copy.toString(), "--json");
        assertEquals(1, verify.code(), verify::toString);
        final JsonNode report = verify.json();
        assertEquals("CORRUPT", report.get("verdict").asText(), verify::toString);
        assertTrue(hasProblem(report, "missing_metadata", metadata + " is missing"), verify::toString);
    }

    @Test
    void runResumeRefusesAJournalWithoutItsMetadataFileAndMakesNoNewOne() throws Exception
    {
        final Path copy = copy();
        final Path metadata = copy.resolve("metadata.cq4t");
        Files.delete(metadata);

        final Cli.Result run = promptly("run", "--resume", "--messages", "10", "--warmup", "0", "--journal",
            copy.toString());
        assertEquals(1, run.code(), run::toString);
        assertOneLine(run, "chronofabric: missing journal file " + metadata + ": the queue has ");
        assertFalse(Files.exists(metadata), "Chronicle made no new listing that would hide the loss");
    }

    @Test
    void everyCommandRefusesAMetadataFileWithADamagedListingKeyInOneLineNamingTheFile() throws Exception
    {
        final Path copy = copy();
        // 'listing' -> 'listi~g': Chronicle no longer finds the key
        final Path metadata = flipInMetadata(copy, "listing.highestCycle", 4);

        final String refusal = "chronofabric: corrupt journal file " + metadata + " at byte offset ";
        final Cli.Result run = promptly("run", "--resume", "--messages", "10", "--warmup", "0", "--journal",
            copy.toString());
        assertEquals(1, run.code(), run::toString);
        assertOneLine(run, refusal);
        assertTrue(run.err().contains("holds no listing.highestCycle value"), run::toString);
        for (final String[] tool : new String[][] {{"journal", "prune", copy.toString(), "--keep-cycles", "1"},
            {"journal", "stats", copy.toString()}, {"journal", "dump", copy.toString()}})
        {
            final Cli.Result result = promptly(tool);
            assertEquals(1, result.code(), result::toString);
            assertOneLine(result, refusal);
        }
        final Cli.Result verify = promptly("journal", "verify", copy.toString(), "--json");
        assertEquals(1, verify.code(), verify::toString);
        assertTrue(hasProblem(verify.json(), "unreadable_file", metadata + " at byte offset"), verify::toString);
    }

    @Test
    void runResumeRefusesAMetadataFileWhoseHeaderChronicleCannotReadWithoutAStackTrace() throws Exception
    {
        final Path copy = copy();
        // Chronicle no longer knows the roll cycle's class: it falls back to a default roll cycle
        final Path metadata = flipInMetadata(copy, "SCQSRoll", 7);

        final Cli.Result run = promptly("run", "--resume", "--messages", "10", "--warmup", "0", "--journal",
            copy.toString());
        assertEquals(1, run.code(), run::toString);
        assertFalse(run.err().contains("\tat "), () -> "no stack trace: " + run);
        final String last = run.err().strip().lines().reduce((first, second) -> second).orElse("");
        assertTrue(last.startsWith("chronofabric: corrupt journal file " + metadata + " at byte offset 0: Chronicle " +
            "cannot read its header"), run::toString);
        assertFalse(run.out().contains("published"), () -> "refused before the engine started: " + run);
    }

    /** Flips a bit of the byte {@code at} bytes into {@code text} in the copy's metadata file; @return the file. */
    private static Path flipInMetadata(final Path copy, final String text, final int at) throws IOException
    {
        final Path metadata = copy.resolve("metadata.cq4t");
        final byte[] bytes = Files.readAllBytes(metadata);
        final int found = indexOf(bytes, text.getBytes(StandardCharsets.US_ASCII));
        assertTrue(found > 0, () -> text + " is in " + metadata);
        bytes[found + at] ^= 0x10;
        Files.write(metadata, bytes);
        return metadata;
    }

    private static int indexOf(final byte[] bytes, final byte[] part)
    {
        for (int i = 0; i + part.length <= bytes.length; i++)
        {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length))
            {
                return i;
            }
        }
        return -1;
    }

    @Test
    void verifyReportsTheOnlyRollFileOfTheSettlementLogOrTraceDeletedWhileItsMetadataListsIt() throws Exception
    {
        for (final String queue : new String[] {SettlementLayout.FOLDER, "trace"})
        {
            final Path copy = copy();
            final Path queueDir = copy.resolve(queue);
            final java.util.List<Path> rollFiles = JournalFiles.rollFiles(queueDir);
            assertEquals(1, rollFiles.size(), queueDir::toString);
            Files.delete(rollFiles.get(0));

            final Cli.Result verify = promptly("journal", "verify", copy.toString(), "--json");
            assertEquals(1, verify.code(), verify::toString);
            final JsonNode report = verify.json();
            assertEquals("CORRUPT", report.get("verdict").asText(), verify::toString);
            assertTrue(hasProblem(report, "unreadable_file", queueDir.resolve("metadata.cq4t") + " at byte offset"),
                verify::toString);
            assertTrue(hasProblem(report, "unreadable_file", "name no roll file in the folder (0 there)"),
                verify::toString);
        }
    }

    @Test
    void statsRefusesAnEmptyRollFileWithOneLineNamingIt() throws Exception
    {
        final Path copy = copy();
        final Path rollFile = JournalFiles.rollFiles(copy).get(0);
        Files.write(rollFile, new byte[0]);

        final Cli.Result stats = promptly("journal", "stats", copy.toString());
        assertEquals(1, stats.code(), stats::toString);
        assertEquals("", stats.out(), "no statistics of a journal it could not read");
        assertEquals("chronofabric: corrupt journal file " + rollFile + " at byte offset 0: an empty file (0 bytes), " +
            "without the Chronicle header of a queue file: one whose creation never finished, or emptied\n",
            stats.err());
    }

    @Test
    void runResumeRefusesAGarbageRollFileAndLeavesItAsItWas() throws Exception
    {
        final Path copy = copy();
        final Path rollFile = JournalFiles.rollFiles(copy).get(0);
        final byte[] garbage = new byte[64 << 20];
        new Random(7).nextBytes(garbage);
        Files.write(rollFile, garbage);

        final Cli.Result run = promptly("run", "--resume", "--messages", "10", "--warmup", "0", "--journal",
            copy.toString());
        assertEquals(1, run.code(), run::toString);
        assertOneLine(run, "chronofabric: corrupt journal file " + rollFile + " at byte offset 0: ");
        assertArrayEquals(garbage, Files.readAllBytes(rollFile), "the roll file is left as it was");
        try (Stream<Path> files = Files.walk(copy))
        {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".discard")), "nothing set aside");
        }
    }

    @Test
    void runResumeAndVerifyReportATruncatedRollFileInsteadOfFaulting() throws Exception
    {
        final Path copy = copy();
        final Path rollFile = JournalFiles.rollFiles(copy).get(0);
        try (RandomAccessFile file = new RandomAccessFile(rollFile.toFile(), "rw"))
        {
            file.setLength(100_000);
        }
        final Cli.Result run = promptly("run", "--resume", "--messages", "10", "--warmup", "0", "--journal",
            copy.toString());
        assertEquals(1, run.code(), run::toString);
        assertOneLine(run, "chronofabric: corrupt journal file " + rollFile + " at byte offset 100000: truncated: " +
            "100000 bytes, but its header records a document written at byte offset ");

        final Cli.Result verify = promptly("journal", "verify", copy.toString(), "--json");
        assertEquals(1, verify.code(), verify::toString);
        assertTrue(hasProblem(verify.json(), "unreadable_file", rollFile + " at byte offset 100000: truncated"),
            verify::toString);
    }

    /**
     * A payload.capacity under the journal's records is named by the engine's recovery with the size it needs
     * (HostileJournalTest); one under what run's workload publishes is refused by run before the journal is read.
     */
    @Test
    void runResumeRefusesAPayloadCapacityTooSmallForItsWorkloadBeforeReadingTheJournal() throws Exception
    {
        final Path copy = copy();
        final Cli.Result run = promptly("run", "--resume", "--messages", "10", "--warmup", "0", "--journal",
            copy.toString(), "--set", "payload.capacity=16");
        assertEquals(2, run.code(), run::toString);
        assertOneLine(run, "chronofabric: payload.capacity=16 is too small for run's trading workload");
    }

    @Test
    void aCorruptSettlementDocumentIsReportedByStatsAndVerifyAndRefusedByRunResume() throws Exception
    {
        final Path copy = copy();
        final Path settledDir = SettlementLayout.settlementDir(copy);
        final JournalImage.ImageFile settledFile = image.files().stream()
            .filter(f -> f.relative().startsWith(SettlementLayout.FOLDER) && f.relative().toString().endsWith(".cq4"))
            .findFirst().orElseThrow();
        final long[] documents = settledFile.documents();
        // the watermark of the last settlement document: a byte its CRC32C covers
        JournalCopies.flip(copy.resolve(settledFile.relative().toString()), documents[documents.length - 1] + 4 + 8,
            0x01);

        final Cli.Result stats = promptly("journal", "stats", copy.toString(), "--json");
        assertEquals(1, stats.code(), stats::toString);
        assertEquals(2_000, stats.json().get("messages").asLong(), "the records are read all the same");
        assertTrue(hasProblem(stats.json(), "corrupt_settlement", "version, CRC32C or counts do not match"),
            stats::toString);
        assertFalse(stats.err().contains("\tat "), stats::toString);

        final Cli.Result verify = promptly("journal", "verify", copy.toString(), "--json");
        assertEquals(1, verify.code(), verify::toString);
        assertTrue(hasProblem(verify.json(), "corrupt_settlement", "version, CRC32C or counts do not match"),
            verify::toString);

        final Cli.Result run = promptly("run", "--resume", "--messages", "10", "--warmup", "0", "--journal",
            copy.toString());
        assertEquals(1, run.code(), run::toString);
        assertOneLine(run, "chronofabric: corrupt settlement document at index 0x");
        assertTrue(run.err().contains(" of " + settledDir + ": "), run::toString);
    }

    /**
     * A document whose header has Chronicle's not-ready bit set hides itself and every document after it from
     * Chronicle's reader. {@code verify} reported it (missing_records); {@code stats}, {@code dump} and {@code replay}
     * read half the journal and exited 0 (a black-box helper's finding). Each now names where reading stopped and
     * exits 1.
     */
    @Test
    void statsDumpAndReplayReportAJournalTheyCouldNotReadToTheEnd() throws Exception
    {
        final Path copy = copy();
        final JournalImage.ImageFile journalFile = journalRollFile();
        final long[] dataDocuments = dataDocuments(journalFile);
        // the header's top bit (byte 3 of the little-endian word): "not ready", as while a writer holds it
        JournalCopies.flip(copy.resolve(journalFile.relative().toString()), dataDocuments[dataDocuments.length / 2] + 3,
            0x80);

        for (final String command : new String[] {"stats", "dump", "replay"})
        {
            final Cli.Result result = promptly("journal", command, copy.toString());
            assertEquals(1, result.code(), result::toString);
            assertTrue((result.out() + result.err()).contains("but reading stopped at 0x"), result::toString);
            assertFalse(result.err().contains("\tat "), result::toString);
        }
    }

    /**
     * An entry of Chronicle's index that points into the middle of a document (a damaged entry, still inside the file)
     * had {@code verify} say OK while {@code dump --from} that index read from there (a black-box helper's finding):
     * verify now checks that every index entry points where a document starts.
     */
    @Test
    void verifyReportsAnIndexEntryThatPointsWhereNoDocumentStarts() throws Exception
    {
        final Path copy = copy();
        final JournalImage.ImageFile journalFile = journalRollFile();
        final ByteBuffer data = ByteBuffer.wrap(journalFile.data()).order(ByteOrder.LITTLE_ENDIAN);
        final long[] documents = journalFile.documents();
        final long[] dataDocuments = dataDocuments(journalFile);
        // an index entry: 8 bytes of a metadata document (an index array) that hold the position of a data document
        final Set<Long> starts = Arrays.stream(dataDocuments).boxed().collect(Collectors.toSet());
        long entry = -1;
        for (int d = 0; d < documents.length && entry < 0; d++)
        {
            final int header = data.getInt((int)documents[d]);
            if (0 == (header & METADATA_BIT) || !isIndexArray(journalFile.data(), documents[d] + 4))
            {
                continue;
            }
            final long end = documents[d] + 4 + (header & 0x3FFFFFFF);
            for (long at = documents[d] + 4; at + 8 <= end && entry < 0; at++)
            {
                if (starts.contains(data.getLong((int)at)))
                {
                    entry = at;
                }
            }
        }
        assertTrue(entry > 0, "no index entry holds the position of a data document");
        final Path rollFile = copy.resolve(journalFile.relative().toString());
        JournalCopies.flip(rollFile, entry, 0x08); // 8 bytes further: into the document's body

        final Cli.Result verify = promptly("journal", "verify", copy.toString(), "--json");
        assertEquals(1, verify.code(), verify::toString);
        assertTrue(verify.out().contains("where no document starts"), verify::toString);
    }

    /** @return the journal's own roll file (not the settlement log's, trace's or dead letters'). */
    private static JournalImage.ImageFile journalRollFile()
    {
        return image.files().stream()
            .filter(f -> 1 == f.relative().getNameCount() && f.relative().toString().endsWith(".cq4"))
            .findFirst().orElseThrow();
    }

    /** @return where the file's data documents (not Chronicle's metadata: index arrays, roll markers) start. */
    private static long[] dataDocuments(final JournalImage.ImageFile file)
    {
        final ByteBuffer data = ByteBuffer.wrap(file.data()).order(ByteOrder.LITTLE_ENDIAN);
        return Arrays.stream(file.documents()).filter(position -> 0 == (data.getInt((int)position) & METADATA_BIT))
            .toArray();
    }

    /** @return whether the document's body starts with Chronicle's event name {@code index} (an index array). */
    private static boolean isIndexArray(final byte[] file, final long body)
    {
        final byte[] name = "index".getBytes(StandardCharsets.US_ASCII);
        if ((file[(int)body] & 0xFF) != BinaryWireCode.EVENT_NAME || file[(int)body + 1] != name.length)
        {
            return false;
        }
        return Arrays.equals(Arrays.copyOfRange(file, (int)body + 2, (int)body + 2 + name.length), name);
    }

    @Test
    void verifyStillPassesAnUndamagedCopy() throws Exception
    {
        final Cli.Result verify = promptly("journal", "verify", copy().toString(), "--json");
        assertEquals(0, verify.code(), verify::toString);
        assertTrue(verify.json().get("settlement_documents").asLong() > 0, verify::toString);
    }

    private static Path copy() throws IOException
    {
        final Path copy = dir.resolve("copy-" + copies++);
        image.copyTo(copy);
        return copy;
    }

    private static Cli.Result promptly(final String... args)
    {
        return assertTimeoutPreemptively(PROMPTLY, () -> Cli.run(args), () -> String.join(" ", args) +
            " did not finish within " + PROMPTLY.toSeconds() + " s");
    }

    private static void assertOneLine(final Cli.Result result, final String start)
    {
        assertTrue(result.err().startsWith(start), result::toString);
        assertEquals(1, result.err().lines().count(), () -> "one line on stderr: " + result);
    }

    private static boolean hasProblem(final JsonNode report, final String kind, final String message)
    {
        for (final JsonNode problem : report.get("problems"))
        {
            if (kind.equals(problem.get("kind").asText()) && problem.get("message").asText().contains(message))
            {
                return true;
            }
        }
        return false;
    }
}
