package io.chronofabric.cli.crash;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.MessageRecord;

/**
 * Every message a journal holds, by id: its type and declared dependencies, in arrays indexed by id so that millions
 * of messages fit in a test JVM. What is here is the ground truth the settlement checks compare deliveries with: a
 * message is "journaled" exactly when it is here.
 */
final class JournaledMessages
{
    private static final long[] NONE = new long[0];

    private short[] types = new short[1 << 16];
    private long[] dependency = new long[1 << 16];
    private final Map<Long, long[]> manyDependencies = new HashMap<>();
    private long count;
    private long maxId;

    private JournaledMessages()
    {
    }

    /**
     * @param journal         a journal folder.
     * @param maxDependencies the engine's dependency capacity.
     * @param payloadCapacity the engine's payload capacity.
     * @param violations      where a duplicate or unindexable id is reported ({@link SettlementChecker#JOURNALED}).
     * @return the journal's messages.
     */
    static JournaledMessages read(final Path journal, final int maxDependencies, final int payloadCapacity,
        final Violations violations)
    {
        final JournaledMessages messages = new JournaledMessages();
        if (JournalFiles.rollFiles(journal).isEmpty())
        {
            return messages;
        }
        final MessageRecord record = new MessageRecord(maxDependencies, payloadCapacity);
        try (JournalReader reader = new JournalReader(journal, maxDependencies, payloadCapacity))
        {
            while (reader.next(record))
            {
                messages.add(record, violations);
            }
        }
        return messages;
    }

    private void add(final MessageRecord record, final Violations violations)
    {
        final long id = record.id();
        if (id <= 0 || id >= Integer.MAX_VALUE)
        {
            violations.add(SettlementChecker.JOURNALED, "journaled id " + id +
                " is outside (0, 2^31): the checker indexes ids as ints");
            return;
        }
        if (has(id))
        {
            violations.add(SettlementChecker.JOURNALED, "id " + id + " is journaled twice (types " + type(id) +
                " and " + record.type() + ")");
            return;
        }
        if (id >= types.length)
        {
            final int length = (int)Math.min(Integer.MAX_VALUE - 8L, Math.max(id + 1, 2L * types.length));
            types = Arrays.copyOf(types, length);
            dependency = Arrays.copyOf(dependency, length);
        }
        types[(int)id] = (short)(record.type() + 1);
        final int dependencies = record.dependencyCount();
        if (1 == dependencies)
        {
            dependency[(int)id] = record.dependency(0);
        }
        else if (1 < dependencies)
        {
            final long[] all = new long[dependencies];
            for (int i = 0; i < dependencies; i++)
            {
                all[i] = record.dependency(i);
            }
            manyDependencies.put(id, all);
        }
        count++;
        maxId = Math.max(maxId, id);
    }

    /**
     * @param id a message id.
     * @return true when the journal holds it.
     */
    boolean has(final long id)
    {
        return id > 0 && id < types.length && 0 != types[(int)id];
    }

    /**
     * @param id a journaled message id.
     * @return its type.
     */
    int type(final long id)
    {
        return types[(int)id] - 1;
    }

    /**
     * @param id a journaled message id.
     * @return the ids it declared as dependencies (do not modify).
     */
    long[] dependencies(final long id)
    {
        final long single = dependency[(int)id];
        if (0 != single)
        {
            return new long[] {single};
        }
        return manyDependencies.getOrDefault(id, NONE);
    }

    /** @return how many messages the journal holds. */
    long count()
    {
        return count;
    }

    /** @return the highest journaled id, 0 when none. */
    long maxId()
    {
        return maxId;
    }
}
