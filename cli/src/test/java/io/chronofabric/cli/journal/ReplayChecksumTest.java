package io.chronofabric.cli.journal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The subscribers' checksum a replay prints equals the run's, every time: the workload's execution gateway retries
 * about one order in 500 after a jittered backoff, so how its deliveries interleave with the other subscribers'
 * differs from run to run and replay to replay, while what each subscriber sees, in its order, does not.
 */
class ReplayChecksumTest
{
    private static final int REPLAYS = 3;

    @TempDir
    Path dir;

    @Test
    void shouldPrintTheRunsChecksumOnEveryReplayOfAJournalWithRetriedOrders() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final JsonNode run = Cli.writeJournal(journal, 200_000, "--rate", "50000", "--set",
            "journal.roll-cycle=TEST_SECONDLY");
        final String expected = run.get("subscriber_checksum").asText();
        final List<String> replayed = new ArrayList<>();
        for (int i = 0; i < REPLAYS; i++)
        {
            final Cli.Result replay = Cli.run("journal", "replay", journal.toString(), "--json");
            assertEquals(0, replay.code(), replay::toString);
            assertEquals("SAME ORDER", replay.json().get("verdict").asText(), replay::toString);
            replayed.add(replay.json().get("subscriber_checksum").asText());
        }
        assertEquals(List.of(expected, expected, expected), replayed, "the run's checksum, then each replay's");
    }
}
