package io.chronofabric.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A payload may hold any bytes, so a published payload can carry a well-formed record that ends exactly where its
 * carrier ends and shares the carrier's CRC (four payload bytes before it are solved for: CRC32C is affine). Were
 * records located by the lengths their headers declare, one flipped bit of the carrier's payload length (172 to 44)
 * would point the reader at the carried record, which would pass its CRC and come back as a message. Records are
 * located by the document's record table instead, so the damage costs only the carrier, reported as corrupt.
 */
class ForgedCarriedRecordTest
{
    private static final int DEPS = DamagedDocuments.MAX_DEPENDENCIES;
    private static final int CAPACITY = DamagedDocuments.PAYLOAD_CAPACITY;
    private static final long CARRIED_ID = 999;

    @TempDir
    Path dir;

    @Test
    void aCarriedRecordSharingItsCarriersCrcIsNeverReturnedAfterOneFlippedLengthBit()
    {
        final RecordCodec codec = new RecordCodec(DEPS, CAPACITY);
        // carried record: 56-byte header + 68 payload + 4 CRC = 128 bytes = 172 - 44
        final MessageRecord carried = DamagedDocuments.record(CARRIED_ID, 68);
        final byte[] carriedBody = Arrays.copyOf(codec.scratch(), codec.encode(carried) - 4);
        final MessageRecord first = DamagedDocuments.record(1, 172);
        Arrays.fill(first.payload(), 0, 48, (byte)0x11);
        final int carriedAt = 56 + 48; // where the carried record starts in the carrier's encoding
        final int free = 0; // the carrier's payload's first four bytes (before the carried record) are free
        // solve for the four free bytes: crc(carrier body) == crc(carried body)
        final int g0 = mismatch(codec, first, carriedBody, free, 0);
        final int[] columns = new int[32];
        for (int bit = 0; bit < 32; bit++)
        {
            columns[bit] = mismatch(codec, first, carriedBody, free, 1 << bit) ^ g0;
        }
        final int solution = solve(columns, g0);
        assertTrue(0 == mismatch(codec, first, carriedBody, free, solution), "the CRCs were not made equal");
        setFree(first.payload(), free, solution);
        System.arraycopy(carriedBody, 0, first.payload(), 48, carriedBody.length);

        final byte[] firstBytes = DamagedDocuments.encoded(codec, first);
        final CRC32C carriedCrc = new CRC32C();
        carriedCrc.update(firstBytes, carriedAt, 128 - RecordLayout.CRC_LENGTH);
        assertTrue((int)carriedCrc.getValue() == BatchLayout.intAt(firstBytes, carriedAt + 128 - RecordLayout.CRC_LENGTH),
            "the carried record passes its own CRC, which is its carrier's");
        final byte[] document = DamagedDocuments.batchOf(List.of(firstBytes, DamagedDocuments.encoded(codec,
            DamagedDocuments.record(2, 30))));
        final int lengthAt = BatchLayout.HEADER_LENGTH + RecordLayout.PAYLOAD_LENGTH_OFFSET;
        document[lengthAt] ^= (byte)0x80; // disk damage: one bit, 172 -> 44
        assertTrue(44 == ByteBuffer.wrap(document).order(ByteOrder.LITTLE_ENDIAN).getInt(lengthAt));
        DamagedDocuments.write(dir, document);

        final List<Long> returned = new ArrayList<>();
        int corrupt = 0;
        try (JournalReader reader = new JournalReader(dir, DEPS, CAPACITY))
        {
            final MessageRecord into = new MessageRecord(DEPS, CAPACITY);
            for (int i = 0; i < 10; i++)
            {
                try
                {
                    if (!reader.next(into))
                    {
                        break;
                    }
                    returned.add(into.id());
                }
                catch (final JournalCorruptionException ex)
                {
                    corrupt++;
                }
            }
        }
        final int corruptReports = corrupt;
        assertTrue(corrupt > 0, "the damage was reported");
        assertFalse(returned.contains(CARRIED_ID), () -> "the reader returned record " + CARRIED_ID +
            ", which was payload of message 1, as a message after one flipped bit of message 1's length; returned " +
            returned + ", corrupt reports " + corruptReports);
    }

    private static int mismatch(final RecordCodec codec, final MessageRecord first, final byte[] carriedBody,
        final int free, final int value)
    {
        final byte[] body = carriedBody;
        setFree(first.payload(), free, value);
        System.arraycopy(body, 0, first.payload(), 48, body.length);
        final int length = codec.encode(first);
        final CRC32C crc = new CRC32C();
        crc.update(codec.scratch(), 0, length - 4);
        final int outer = (int)crc.getValue();
        crc.reset();
        crc.update(body, 0, body.length);
        return outer ^ (int)crc.getValue();
    }

    private static void setFree(final byte[] body, final int at, final int value)
    {
        for (int i = 0; i < 4; i++)
        {
            body[at + i] = (byte)(value >>> (8 * i));
        }
    }

    /** Solves sum(x_j * columns[j]) == target over GF(2); returns x. */
    private static int solve(final int[] columns, final int target)
    {
        // rows: 32 equations (bit r of the result), unknowns: 32 bits of x; augmented as long
        final long[] rows = new long[32];
        for (int r = 0; r < 32; r++)
        {
            long row = 0;
            for (int j = 0; j < 32; j++)
            {
                if (0 != ((columns[j] >>> r) & 1))
                {
                    row |= 1L << j;
                }
            }
            row |= ((long)((target >>> r) & 1)) << 32;
            rows[r] = row;
        }
        int rank = 0;
        final int[] pivotCol = new int[32];
        for (int col = 0; col < 32 && rank < 32; col++)
        {
            int pivot = -1;
            for (int r = rank; r < 32; r++)
            {
                if (0 != ((rows[r] >>> col) & 1))
                {
                    pivot = r;
                    break;
                }
            }
            if (pivot < 0)
            {
                continue;
            }
            final long tmp = rows[pivot];
            rows[pivot] = rows[rank];
            rows[rank] = tmp;
            for (int r = 0; r < 32; r++)
            {
                if (r != rank && 0 != ((rows[r] >>> col) & 1))
                {
                    rows[r] ^= rows[rank];
                }
            }
            pivotCol[rank++] = col;
        }
        int x = 0;
        for (int r = 0; r < rank; r++)
        {
            if (0 != ((rows[r] >>> 32) & 1))
            {
                x |= 1 << pivotCol[r];
            }
        }
        return x;
    }
}
