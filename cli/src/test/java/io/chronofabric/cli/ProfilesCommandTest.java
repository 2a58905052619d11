package io.chronofabric.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chronofabric.engine.config.Settings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfilesCommandTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int chronofabric(final String... args)
    {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private static JsonNode setting(final JsonNode show, final String key)
    {
        for (final JsonNode setting : show.get("settings"))
        {
            if (key.equals(setting.get("key").asText()))
            {
                return setting;
            }
        }
        throw new AssertionError("no setting " + key + " in " + show);
    }

    @Test
    void shouldListEveryProfileWithItsDescription() throws Exception
    {
        assertEquals(0, chronofabric("profiles"), err::toString);
        for (final String profile : new String[] {"dev", "balanced", "low-latency", "throughput"})
        {
            assertTrue(out.toString().lines().anyMatch(line -> line.startsWith(profile + " ") && line.length() > 30),
                () -> profile + " missing from:\n" + out);
        }
        assertEquals(0, chronofabric("profiles", "--json"), err::toString);
        final JsonNode list = new ObjectMapper().readTree(out.toString()).get("profiles");
        assertEquals(4, list.size());
        assertEquals("dev", list.get(0).get("name").asText());
        assertTrue(list.get(0).get("default").asBoolean());
    }

    @Test
    void shouldShowEffectiveSettingsWithTheirSources() throws Exception
    {
        assertEquals(0, chronofabric("profiles", "show", "low-latency", "--set", "ring.size=1024", "--json"),
            err::toString);
        final JsonNode show = new ObjectMapper().readTree(out.toString());
        assertEquals("low-latency", show.get("profile").asText());
        assertEquals("1024", setting(show, "ring.size").get("value").asText());
        assertEquals("--set", setting(show, "ring.size").get("source").asText());
        assertEquals("busy-spin", setting(show, "wait.strategy").get("value").asText());
        assertEquals("profile", setting(show, "wait.strategy").get("source").asText());
        assertEquals("default", setting(show, "types.max").get("source").asText());
        assertTrue(show.get("on_this_host").get("threads").size() >= 1);

        assertEquals(0, chronofabric("profiles", "show", "balanced"), err::toString);
        assertTrue(out.toString().contains("ring.size"), out::toString);
        assertTrue(out.toString().lines().anyMatch(line -> line.startsWith("ring.size ") && line.contains("65536") &&
            line.endsWith("profile balanced.properties")), out::toString);
        assertTrue(out.toString().lines().anyMatch(line -> line.startsWith("types.max ") && line.endsWith(" default")),
            out::toString);

        assertEquals(0, chronofabric("profiles", "show", "dev", "--json"), err::toString);
        final JsonNode dev = new ObjectMapper().readTree(out.toString());
        assertEquals(Settings.all().size(), dev.get("settings").size(), "every key, though dev's file sets none");
        for (final JsonNode setting : dev.get("settings"))
        {
            assertEquals("default", setting.get("source").asText(), setting::toString);
            assertTrue(setting.get("doc").asText().length() > 10, setting::toString);
        }
        assertEquals("4096", setting(dev, "ring.size").get("value").asText());
    }

    @Test
    void shouldRejectAnUnknownProfileOrBadOverrideWithExitCode2()
    {
        assertEquals(2, chronofabric("profiles", "show", "nosuch"));
        assertTrue(err.toString().contains("profile=nosuch is invalid; allowed: dev, balanced, low-latency, " +
            "throughput"), err::toString);
        assertEquals(2, chronofabric("profiles", "show", "dev", "--set", "ring.size=1000"));
        assertTrue(err.toString().contains("ring.size=1000"), err::toString);
        assertTrue(err.toString().contains("power of two"), err::toString);
    }
}
