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
        // the offsets journal/README.md documents for version 2
        assertEquals(2, RecordLayout.VERSION);
        assertEquals(6, RecordLayout.ORIGIN_NODE_OFFSET);
        assertEquals(48, RecordLayout.ORIGIN_ID_OFFSET);
        assertEquals(56, RecordLayout.HEADER_LENGTH);
        original.clear();
        original.id(0x0102030405060708L).hlc(0x1112131415161718L, 0x21222324).type(7).source(9).priority(200)
            .flags(0x81).originNode(0xBEEF).originId(0x3132333435363738L).deadlineEpochNanos(12345);
        original.dependencyCount(2);
        original.dependency(0, 11);
        original.dependency(1, 22);
        original.payload()[0] = 'h';
        original.payload()[1] = 'i';
        original.payloadLength(2);

        final int length = encoder.encode(original);
        final int dependencies = RecordLayout.HEADER_LENGTH;
        final int payload = dependencies + 2 * RecordLayout.DEPENDENCY_LENGTH;
        final int crcOffset = payload + 2;
        assertEquals(crcOffset + RecordLayout.CRC_LENGTH, length);
        final ByteBuffer bytes = ByteBuffer.wrap(encoder.scratch(), 0, length).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(RecordLayout.VERSION, bytes.get(RecordLayout.VERSION_OFFSET));
        assertEquals((byte)0x81, bytes.get(RecordLayout.FLAGS_OFFSET));
        assertEquals((byte)200, bytes.get(RecordLayout.PRIORITY_OFFSET));
        assertEquals(0, bytes.get(RecordLayout.RESERVED_OFFSET));
        assertEquals(2, bytes.getShort(RecordLayout.DEPENDENCY_COUNT_OFFSET));
        assertEquals((short)0xBEEF, bytes.getShort(RecordLayout.ORIGIN_NODE_OFFSET));
        assertEquals(7, bytes.getInt(RecordLayout.TYPE_OFFSET));
        assertEquals(9, bytes.getInt(RecordLayout.SOURCE_OFFSET));
        assertEquals(0x0102030405060708L, bytes.getLong(RecordLayout.ID_OFFSET));
        assertEquals(0x1112131415161718L, bytes.getLong(RecordLayout.HLC_WALL_OFFSET));
        assertEquals(0x21222324, bytes.getInt(RecordLayout.HLC_LOGICAL_OFFSET));
        assertEquals(2, bytes.getInt(RecordLayout.PAYLOAD_LENGTH_OFFSET));
        assertEquals(12345, bytes.getLong(RecordLayout.DEADLINE_OFFSET));
        assertEquals(0x3132333435363738L, bytes.getLong(RecordLayout.ORIGIN_ID_OFFSET));
        assertEquals(11, bytes.getLong(dependencies));
        assertEquals(22, bytes.getLong(dependencies + RecordLayout.DEPENDENCY_LENGTH));
        assertEquals('h', bytes.get(payload));
        assertEquals('i', bytes.get(payload + 1));
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(encoder.scratch(), 0, crcOffset);
        assertEquals((int)crc.getValue(), bytes.getInt(crcOffset));
    }

    @Test
    void shouldKeepTheOriginIdOfARemoteRecordThroughARoundTrip()
    {
        original.clear();
        original.id(1_000).originNode(7).originId(42).flags(RecordFlags.REMOTE).hlc(5_000, 3).type(1).source(2);
        original.dependencyCount(2);
        original.dependency(0, 999);
        original.dependency(1, RecordLayout.remoteDependency(7, 41));
        final int length = encoder.encode(original);
        System.arraycopy(encoder.scratch(), 0, decoder.scratch(), 0, length);
        decoded.clear();

        decoder.decode(length, INDEX, decoded);

        assertEquals(1_000, decoded.id());
        assertEquals(7, decoded.originNode());
        assertEquals(42, decoded.originId());
        assertEquals(999, decoded.dependency(0));
        assertEquals(RecordLayout.remoteDependency(7, 41), decoded.dependency(1));
        assertTrue(original.contentEquals(decoded));
    }

    @Test
    void shouldReadAVersion1RecordWithItsMessageIdAsOriginId()
    {
        // a version 1 record as an engine before version 2 wrote it: 48-byte header, no origin id
        final byte[] bytes = decoder.scratch();
        final int length = RecordLayout.V1_HEADER_LENGTH + 2 * RecordLayout.DEPENDENCY_LENGTH + 3 +
            RecordLayout.CRC_LENGTH;
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(0, (byte)1).put(1, (byte)RecordFlags.REMOTE).put(2, (byte)17).put(3, (byte)0)
            .putShort(4, (short)2).putShort(6, (short)0x8001).putInt(8, 3).putInt(12, 4)
            .putLong(16, 0x1234_5678_9ABCL).putLong(24, 1_700_000_000_000_000_000L).putInt(32, 6).putInt(36, 3)
            .putLong(40, 77).putLong(48, 0x1234_5678_9ABBL).putLong(56, 5);
        bytes[64] = 'a';
        bytes[65] = 'b';
        bytes[66] = 'c';
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, 0, 67);
        buffer.putInt(67, (int)crc.getValue());
        decoded.clear();
        decoded.originId(-1);

        decoder.decode(length, INDEX, decoded);

        assertEquals(0x1234_5678_9ABCL, decoded.id());
        assertEquals(0x1234_5678_9ABCL, decoded.originId(), "a version 1 record's origin id is its id");
        assertEquals(RecordFlags.REMOTE, decoded.flags());
        assertEquals(17, decoded.priority());
        assertEquals(0x8001, decoded.originNode());
        assertEquals(3, decoded.type());
        assertEquals(4, decoded.source());
        assertEquals(1_700_000_000_000_000_000L, decoded.hlcWall());
        assertEquals(6, decoded.hlcLogical());
        assertEquals(77, decoded.deadlineEpochNanos());
        assertEquals(2, decoded.dependencyCount());
        assertEquals(0x1234_5678_9ABBL, decoded.dependency(0));
        assertEquals(5, decoded.dependency(1));
        assertEquals(3, decoded.payloadLength());
        assertArrayEquals(new byte[] {'a', 'b', 'c'}, Arrays.copyOf(decoded.payload(), 3));

        // and it is checked like any record: a flipped byte is refused
        bytes[20] ^= 1;
        assertThrows(JournalCorruptionException.class, () -> decoder.decode(length, INDEX, decoded));
    }

    @Test
    void shouldRejectAVersion1RecordShorterThanItsHeader()
    {
        final byte[] bytes = decoder.scratch();
        Arrays.fill(bytes, (byte)0);
        bytes[RecordLayout.VERSION_OFFSET] = 1;
        final int length = RecordLayout.V1_HEADER_LENGTH + RecordLayout.CRC_LENGTH - 1;

        final JournalCorruptionException ex = assertThrows(JournalCorruptionException.class,
            () -> decoder.decode(length, INDEX, decoded));
        assertTrue(ex.reason().contains("truncated record: " + length + " bytes"), ex.reason());
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
        decoder.scratch()[RecordLayout.VERSION_OFFSET] = 3;

        final JournalCorruptionException ex = assertThrows(JournalCorruptionException.class,
            () -> decoder.decode(length, INDEX, decoded));
        assertTrue(ex.reason().contains("version 3"), ex.reason());
        assertEquals(INDEX, ex.index());
        // hexadecimal and decimal of the same index (the javadoc example of formatIndex has a wrong decimal part)
        assertEquals("0x4e6a00000005 (86217173499909)", JournalCorruptionException.formatIndex(INDEX));
        assertTrue(ex.getMessage().contains("0x4e6a00000005 (86217173499909)"), ex.getMessage());
    }

    @Test
    void shouldRejectVersion3AndVersion0EvenUnderAValidCrc()
    {
        for (final int version : new int[] {0, 3, 255})
        {
            original.clear();
            original.id(5).originId(5).payloadLength(4);
            final int length = encoder.encode(original);
            final byte[] bytes = decoder.scratch();
            System.arraycopy(encoder.scratch(), 0, bytes, 0, length);
            bytes[RecordLayout.VERSION_OFFSET] = (byte)version;
            final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(bytes, 0, length - RecordLayout.CRC_LENGTH);
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(length - RecordLayout.CRC_LENGTH,
                (int)crc.getValue());

            final JournalCorruptionException ex = assertThrows(JournalCorruptionException.class,
                () -> decoder.decode(length, INDEX, decoded), "version " + version);
            assertEquals("unknown record version " + version + " (this reader knows 1 and 2)", ex.reason());
        }
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
