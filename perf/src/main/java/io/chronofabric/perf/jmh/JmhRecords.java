package io.chronofabric.perf.jmh;

import io.chronofabric.journal.MessageRecord;

/**
 * Records the benchmarks journal and encode: a trading-like header, one dependency, a patterned payload.
 */
final class JmhRecords
{
    private JmhRecords()
    {
    }

    /**
     * @param maxDependencies the record's dependency capacity.
     * @param payload         payload bytes.
     * @param id              the message id.
     * @return a filled record.
     */
    static MessageRecord record(final int maxDependencies, final int payload, final long id)
    {
        final MessageRecord record = new MessageRecord(maxDependencies, payload);
        record.id(id).type(3).source(7).priority(100).hlc(System.currentTimeMillis() * 1_000_000L, 0);
        record.dependencyCount(1);
        record.dependency(0, id - 1);
        for (int i = 0; i < payload; i++)
        {
            record.payload()[i] = (byte)(31 * i + 7);
        }
        record.payloadLength(payload);
        return record;
    }
}
