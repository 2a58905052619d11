package io.chronofabric.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostCheckCommandTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int chronofabric(final String... args)
    {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void shouldReportAVerdictAndFixPerCheckAsJsonOnThisHost() throws Exception
    {
        assertEquals(0, chronofabric("host-check", "--json"), err::toString);
        final JsonNode report = new ObjectMapper().readTree(out.toString());
        assertEquals("low-latency", report.get("profile").asText());
        final Set<String> names = new HashSet<>();
        for (final JsonNode check : report.get("checks"))
        {
            names.add(check.get("name").asText());
            assertTrue(Set.of("ok", "warn", "unknown").contains(check.get("verdict").asText()), check::toString);
            assertTrue(check.has("finding") && check.has("fix") && check.has("facts"), check::toString);
            if ("warn".equals(check.get("verdict").asText()))
            {
                assertTrue(check.get("fix").asText().length() > 10, () -> "a warning says how to fix it: " + check);
            }
        }
        assertTrue(names.containsAll(Set.of("cpus", "numa", "isolated_cpus", "nohz_full", "rcu_nocbs",
            "cpu_governor", "turbo", "transparent_huge_pages", "clock_source", "swap", "irq_affinity", "jvm")), names::toString);
    }

    @Test
    void shouldPrintATableForADevProfileCheck()
    {
        assertEquals(0, chronofabric("host-check", "--profile", "dev"), err::toString);
        assertTrue(out.toString().startsWith("host check for profile dev"), out::toString);
        assertTrue(out.toString().contains("clock_source"), out::toString);
    }

    @Test
    void shouldRejectAnUnknownProfileWithExitCode2()
    {
        assertEquals(2, chronofabric("host-check", "--profile", "nosuch"));
        assertTrue(err.toString().contains("allowed: dev, balanced, low-latency, throughput"), err::toString);
    }
}
