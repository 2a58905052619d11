package io.chronofabric.cli.journal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chronofabric.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadLettersCommandTest
{
    @TempDir
    Path dir;

    @Test
    void shouldListEveryDeadLetterTheRunCounted() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final StringWriter runOut = new StringWriter();
        assertEquals(0, Main.execute(new PrintWriter(runOut, true), new PrintWriter(new StringWriter(), true), "run",
            "--messages", "50000", "--warmup", "0", "--json", "--journal", journal.toString(),
            "--set", "deadline.policy=expire"));
        final JsonNode summary = new ObjectMapper().readTree(runOut.toString());
        final long deadLetters = summary.get("dead_letters").asLong();
        assertTrue(deadLetters > 0, "max rate with the expire policy must expire some messages: " + summary);

        final StringWriter out = new StringWriter();
        assertEquals(0, Main.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "journal",
            "deadletters", journal.toString(), "--json"));
        final String[] lines = out.toString().trim().split("\n");
        assertEquals(deadLetters + 1, lines.length, "one line per dead letter, then the counts");
        final JsonNode counts = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertEquals(deadLetters, counts.get("dead_letters").asLong());
        assertEquals(summary.get("expired").asLong(), counts.get("by_reason").get("expired").asLong());
        final JsonNode first = new ObjectMapper().readTree(lines[0]);
        assertTrue(first.has("id") && first.has("subscriber") && first.has("reason") && first.has("attempts"), lines[0]);
    }

    @Test
    void shouldExitWithUsageCodeForAMissingFolder()
    {
        assertEquals(2, Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true),
            "journal", "deadletters", dir.resolve("absent").toString()));
    }
}
