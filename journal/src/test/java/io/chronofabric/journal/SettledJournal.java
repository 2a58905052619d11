package io.chronofabric.journal;

import java.nio.file.Path;

/** Test fixture: a journal of small records, every one settled, in a folder's current FAST_DAILY cycle. */
final class SettledJournal
{
    private SettledJournal()
    {
    }

    /**
     * @param dir     the journal folder.
     * @param records how many records, ids 1 to {@code records}, all settled.
     * @return the roll file they were written to.
     */
    static Path write(final Path dir, final int records)
    {
        try (JournalWriter writer = new JournalWriter(dir, "FAST_DAILY", 8, 256);
             SettlementWriter settlements = new SettlementWriter(dir, "FAST_DAILY", Durability.NONE))
        {
            final MessageRecord record = new MessageRecord(8, 256);
            for (int i = 1; i <= records; i++)
            {
                record.clear();
                record.id(i).type(1).hlc(i, 0).payloadLength(16);
                writer.append(record);
            }
            settlements.write(records, records);
        }
        return JournalFiles.rollFiles(dir).get(0);
    }
}
