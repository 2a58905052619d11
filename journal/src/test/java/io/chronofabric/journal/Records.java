package io.chronofabric.journal;

import java.util.Random;

/**
 * Random records for the journal tests: every field random, dependency count in [0, capacity], payload length in
 * [0, capacity] with the edges drawn often.
 */
final class Records
{
    private Records()
    {
    }

    static void randomise(final Random random, final MessageRecord record)
    {
        record.clear();
        record.id(random.nextLong())
            .hlc(random.nextLong(), random.nextInt())
            .type(random.nextInt())
            .source(random.nextInt())
            .priority(random.nextInt(RecordLayout.MAX_PRIORITY + 1))
            .flags(random.nextInt(256))
            .originNode(random.nextInt(65_536))
            .originId(random.nextLong())
            .deadlineEpochNanos(random.nextBoolean() ? 0 : random.nextLong());
        final int dependencies = random.nextInt(record.dependencyCapacity() + 1);
        record.dependencyCount(dependencies);
        for (int i = 0; i < dependencies; i++)
        {
            record.dependency(i, random.nextLong());
        }
        final int capacity = record.payloadCapacity();
        final int length;
        switch (random.nextInt(8))
        {
            case 0:
                length = 0;
                break;
            case 1:
                length = capacity;
                break;
            default:
                length = random.nextInt(capacity + 1);
        }
        final byte[] payload = record.payload();
        for (int i = 0; i < length; i++)
        {
            payload[i] = (byte)random.nextInt(256);
        }
        record.payloadLength(length);
    }
}
