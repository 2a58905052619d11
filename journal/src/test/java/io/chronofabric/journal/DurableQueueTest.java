package io.chronofabric.journal;

import java.nio.file.Path;
import java.util.List;

import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code sync} under {@link Durability#SYNC} writes back every roll file written since the last sync, whole: the
 * one a batch ended in and the one a roll left behind, not only the mapped chunk the appender is in.
 */
class DurableQueueTest
{
    @TempDir
    Path dir;

    @Test
    void shouldSyncTheRollFileABatchLeftBehindAsWellAsTheCurrentOne() throws Exception
    {
        try (DurableQueue queue = new DurableQueue(dir, "TEST_SECONDLY", Durability.SYNC,
            JournalQueues.DEFAULT_BLOCK_SIZE, Long.BYTES))
        {
            append(queue);
            queue.sync();
            final List<Path> first = queue.lastSynced();
            assertEquals(1, first.size(), first.toString());

            append(queue);
            Thread.sleep(1_100 - System.currentTimeMillis() % 1_000);
            append(queue);
            queue.sync();
            // a slow machine may roll more than once in between: every file since the last sync is synced
            final List<Path> second = queue.lastSynced();
            final List<Path> files = JournalFiles.rollFiles(dir);
            assertEquals(files.subList(files.indexOf(first.get(0)), files.size()), second,
                "the old roll file's tail and every file after it");
            assertTrue(second.size() >= 2, second.toString());

            queue.sync();
            assertEquals(List.of(files.get(files.size() - 1)), queue.lastSynced(), "then only the current file");
        }
    }

    @Test
    void aWriteThatFailsIsReportedAsAJournalWriteNamingTheQueue()
    {
        final DurableQueue queue = new DurableQueue(dir, "TEST_SECONDLY", Durability.NONE,
            JournalQueues.DEFAULT_BLOCK_SIZE, Long.BYTES);
        queue.write(new byte[8], 0, 8);
        queue.close();
        final JournalWriteException failed = org.junit.jupiter.api.Assertions.assertThrows(JournalWriteException.class,
            () -> queue.write(new byte[8], 0, 8));
        assertTrue(failed.getMessage().contains(dir.toString()), failed.getMessage());
        assertTrue(JournalWriteException.isCauseOf(new IllegalStateException("stage", failed)));
    }

    @Test
    void shouldSyncNothingUnderThePoliciesThatDoNotWaitForTheDisk()
    {
        for (final Durability durability : List.of(Durability.NONE, Durability.ASYNC))
        {
            try (DurableQueue queue = new DurableQueue(dir.resolve(durability.label()), "FAST_DAILY", durability,
                JournalQueues.DEFAULT_BLOCK_SIZE, Long.BYTES))
            {
                append(queue);
                queue.sync();
                assertEquals(List.of(), queue.lastSynced(), durability.label());
            }
        }
    }

    private static void append(final DurableQueue queue)
    {
        try (DocumentContext context = queue.appender().writingDocument())
        {
            context.wire().bytes().writeLong(42L);
        }
    }
}
