package io.chronofabric.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 4 acceptance on the command line: {@code chronofabric run --json} on the built-in trading workload (ticks,
 * signals depending on ticks, orders depending on signals with tighter deadlines and higher priorities, an execution
 * gateway with a retry policy) at an unpaced rate, where queueing makes the tight order deadlines miss, reports every
 * temporal figure, with no causality violation, and non-zero held messages and deadline misses.
 */
class TemporalRunTest
{
    private static final long MESSAGES = 200_000;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private JsonNode run(final String... extra) throws Exception
    {
        final String[] base = {"run", "--messages", Long.toString(MESSAGES), "--rate", "max", "--warmup", "0", "--json",
            "--journal", dir.resolve("journal").toString()};
        final String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        final int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertEquals(0, exit, err::toString);
        final JsonNode summary = new ObjectMapper().readTree(out.toString());
        for (final String key : new String[] {"held", "deadline_misses", "expired", "dead_letters", "retries",
            "causality_violations", "temporal_coherence"})
        {
            assertNotNull(summary.get(key), "the JSON summary has " + key + ": " + out);
        }
        return summary;
    }

    @Test
    void shouldReportNoCausalityViolationAndSomeHeldMessagesAndDeadlineMissesForTheTradingWorkloadAtMaxRate()
        throws Exception
    {
        final JsonNode summary = run();
        final String where = "summary: " + summary;
        assertEquals(MESSAGES, summary.get("published").asLong(), where);
        assertEquals(MESSAGES, summary.get("delivered").asLong(), where);
        assertEquals(0, summary.get("dropped").asLong(), where);
        assertEquals(0, summary.get("causality_violations").asLong(), where);
        assertTrue(summary.get("held").asLong() > 0, "signals and orders wait for the ticks and signals they depend " +
            "on: held must be non-zero; " + where);
        assertTrue(summary.get("deadline_misses").asLong() > 0, "orders have a 250 us deadline; unpaced, some are " +
            "late: " + where);
        assertTrue(summary.get("retries").asLong() > 0, "the execution gateway fails one order in 500 once: " + where);
        assertEquals(0, summary.get("expired").asLong(), "deliver-late is the dev profile's policy: " + where);
        assertEquals(0, summary.get("dead_letters").asLong(), "every failed order succeeds on its retry: " + where);
        final double coherence = summary.get("temporal_coherence").asDouble();
        assertTrue(coherence >= 0 && coherence <= 1, where);
    }

    @Test
    void shouldReportExpiredMessagesAsDeadLettersUnderTheExpirePolicy() throws Exception
    {
        final JsonNode summary = run("--set", "deadline.policy=expire");
        final String where = "summary: " + summary;
        final long expired = summary.get("expired").asLong();
        assertTrue(expired > 0, "unpaced, some orders and signals expire: " + where);
        assertEquals(expired, summary.get("dead_letters_by_reason").get("expired").asLong(), where);
        assertTrue(summary.get("dead_letters").asLong() >= expired, where);
        assertEquals(0, summary.get("deadline_misses").asLong(), "expired messages are not delivered late: " + where);
        assertEquals(0, summary.get("causality_violations").asLong(), where);
    }
}
