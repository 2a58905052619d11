package io.chronofabric.perf.systems;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The slot of the raw baselines: the bytes of one journal document (the payload at its start, the send time in the
 * payload's first 8 bytes), the send time as a field, and what the trivial stages write. Preallocated and reused.
 */
final class BaselineEvent
{
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    final byte[] bytes;
    long intendedNanos;
    long sequence;
    int routedTo;

    BaselineEvent(final int documentBytes)
    {
        this.bytes = new byte[documentBytes];
    }

    /**
     * Writes a message into the slot, as a publisher writes its payload into a ChronoFabric ring slot.
     *
     * @param intendedNanos the send time, also written into the payload's first 8 bytes.
     * @param template      the payload bytes after the send time.
     * @param payloadBytes  the payload length.
     */
    void fill(final long intendedNanos, final byte[] template, final int payloadBytes)
    {
        this.intendedNanos = intendedNanos;
        LONG_LE.set(bytes, 0, intendedNanos);
        System.arraycopy(template, Long.BYTES, bytes, Long.BYTES, payloadBytes - Long.BYTES);
    }

    /** @return the send time read back from the payload bytes. */
    long intendedFromBytes()
    {
        return (long)LONG_LE.get(bytes, 0);
    }
}
