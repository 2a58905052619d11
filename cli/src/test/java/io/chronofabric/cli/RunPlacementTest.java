package io.chronofabric.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code run} reports about its threads: each thread's stages, CPU and wait strategy, and the layout fallback.
 */
class RunPlacementTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private JsonNode run(final String... settings) throws Exception
    {
        final String[] base = {"run", "--messages", "5000", "--warmup", "0", "--json", "--journal",
            dir.resolve("journal").toString()};
        final String[] args = new String[base.length + settings.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(settings, 0, args, base.length, settings.length);
        assertEquals(0, Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args), err::toString);
        return new ObjectMapper().readTree(out.toString());
    }

    @Test
    void shouldListEachThreadWithItsStagesCpuAndWaitStrategy() throws Exception
    {
        final JsonNode summary = run("--set", "thread.layout=journal|sequencer+router+delivery");
        final JsonNode threads = summary.get("threads");
        assertEquals(2, threads.size());
        assertEquals("cf-journal", threads.get(0).get("name").asText());
        assertEquals("[\"journal\"]", threads.get(0).get("stages").toString());
        assertEquals("[\"sequencer\",\"router\",\"delivery\"]", threads.get(1).get("stages").toString());
        for (final JsonNode thread : threads)
        {
            assertTrue(thread.get("cpu").isNull(), "dev pins nothing");
            assertEquals("none", thread.get("requested_cpu").asText());
            assertEquals("sleeping", thread.get("wait_strategy").asText());
        }
        assertTrue(summary.get("layout_fallback").isNull(), "dev fits any host");
        assertEquals(5000, summary.get("delivered").asLong());
    }

    @Test
    void shouldReportAThreadLeftUnpinnedBecauseItsCpuIsBeyondTheHost() throws Exception
    {
        final JsonNode summary = run("--set", "threads.cpus=8000");
        final JsonNode thread = summary.get("threads").get(0);
        assertTrue(thread.get("cpu").isNull(), thread::toString);
        assertEquals("8000", thread.get("requested_cpu").asText());
        final JsonNode fallback = summary.get("layout_fallback");
        assertTrue(fallback.get("reasons").get(0).asText().contains("CPU 8000 asked for " +
            "cf-journal+sequencer+router+delivery is not usable here"), fallback::toString);
        assertTrue(fallback.get("warning").asText().contains("falling back from"), fallback::toString);
        assertEquals(5000, summary.get("delivered").asLong(), "the engine still runs");
    }
}
