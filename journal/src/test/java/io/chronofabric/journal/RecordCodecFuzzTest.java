package io.chronofabric.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decoding a record from arbitrary bytes either yields a record that encodes back to exactly those bytes (a version 1
 * record: to the same record in version 2, its message id as origin id), or raises {@link JournalCorruptionException}:
 * never another exception, never a record the bytes do not hold.
 *
 * <p>Under {@code mvn verify} Jazzer runs in regression mode: it replays the inputs committed under
 * {@code src/test/resources/io/chronofabric/journal/RecordCodecFuzzTestInputs/decodesOrRejects}. To fuzz (coverage
 * guided, new inputs go to {@code .cifuzz-corpus}):
 * {@code JAZZER_FUZZ=1 mvn -pl journal test -Dtest=RecordCodecFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class RecordCodecFuzzTest
{
    private static final int MAX_DEPENDENCIES = 8;
    private static final int PAYLOAD_CAPACITY = 300;

    private final RecordCodec codec = new RecordCodec(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
    private final RecordCodec encoder = new RecordCodec(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
    private final CRC32C crc = new CRC32C();

    /**
     * The first bytes choose how the rest is presented to the decoder: as is (almost always a CRC mismatch), with a
     * valid CRC32C put at its end (so that the checks behind the CRC are reached too), or with a declared length that
     * differs from the bytes; and the capacity of the record decoded into, which may be smaller than the codec's.
     */
    @FuzzTest(maxDuration = "5m")
    void decodesOrRejects(final FuzzedDataProvider data)
    {
        final int mode = data.consumeInt(0, 2);
        final int dependencyCapacity = data.consumeInt(0, MAX_DEPENDENCIES);
        final int payloadCapacity = data.consumeInt(1, PAYLOAD_CAPACITY);
        final int declaredDelta = 2 == mode ? data.consumeInt(-64, 64) : 0;
        final byte[] bytes = data.consumeRemainingAsBytes();
        final byte[] scratch = codec.scratch();
        Arrays.fill(scratch, (byte)0);
        System.arraycopy(bytes, 0, scratch, 0, Math.min(bytes.length, scratch.length));
        if (1 == mode && bytes.length >= RecordLayout.CRC_LENGTH && bytes.length <= scratch.length)
        {
            crc.reset();
            crc.update(scratch, 0, bytes.length - RecordLayout.CRC_LENGTH);
            ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(bytes.length - RecordLayout.CRC_LENGTH, (int)crc.getValue());
        }
        final byte[] presented = Arrays.copyOf(scratch, Math.min(bytes.length, scratch.length));
        final int length = bytes.length + declaredDelta;
        final MessageRecord into = new MessageRecord(dependencyCapacity, payloadCapacity);
        try
        {
            codec.decode(length, 42, into);
        }
        catch (final JournalCorruptionException documented)
        {
            assertEquals(42, documented.index(), "names the index");
            assertTrue(null != documented.reason() && !documented.reason().isEmpty(), "says why");
            return;
        }
        assertEquals(presented.length, length, "decoded bytes it was not given");
        final int encoded = encoder.encode(into);
        if (RecordLayout.VERSION_1 == presented[RecordLayout.VERSION_OFFSET])
        {
            assertEquals(RecordLayout.recordLength(into.dependencyCount(), into.payloadLength()) -
                (RecordLayout.HEADER_LENGTH - RecordLayout.V1_HEADER_LENGTH), length);
            assertEquals(into.id(), into.originId(), "a version 1 record's origin id is its message id");
            assertArrayEquals(asVersion2(presented), Arrays.copyOf(encoder.scratch(), encoded),
                "a decoded version 1 record encodes to the same record in version 2");
            return;
        }
        assertEquals(RecordLayout.recordLength(into.dependencyCount(), into.payloadLength()), length);
        assertArrayEquals(presented, Arrays.copyOf(encoder.scratch(), encoded),
            "a decoded record encodes back to the bytes it came from");
    }

    /** The version 2 bytes of a version 1 record: the message id inserted as origin id after the 48-byte header. */
    private byte[] asVersion2(final byte[] version1)
    {
        final int body = version1.length - RecordLayout.V1_HEADER_LENGTH - RecordLayout.CRC_LENGTH;
        final byte[] version2 = new byte[version1.length + RecordLayout.HEADER_LENGTH - RecordLayout.V1_HEADER_LENGTH];
        System.arraycopy(version1, 0, version2, 0, RecordLayout.V1_HEADER_LENGTH);
        System.arraycopy(version1, RecordLayout.V1_HEADER_LENGTH, version2, RecordLayout.HEADER_LENGTH, body);
        final ByteBuffer buffer = ByteBuffer.wrap(version2).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(RecordLayout.VERSION_OFFSET, (byte)RecordLayout.VERSION)
            .putLong(RecordLayout.ORIGIN_ID_OFFSET, buffer.getLong(RecordLayout.ID_OFFSET));
        crc.reset();
        crc.update(version2, 0, version2.length - RecordLayout.CRC_LENGTH);
        buffer.putInt(version2.length - RecordLayout.CRC_LENGTH, (int)crc.getValue());
        return version2;
    }
}
