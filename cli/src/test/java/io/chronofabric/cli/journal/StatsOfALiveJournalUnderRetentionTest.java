package io.chronofabric.cli.journal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.chronofabric.journal.JournalFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code journal stats} on a journal a running engine writes and prunes (a roll file a second, cycles older than a
 * second deleted): each report is of one moment, so the messages counted and the messages pruned add up to the last
 * id (ids start at 1 and follow each other in a single node's run); a prune while the records are read used to make
 * them disagree.
 */
@Timeout(180)
class StatsOfALiveJournalUnderRetentionTest
{
    @TempDir
    Path dir;

    @Test
    void shouldReportMessagesAndPrunedMessagesOfOneMomentWhileRetentionRuns() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> Cli.run("run", "--messages",
            "600000", "--rate", "50000", "--warmup", "0", "--journal", journal.toString(), "--set",
            "journal.roll-cycle=TEST_SECONDLY", "--set", "journal.retention.max-age-ms=1000"));
        final List<String> readings = new ArrayList<>();
        int pruned = 0;
        while (!run.isDone())
        {
            if (JournalFiles.rollFiles(journal).isEmpty())
            {
                TimeUnit.MILLISECONDS.sleep(50);
                continue;
            }
            final Cli.Result stats = Cli.run("journal", "stats", journal.toString(), "--json");
            if (0 != stats.code())
            {
                continue; // a journal the engine is creating a file of at this instant: not what this test is about
            }
            final JsonNode report = stats.json();
            final long messages = report.get("messages").asLong();
            final long prunedMessages = report.get("pruned_messages").asLong();
            readings.add(messages + " + " + prunedMessages + " vs last id " + report.get("last_id").asLong());
            assertEquals(report.get("last_id").asLong(), messages + prunedMessages, readings::toString);
            pruned += prunedMessages > 0 ? 1 : 0;
        }
        assertEquals(0, run.get().code(), () -> run.join().toString());
        assertTrue(pruned >= 3, "readings of a pruned journal: " + readings);
    }
}
