package io.chronofabric.journal.retention;

import java.nio.file.Path;
import java.util.List;

import io.chronofabric.journal.JournalQueues;
import net.openhft.chronicle.queue.ChronicleQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.journal.retention.RetentionCycles.batchOf;
import static io.chronofabric.journal.retention.RetentionCycles.nextSecond;
import static io.chronofabric.journal.retention.RetentionCycles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A retention plan says why it keeps each cycle. Retention deletes the oldest cycles only, so a cycle the limits want
 * gone but that lies behind a cycle holding unsettled messages is kept for that cycle, which the plan names; it is not
 * "within the limits".
 */
class RetentionPlanReasonsTest
{
    @TempDir
    Path dir;

    @Test
    void aCycleKeptBehindAnUnsettledOneSaysSoInsteadOfWithinTheLimits() throws Exception
    {
        try (ChronicleQueue queue = JournalQueues.openForWrite(dir, "TEST_SECONDLY"))
        {
            for (long id = 1; id <= 4; id++)
            {
                if (id > 1)
                {
                    nextSecond();
                }
                write(queue, batchOf(id));
            }
            final RetentionPlan plan = JournalRetention.plan(queue, new RetentionPolicy(0, 0, 1), 1,
                System.currentTimeMillis());
            final List<CycleVerdict> cycles = plan.verdicts();
            assertEquals(4, cycles.size(), plan.toString());
            assertTrue(cycles.get(0).delete(), plan.toString());
            assertFalse(cycles.get(1).delete(), plan.toString());
            assertTrue(cycles.get(1).reason().contains("unsettled messages"), plan.toString());
            final CycleVerdict behind = cycles.get(2);
            assertFalse(behind.delete(), plan.toString());
            assertFalse(behind.reason().contains("within the limits"), behind.reason());
            assertTrue(behind.reason().contains("beyond keep-cycles 1") &&
                behind.reason().contains("behind cycle " + cycles.get(1).cycle()), behind.reason());
            assertTrue(cycles.get(3).reason().contains("newest"), cycles.get(3).reason());
        }
    }
}
