package io.chronofabric.node;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The frames nodes exchange, all little-endian, each starting with an 8-byte header: kind (1 byte), 0 (1 byte),
 * sender node id (2 bytes), 0 (4 bytes).
 * <pre>
 * DATA      on the data stream:    previous origin id (8), then the journal record as the journal holds it
 * HEARTBEAT on the control stream: your high-water mark here (8), your messages journaled here (8),
 *                                  my last origin id (8), my messages journaled (8), end of stream (8: 0, 1 ended,
 *                                  2 ended and every stream complete here),
 *                                  ping send time, my wall clock (8), my incarnation (8), my journal's epoch (8),
 *                                  how long this process has run, nanoseconds (8), my payload.capacity (4),
 *                                  dependencies.max (4) and types.max (4)
 * PONG      on the control stream: ping send time (8), ping receive time (8), pong send time (8), all wall clocks
 * RESEND    on the control stream: resend every message of yours with an origin id above this (8), the fingerprint
 *                                  of the message of yours I hold under that id (8: 0 unknown)
 * REFUSED   on the control stream: your incarnation I refuse (8), the reason's length (4), the reason (UTF-8)
 * STOPPED   on the control stream: my incarnation, which stopped (8), the cause's length (4), the cause (UTF-8)
 * </pre>
 * A DATA frame names the origin id of the sender's message before it, so that a receiver sees a gap (frames lost
 * while it was away) and asks for a resend instead of journaling past it.
 */
final class Wire
{
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    static final byte DATA = 1;
    static final byte HEARTBEAT = 2;
    static final byte PONG = 3;
    static final byte RESEND = 4;
    static final byte REFUSED = 5;
    static final byte STOPPED = 6;

    static final int KIND_OFFSET = 0;
    static final int FROM_OFFSET = 2;
    static final int HEADER_LENGTH = 8;

    static final int DATA_PREVIOUS_OFFSET = 8;
    static final int DATA_RECORD_OFFSET = 16;

    /** Your high-water mark here: the highest origin id of yours journaled (or refused for its clock) here. */
    static final int HB_YOUR_HWM_OFFSET = 8;
    /** Your messages accounted for here: journaled, or refused for their clock. */
    static final int HB_YOUR_COUNT_OFFSET = 16;
    static final int HB_MY_LAST_OFFSET = 24;
    static final int HB_MY_COUNT_OFFSET = 32;
    /** 0 while publishing; {@link #END} once the stream ended; {@link #END_AND_DONE} once every stream is complete. */
    static final int HB_END_OFFSET = 40;
    static final long END = 1;
    static final long END_AND_DONE = 2;
    static final int HB_PING_OFFSET = 48;
    static final int HB_INCARNATION_OFFSET = 56;
    static final int HB_EPOCH_OFFSET = 64;
    static final int HB_UPTIME_OFFSET = 72;
    static final int HB_PAYLOAD_CAPACITY_OFFSET = 80;
    static final int HB_DEPENDENCIES_MAX_OFFSET = 84;
    static final int HB_TYPES_MAX_OFFSET = 88;
    static final int HEARTBEAT_LENGTH = 92;

    static final int PONG_T1_OFFSET = 8;
    static final int PONG_T2_OFFSET = 16;
    static final int PONG_T3_OFFSET = 24;
    static final int PONG_LENGTH = 32;

    static final int RESEND_AFTER_OFFSET = 8;
    static final int RESEND_FINGERPRINT_OFFSET = 16;
    static final int RESEND_LENGTH = 24;

    /** REFUSED and STOPPED frames alike: an incarnation, then a length-prefixed UTF-8 text. */
    static final int TEXT_FRAME_INCARNATION_OFFSET = 8;
    static final int TEXT_FRAME_TEXT_OFFSET = 16;
    /** Longest text a REFUSED or STOPPED frame carries, in bytes; a longer one is cut. */
    static final int TEXT_MAX = 1000;
    static final int TEXT_FRAME_MAX_LENGTH = TEXT_FRAME_TEXT_OFFSET + Integer.BYTES + TEXT_MAX;

    private Wire()
    {
    }

    static void header(final MutableDirectBuffer buffer, final byte kind, final int from)
    {
        buffer.putByte(KIND_OFFSET, kind);
        buffer.putByte(KIND_OFFSET + 1, (byte)0);
        buffer.putShort(FROM_OFFSET, (short)from, ORDER);
        buffer.putInt(4, 0, ORDER);
    }

    static byte kind(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + KIND_OFFSET);
    }

    static int from(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + FROM_OFFSET, ORDER) & 0xFFFF;
    }

    /**
     * Writes a REFUSED or STOPPED frame.
     *
     * @return the frame's length.
     */
    static int textFrame(final MutableDirectBuffer frame, final byte kind, final int from, final long incarnation,
        final byte[] text)
    {
        header(frame, kind, from);
        frame.putLong(TEXT_FRAME_INCARNATION_OFFSET, incarnation, ORDER);
        final int length = Math.min(text.length, TEXT_MAX);
        frame.putInt(TEXT_FRAME_TEXT_OFFSET, length, ORDER);
        frame.putBytes(TEXT_FRAME_TEXT_OFFSET + Integer.BYTES, text, 0, length);
        return TEXT_FRAME_TEXT_OFFSET + Integer.BYTES + length;
    }

    /** @return the incarnation a REFUSED or STOPPED frame names, 0 when the frame is cut short. */
    static long textFrameIncarnation(final DirectBuffer buffer, final int offset, final int frameLength)
    {
        return frameLength < TEXT_FRAME_TEXT_OFFSET + Integer.BYTES ? 0 :
            getLong(buffer, offset, TEXT_FRAME_INCARNATION_OFFSET);
    }

    /** @return the text of a REFUSED or STOPPED frame, no further than the frame's end. */
    static String textFrameText(final DirectBuffer buffer, final int offset, final int frameLength)
    {
        final int length = Math.max(0, Math.min(buffer.getInt(offset + TEXT_FRAME_TEXT_OFFSET, ORDER),
            frameLength - TEXT_FRAME_TEXT_OFFSET - Integer.BYTES));
        return buffer.getStringWithoutLengthUtf8(offset + TEXT_FRAME_TEXT_OFFSET + Integer.BYTES, length);
    }

    static int getInt(final DirectBuffer buffer, final int offset, final int field)
    {
        return buffer.getInt(offset + field, ORDER);
    }

    static long getLong(final DirectBuffer buffer, final int offset, final int field)
    {
        return buffer.getLong(offset + field, ORDER);
    }
}
