package io.chronofabric.node;

import java.util.zip.CRC32C;

import io.chronofabric.journal.MessageRecord;

/**
 * What a message is, as every node that journals it sees it: a CRC32C of its type, priority and payload (not its
 * HLC time or local id, which each node stamps for itself). Two journals holding different messages under one
 * (origin, origin id) tell them apart by it. Never 0: 0 is "not known".
 */
final class MessageFingerprint
{
    static final long UNKNOWN = 0;

    private final CRC32C crc = new CRC32C();

    /** @return the record's fingerprint, never {@link #UNKNOWN}. */
    long of(final MessageRecord record)
    {
        crc.reset();
        crc.update(record.type());
        crc.update(record.type() >>> 8);
        crc.update(record.priority());
        crc.update(record.payload(), 0, record.payloadLength());
        final long value = crc.getValue();
        return UNKNOWN == value ? 1 : value;
    }
}
