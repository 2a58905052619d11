package io.chronofabric.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The latency trace's promises, for random runs of random entries flushed at random points: every entry added is read
 * back once, in the order added, with every field as given (negative flags and subscriber counts included, every bit
 * of the timestamps); a flush writes what it holds as one document, and a run longer than a document is split into
 * documents of {@link TraceLayout#MAX_ENTRIES} entries. jqwik prints the seed of a failing try.
 */
class TraceDocumentProperties
{
    @Property(tries = 40, shrinking = ShrinkingMode.OFF)
    void everyEntryIsReadBackOnceInOrderInDocumentsOfAtMostTheMostEntries(@ForAll final long seed) throws IOException
    {
        final Random random = new Random(seed);
        final Path dir = Files.createTempDirectory("trace-documents");
        try
        {
            final List<long[]> written = new ArrayList<>();
            final List<Integer> expectedDocuments = new ArrayList<>();
            try (TraceWriter trace = new TraceWriter(dir, JournalQueues.DEFAULT_ROLL_CYCLE, Durability.NONE))
            {
                for (int run = random.nextInt(6); run >= 0; run--)
                {
                    // runs around and past a document's capacity, and short ones
                    final int entries = random.nextBoolean() ? random.nextInt(3 * TraceLayout.MAX_ENTRIES) :
                        random.nextInt(5);
                    for (int i = 0; i < entries; i++)
                    {
                        final long[] entry = randomEntry(random, written.size() + 1);
                        written.add(entry);
                        trace.add(entry[0], entry[1], entry[2], entry[3], entry[4], entry[5], (int)entry[6],
                            (int)entry[7]);
                    }
                    trace.flush();
                    for (int left = entries; left > 0; left -= TraceLayout.MAX_ENTRIES)
                    {
                        expectedDocuments.add(Math.min(left, TraceLayout.MAX_ENTRIES));
                    }
                }
            }
            assertEquals(expectedDocuments, documentSizes(dir), "seed " + seed);
            assertReadBack(dir, written, seed);
        }
        finally
        {
            BatchDocumentProperties.delete(dir);
        }
    }

    private static long[] randomEntry(final Random random, final long id)
    {
        return new long[] {id, random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong(),
            random.nextLong(), random.nextInt(), random.nextInt()};
    }

    private static void assertReadBack(final Path dir, final List<long[]> written, final long seed)
    {
        final TraceEntry entry = new TraceEntry();
        try (TraceReader reader = new TraceReader(dir))
        {
            for (final long[] expected : written)
            {
                assertTrue(reader.next(entry), "entry " + expected[0] + " read back; seed " + seed);
                final long[] read = {entry.id(), entry.published(), entry.journaled(), entry.sequenced(),
                    entry.routed(), entry.delivered(), entry.flags(), entry.subscribers()};
                for (int field = 0; field < expected.length; field++)
                {
                    assertEquals(expected[field], read[field], "field " + field + " of entry " + expected[0] +
                        "; seed " + seed);
                }
            }
            assertFalse(reader.next(entry), "nothing more than was added; seed " + seed);
        }
    }

    /** @return the entry count each trace document declares, in order. */
    private static List<Integer> documentSizes(final Path dir)
    {
        final List<Integer> sizes = new ArrayList<>();
        if (!TraceReader.exists(dir))
        {
            return sizes;
        }
        try (ChronicleQueue queue = JournalQueues.openForRead(TraceLayout.traceDir(dir)))
        {
            final ExcerptTailer tailer = queue.createTailer();
            while (true)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    if (!context.isPresent())
                    {
                        return sizes;
                    }
                    final Bytes<?> bytes = context.wire().bytes();
                    final long start = bytes.readPosition();
                    sizes.add((bytes.readUnsignedByte(start + TraceLayout.COUNT_OFFSET) |
                        bytes.readUnsignedByte(start + TraceLayout.COUNT_OFFSET + 1) << 8));
                }
            }
        }
    }
}
