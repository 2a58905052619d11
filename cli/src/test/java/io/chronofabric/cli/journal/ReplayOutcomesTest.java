package io.chronofabric.cli.journal;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A replay compares outcomes, not only the order of what both delivered. Under {@code deadline.policy=expire} the
 * original run dead-letters the orders that reach their subscriber after their 250 us deadline; the replay feeds the
 * records as fast as it can and decides deadlines anew, so it need not expire the same ones. Before, it delivered
 * them, compared only the messages both delivered and said SAME ORDER, exit 0 (a black-box helper's finding: 414 of
 * 5,000 orders delivered by the replay that the run had expired).
 */
class ReplayOutcomesTest
{
    @TempDir
    Path dir;

    @Test
    void aReplayThatDoesNotDeadLetterWhatTheOriginalDidSaysDifferentOutcomes() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final Cli.Result run = Cli.run("run", "--messages", "5000", "--warmup", "0", "--journal", journal.toString(),
            "--set", "deadline.policy=expire", "--json");
        assertEquals(0, run.code(), run::toString);
        final JsonNode original = Cli.run("journal", "deadletters", journal.toString(), "--json").json();
        assumeTrue(original.toString().contains("expired"), "the run expired no order on this machine: " + original);

        final Cli.Result replay = Cli.run("journal", "replay", journal.toString(), "--set", "deadline.policy=expire",
            "--json");
        assertEquals(1, replay.code(), replay::toString);
        final JsonNode report = replay.json();
        assertEquals("DIFFERENT OUTCOMES", report.get("verdict").asText(), replay::toString);
        assertFalse(report.get("dead_letters").get("same").asBoolean(), replay::toString);
    }
}
