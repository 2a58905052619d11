package io.chronofabric.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class RecordCodecTest
{
    private static final int MAX_DEPENDENCIES = 8;
    private static final int PAYLOAD_CAPACITY = 300;
    private static final long INDEX = 0x4e6a00000005L;

    private final RecordCodec encoder = new RecordCodec(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
    private final RecordCodec decoder = new RecordCodec(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
    private final MessageRecord original = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
    private final MessageRecord decoded = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);

    @Test
    void shouldRoundTripRandomRecordsFieldForField()
    {
        final long seed = 0xC0DEC_0001L;
        final Random random = new Random(seed);
        for (int i = 0; i < 20_000; i++)
        {
            Records.randomise(random, original);
            final int length = encoder.encode(original);
            assertEquals(RecordLayout.recordLength(original.dependencyCount(), original.payloadLength()), length,
                "seed=" + seed + " record " + i + ": encoded length");
            System.arraycopy(encoder.scratch(), 0, decoder.scratch(), 0, length);
            decoded.clear();
            decoder.decode(length, i, decoded);
            if (!original.contentEquals(decoded))
            {
                fail("seed=" + seed + " record " + i + ": decoded " + decoded + " differs from " + original);
            }
            assertEquals(original.dependencyCount(), decoded.dependencyCount());
            assertEquals(original.payloadLength(), decoded.payloadLength());

            // re-encoding the decoded record gives the same bytes
            final byte[] first = Arrays.copyOf(encoder.scratch(), length);
            assertEquals(length, encoder.encode(decoded));
            assertArrayEquals(first, Arrays.copyOf(encoder.scratch(), length), "seed=" + seed + " record " + i);
        }
    }

    @Test
    void shouldWriteTheDocumentedLittleEndianLayout()
    {
        original.clear();
        original.id(0x0102030405060708L).hlc(0x1112131415161718L, 0x21222324).type(7).source(9).priority(200)
            .flags(0x81).originNode(0xBEEF).deadlineEpochNanos(12345);
        original.dependencyCount(2);
        original.dependency(0, 11);
        original.dependency(1, 22);
        original.payload()[0] = 'h';
        original.payload()[1] = 'i';
        original.payloadLength(2);

        final int length = encoder.encode(original);
        assertEquals(48 + 16 + 2 + 4, length);
        final ByteBuffer bytes = ByteBuffer.wrap(encoder.scratch(), 0, length).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(RecordLayout.VERSION, bytes.get(0));
        assertEquals((byte)0x81, bytes.get(1));
        assertEquals((byte)200, bytes.get(2));
        assertEquals(0, bytes.get(3));
        assertEquals(2, bytes.getShort(4));
        assertEquals((short)0xBEEF, bytes.getShort(6));
        assertEquals(7, bytes.getInt(8));
        assertEquals(9, bytes.getInt(12));
        assertEquals(0x0102030405060708L, bytes.getLong(16));
        assertEquals(0x1112131415161718L, bytes.getLong(24));
        assertEquals(0x21222324, bytes.getInt(32));
        assertEquals(2, bytes.getInt(36));
        assertEquals(12345, bytes.getLong(40));
        assertEquals(11, bytes.getLong(48));
        assertEquals(22, bytes.getLong(56));
        assertEquals('h', bytes.get(64));
        assertEquals('i', bytes.get(65));
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(encoder.scratch(), 0, 66);
        assertEquals((int)crc.getValue(), bytes.getInt(66));
    }

    @Test
    void shouldRejectAnySingleFlippedByteNamingTheIndex()
    {
        final long seed = 0xF11BL;
        final Random random = new Random(seed);
        int checked = 0;
        for (int r = 0; r < 200; r++)
        {
            Records.randomise(random, original);
            final int length = encoder.encode(original);
            final byte[] good = Arrays.copyOf(encoder.scratch(), length);
            for (int position = 0; position < length; position++)
            {
                final byte[] bad = good.clone();
                bad[position] ^= (byte)(1 + random.nextInt(255));
                System.arraycopy(bad, 0, decoder.scratch(), 0, length);
                final long index = INDEX + position;
                try
                {
                    decoder.decode(length, index, decoded);
                    fail("seed=" + seed + " record " + r + ": a flipped byte at offset " + position + " of " + length +
                        " was not detected");
                }
                catch (final JournalCorruptionException ex)
                {
                    assertEquals(index, ex.index());
                    assertTrue(ex.getMessage().contains(JournalCorruptionException.formatIndex(index)), ex.getMessage());
                }
                checked++;
            }
        }
        assertTrue(checked > 10_000, "checked " + checked);
    }

    @Test
    void shouldRejectUnknownVersionMentioningTheVersion()
    {
        Records.randomise(new Random(1), original);
        final int length = encoder.encode(original);
        System.arraycopy(encoder.scratch(), 0, decoder.scratch(), 0, length);
        decoder.scratch()[RecordLayout.VERSION_OFFSET] = 2;

        final JournalCorruptionException ex = assertThrows(JournalCorruptionException.class,
            () -> decoder.decode(length, INDEX, decoded));
        assertTrue(ex.reason().contains("version 2"), ex.reason());
        assertEquals(INDEX, ex.index());
        // hexadecimal and decimal of the same index (the javadoc example of formatIndex has a wrong decimal part)
        assertEquals("0x4e6a00000005 (86217173499909)", JournalCorruptionException.formatIndex(INDEX));
        assertTrue(ex.getMessage().contains("0x4e6a00000005 (86217173499909)"), ex.getMessage());
    }

    @Test
    void shouldRejectTruncatedRecords()
    {
        Records.randomise(new Random(2), original);
        original.payloadLength(PAYLOAD_CAPACITY);
        final int length = encoder.encode(original);
        System.arraycopy(encoder.scratch(), 0, decoder.scratch(), 0, length);

        for (final int truncated : new int[] {length - 1, length - RecordLayout.CRC_LENGTH, RecordLayout.HEADER_LENGTH + 4})
        {
            final JournalCorruptionException ex = assertThrows(JournalCorruptionException.class,
                () -> decoder.decode(truncated, INDEX, decoded), "length " + truncated);
            assertTrue(ex.reason().contains("length mismatch") && ex.reason().contains(truncated + " bytes"),
                ex.reason());
        }
        for (final int tiny : new int[] {0, 1, RecordLayout.HEADER_LENGTH + RecordLayout.CRC_LENGTH - 1})
        {
            final JournalCorruptionException ex = assertThrows(JournalCorruptionException.class,
                () -> decoder.decode(tiny, INDEX, decoded), "length " + tiny);
            assertTrue(ex.reason().contains("truncated record: " + tiny + " bytes"), ex.reason());
        }
    }

    @Test
    void shouldNameTheSettingsToRaiseForAValidRecordLargerThanTheReadersCapacity()
    {
        original.clear();
        original.id(5).dependencyCount(3);
        original.payloadLength(PAYLOAD_CAPACITY);
        final int length = encoder.encode(original);
        final RecordCodec small = new RecordCodec(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
        System.arraycopy(encoder.scratch(), 0, small.scratch(), 0, length);

        final JournalCorruptionException ex = assertThrows(JournalCorruptionException.class,
            () -> small.decode(length, INDEX, new MessageRecord(2, 100)));
        assertTrue(ex.overCapacity());
        assertEquals("journal record at index " + JournalCorruptionException.formatIndex(INDEX) + " is larger than " +
            "the configured capacity: it has a 300-byte payload, over payload.capacity=100 and 3 dependencies, over " +
            "dependencies.max=2; the journal was written with a larger capacity: set payload.capacity to at least 300 " +
            "and dependencies.max to at least 3", ex.getMessage());
    }

    @Test
    void shouldRejectANonZeroReservedByteEvenUnderAValidCrc()
    {
        original.clear();
        original.id(5).payloadLength(4);
        final int length = encoder.encode(original);
        final byte[] bytes = decoder.scratch();
        System.arraycopy(encoder.scratch(), 0, bytes, 0, length);
        bytes[RecordLayout.RESERVED_OFFSET] = 1;
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, 0, length - RecordLayout.CRC_LENGTH);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(length - RecordLayout.CRC_LENGTH,
            (int)crc.getValue());

        final JournalCorruptionException ex = assertThrows(JournalCorruptionException.class,
            () -> decoder.decode(length, INDEX, decoded));
        assertEquals("reserved byte is 0x1, must be 0", ex.reason());
        assertFalse(ex.overCapacity());
    }

    @Test
    void shouldRejectALengthBeyondItsScratchInsteadOfReadingPastIt()
    {
        final JournalCorruptionException ex = assertThrows(JournalCorruptionException.class,
            () -> decoder.decode(decoder.scratch().length + 1, INDEX, decoded));
        assertTrue(ex.reason().startsWith("record of " + (decoder.scratch().length + 1) + " bytes is longer"),
            ex.reason());
    }

    @Test
    void shouldCompareContentIncludingDependenciesAndPayloadOnly()
    {
        Records.randomise(new Random(3), original);
        original.payloadLength(10);
        decoded.copyFrom(original);
        assertTrue(original.contentEquals(decoded));

        original.payload()[10] ^= 1; // beyond the payload length: not content
        assertTrue(original.contentEquals(decoded));

        original.payload()[9] ^= 1;
        assertFalse(original.contentEquals(decoded));
        original.payload()[9] ^= 1;

        decoded.dependencyCount(original.dependencyCount() == 0 ? 1 : original.dependencyCount() - 1);
        assertFalse(original.contentEquals(decoded));
        decoded.copyFrom(original);

        decoded.id(decoded.id() + 1);
        assertFalse(original.contentEquals(decoded));
    }
}
