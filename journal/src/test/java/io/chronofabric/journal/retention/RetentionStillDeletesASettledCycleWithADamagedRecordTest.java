package io.chronofabric.journal.retention;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.chronofabric.journal.BatchLayout;
import io.chronofabric.journal.DamagedDocuments;
import io.chronofabric.journal.JournalQueues;
import io.chronofabric.journal.RecordCodec;
import io.chronofabric.journal.RecordLayout;
import net.openhft.chronicle.queue.ChronicleQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static io.chronofabric.journal.retention.RetentionCycles.nextSecond;
import static io.chronofabric.journal.retention.RetentionCycles.record;
import static io.chronofabric.journal.retention.RetentionCycles.write;

/**
 * Before pruned-origins.properties, retention deleted a settled cycle by its documents' batch headers (last id, record
 * count), never decoding the records: a record whose bytes disk damage flipped went with its cycle. Counting what each
 * origin loses now decodes every record of the cycles to delete, and a damaged one throws: every pass fails the same
 * way, retention never deletes anything again (the journal grows without bound) and no plan reports it blocked.
 */
class RetentionStillDeletesASettledCycleWithADamagedRecordTest
{
    @TempDir
    Path dir;

    @Test
    void aSettledCycleHoldingADamagedRecordIsStillDeleted() throws Exception
    {
        final RecordCodec codec = RetentionCycles.CODEC;
        final byte[] damaged = DamagedDocuments.batchOf(List.of(DamagedDocuments.encoded(codec, record(1)),
            DamagedDocuments.encoded(codec, record(2))));
        damaged[BatchLayout.HEADER_LENGTH + RecordLayout.HEADER_LENGTH + 3] ^= 0x01; // a payload byte of message 1
        try (ChronicleQueue queue = JournalQueues.openForWrite(dir, "TEST_SECONDLY"))
        {
            write(queue, damaged);
            nextSecond();
            write(queue, RetentionCycles.batchOf(3));
            nextSecond();
            write(queue, RetentionCycles.batchOf(4));
            final RetentionPlan plan = JournalRetention.plan(queue, new RetentionPolicy(0, 0, 1), 10,
                System.currentTimeMillis());
            assertEquals(2, plan.deletions().size(), plan.toString());
            final JournalRetention.Pruned pruned = assertDoesNotThrow(() -> JournalRetention.apply(plan, queue,
                List.of()), "retention of settled cycles, one holding a damaged record");
            assertEquals(2, pruned.cycles());
            assertFalse(Files.exists(plan.deletions().get(0).file()));
        }
    }
}
