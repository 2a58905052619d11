package io.chronofabric.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promises of the batch document format, for random batches of random records: every record written is read
 * back once, in order forwards and in reverse backwards, and counted once; and whatever single bit of a document's
 * bytes is damaged, the reader returns only records exactly as written, in their order, and reports the damage, even
 * where payloads carry well-formed records of their own. jqwik prints the seed of a failing try.
 */
class BatchDocumentProperties
{
    private static final int MAX_DEPENDENCIES = 4;
    private static final int PAYLOAD_CAPACITY = 256;

    @Property(tries = 100, shrinking = ShrinkingMode.OFF)
    void everyRecordIsReadBackOnceInOrderForwardsAndBackwards(@ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 64) final int recordsPerDocument) throws IOException
    {
        final Random random = new Random(seed);
        final Path dir = Files.createTempDirectory("batch-documents");
        try
        {
            final List<MessageRecord> written = new ArrayList<>();
            try (JournalWriter writer = new JournalWriter(dir, "FAST_DAILY", MAX_DEPENDENCIES, PAYLOAD_CAPACITY)
                .recordsPerDocument(recordsPerDocument))
            {
                for (int batch = random.nextInt(20); batch >= 0; batch--)
                {
                    for (int i = random.nextInt(150); i >= 0; i--)
                    {
                        final MessageRecord record = randomRecord(random, written.size() + 1);
                        written.add(record);
                        if (0 == random.nextInt(40))
                        {
                            writer.append(record); // a record on its own, as the tools' writers do
                        }
                        else
                        {
                            writer.add(record);
                        }
                    }
                    writer.commit();
                }
            }
            assertEquals(ids(written), ids(read(dir, false)), "forwards");
            final List<MessageRecord> backwards = read(dir, true);
            assertEquals(written.size(), backwards.size(), "backwards");
            for (int i = 0; i < written.size(); i++)
            {
                assertTrue(written.get(i).contentEquals(backwards.get(written.size() - 1 - i)), "record " + i);
            }
            assertEquals(written.size(), JournalFiles.countRecords(dir));
        }
        finally
        {
            delete(dir);
        }
    }

    @Property(tries = 400, shrinking = ShrinkingMode.OFF)
    void aDamagedBitNeverYieldsARecordOtherThanAsWritten(@ForAll final long seed) throws IOException
    {
        final Random random = new Random(seed);
        final Path dir = Files.createTempDirectory("batch-documents-damaged");
        try
        {
            final RecordCodec codec = new RecordCodec(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
            final List<MessageRecord> written = new ArrayList<>();
            final int documents = 1 + random.nextInt(4);
            final int damagedDocument = random.nextInt(documents);
            final List<byte[]> documentBytes = new ArrayList<>();
            for (int d = 0; d < documents; d++)
            {
                final int records = 1 + random.nextInt(12);
                final int victim = d == damagedDocument && random.nextBoolean() ? random.nextInt(records) : -1;
                final List<byte[]> encoded = new ArrayList<>();
                int victimAt = -1;
                int offset = BatchLayout.HEADER_LENGTH;
                for (int i = 0; i < records; i++)
                {
                    final MessageRecord record = randomRecord(random, written.size() + 1);
                    if (i == victim)
                    {
                        // the attack: bit 7 of the payload length would point the reader at a record in the payload
                        // (a length in [200, 255], so the carried record fits between the two ends)
                        record.payloadLength(200 + random.nextInt(56));
                        carryPhantom(random, record, (record.payloadLength() & ~0x80) + RecordLayout.CRC_LENGTH);
                        victimAt = offset + RecordLayout.PAYLOAD_LENGTH_OFFSET;
                    }
                    else if (0 == random.nextInt(3))
                    {
                        carryPhantom(random, record, -1);
                    }
                    written.add(record);
                    encoded.add(DamagedDocuments.encoded(codec, record));
                    offset += encoded.get(i).length;
                }
                final byte[] document = DamagedDocuments.batchOf(encoded);
                if (d == damagedDocument)
                {
                    // one bit: the attack's, or anywhere (header, records, record table)
                    if (victimAt >= 0)
                    {
                        document[victimAt] ^= (byte)0x80;
                    }
                    else
                    {
                        document[random.nextInt(document.length)] ^= (byte)(1 << random.nextInt(8));
                    }
                }
                documentBytes.add(document);
            }
            DamagedDocuments.write(dir, documentBytes.toArray(new byte[0][]));
            for (final boolean backwards : new boolean[] {false, true})
            {
                final List<Long> seen = new ArrayList<>();
                int damage = 0;
                final MessageRecord read = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
                try (JournalReader reader = new JournalReader(dir, MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
                {
                    if (backwards)
                    {
                        reader.toEndBackwards();
                    }
                    for (int steps = 0; steps < 2 * written.size() + 2; steps++)
                    {
                        try
                        {
                            if (!reader.next(read))
                            {
                                break;
                            }
                            final long id = read.id();
                            assertTrue(id >= 1 && id <= written.size() && written.get((int)id - 1).contentEquals(read),
                                () -> "returned a record that was not written as it reads: id " + id);
                            seen.add(id);
                        }
                        catch (final JournalCorruptionException ex)
                        {
                            damage++;
                        }
                    }
                }
                final List<Long> ordered = new ArrayList<>(seen);
                ordered.sort(backwards ? Comparator.reverseOrder() : Comparator.naturalOrder());
                assertEquals(ordered, seen, "records in journal order, without repeats");
                assertEquals(seen.size(), seen.stream().distinct().count(), "each once");
                assertTrue(damage > 0 || seen.size() == written.size(), "a damaged bit is reported, or harmless " +
                    "(every record still reads as written)");
            }
        }
        finally
        {
            delete(dir);
        }
    }

    /**
     * Puts a well-formed record that was never written (id above a million) in the payload, at {@code offset} or, when
     * negative, anywhere: a payload may carry any bytes, and a damaged length field points the reader into them.
     */
    private static void carryPhantom(final Random random, final MessageRecord record, final int offset)
    {
        final RecordCodec codec = new RecordCodec(0, 8);
        final MessageRecord phantom = new MessageRecord(0, 8);
        Records.randomise(random, phantom);
        phantom.id(1_000_000 + random.nextInt(1000));
        final int length = codec.encode(phantom);
        final int at = offset >= 0 ? offset : random.nextInt(PAYLOAD_CAPACITY - length + 1);
        System.arraycopy(codec.scratch(), 0, record.payload(), at, length);
        record.payloadLength(Math.max(record.payloadLength(), at + length));
    }

    private static MessageRecord randomRecord(final Random random, final long id)
    {
        final MessageRecord record = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
        Records.randomise(random, record);
        return record.id(id);
    }

    private static List<MessageRecord> read(final Path dir, final boolean backwards)
    {
        final List<MessageRecord> records = new ArrayList<>();
        try (JournalReader reader = new JournalReader(dir, MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
        {
            if (backwards)
            {
                reader.toEndBackwards();
            }
            while (true)
            {
                final MessageRecord record = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
                if (!reader.next(record))
                {
                    return records;
                }
                records.add(record);
            }
        }
    }

    private static List<Long> ids(final List<MessageRecord> records)
    {
        return records.stream().map(MessageRecord::id).toList();
    }

    static void delete(final Path dir)
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
