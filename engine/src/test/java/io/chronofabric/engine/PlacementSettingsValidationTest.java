package io.chronofabric.engine;

import java.util.Map;

import io.chronofabric.affinity.CpuRequest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.chronofabric.engine.api.ConfigurationException;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.config.ResolvedSettings;
import io.chronofabric.engine.config.ThreadCpus;

/**
 * Bad thread-placement settings, targets and profile names fail with a message naming the key, the value and what
 * is allowed.
 */
class PlacementSettingsValidationTest
{
    private static ConfigurationException rejected(final String key, final String value)
    {
        final EngineConfiguration.Builder context = EngineConfiguration.builder();
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> context.set(key, value));
        assertEquals(key, ex.key());
        assertTrue(ex.getMessage().contains(key + "=" + value), ex.getMessage());
        return ex;
    }

    private static void assertMentions(final Exception ex, final String... parts)
    {
        for (final String part : parts)
        {
            assertTrue(ex.getMessage().contains(part), () -> "'" + part + "' missing from: " + ex.getMessage());
        }
    }

    @Test
    void shouldRejectACpuListWithAWordInItNamingTheAllowedForms()
    {
        assertMentions(rejected("threads.cpus", "2,three"), "'three'", "none, auto", "isolated", "2,3,4,5");
    }

    @Test
    void shouldRejectACpuListedTwice()
    {
        assertMentions(rejected("threads.cpus", "2,3,2"), "CPU 2 is listed twice", "allowed");
    }

    @Test
    void shouldRejectAPublisherCpuThatIsNoCpu()
    {
        assertMentions(rejected("threads.publisher-cpu", "fast"), "none, auto, isolated, or a CPU id");
        assertMentions(rejected("threads.publisher-cpu", "-1"), "out of range");
    }

    @Test
    void shouldRejectAnUnknownFallbackPolicy()
    {
        assertMentions(rejected("layout.fallback", "maybe"), "allow, refuse");
    }

    @Test
    void shouldRejectTargetsOutsideTheirRanges()
    {
        assertMentions(rejected("target.latency.p99-ns", "0"), "nanoseconds > 0");
        assertMentions(rejected("target.latency.mean-ns", "soon"), "nanoseconds > 0");
        assertMentions(rejected("target.throughput.msgs-per-sec", "-5"), "messages per second > 0");
        assertMentions(assertThrows(ConfigurationException.class,
            () -> EngineConfiguration.builder().set("target.drop-rate", "1.5")), "target.drop-rate", "[0, 1]");
        assertMentions(assertThrows(ConfigurationException.class,
            () -> EngineConfiguration.builder().set("target.cpu.percent", "0")), "target.cpu.percent",
            "percent of one core");
        assertMentions(rejected("target.rss.mb", "lots"), "MiB > 0");
    }

    @Test
    void shouldRejectACpuListThatDoesNotMatchTheLayoutNamingBoth()
    {
        final EngineConfiguration.Builder context = Profiles.builder("low-latency");
        context.set("thread.layout", "journal|sequencer+router+delivery");
        assertThrows(ConfigurationException.class, () -> context.set("threads.cpus", "2,3,4,5").build());
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> Profiles.resolve("low-latency", Map.of("thread.layout", "journal|sequencer+router+delivery",
                "threads.cpus", "2,3,4,5")));
        assertEquals("threads.cpus", ex.key());
        assertMentions(ex, "threads.cpus=2,3,4,5", "thread.layout=journal|sequencer+router+delivery", "2 group(s)");
    }

    @Test
    void shouldRejectAPublisherOnAPipelineThreadsCpu()
    {
        final EngineConfiguration.Builder context = EngineConfiguration.builder().threadCpus(ThreadCpus.parse("3"))
            .publisherCpu(CpuRequest.cpu(3));
        final ConfigurationException ex = assertThrows(ConfigurationException.class, context::build);
        assertEquals("threads.publisher-cpu", ex.key());
        assertMentions(ex, "threads.publisher-cpu=3", "threads.cpus=3");
    }

    @Test
    void shouldRejectAnUnknownProfileListingEveryShippedOne()
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> Profiles.resolve("nosuch", Map.of()));
        assertEquals("profile", ex.key());
        assertMentions(ex, "profile=nosuch", "allowed: dev, balanced, low-latency, throughput");
    }

    @Test
    void shouldRejectAnUnknownOverrideKeyListingThePlacementAndTargetKeys()
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> Profiles.resolve("dev", Map.of("threads.cpu", "2")));
        assertEquals("threads.cpu", ex.key());
        assertMentions(ex, "'threads.cpu'", "threads.cpus", "threads.publisher-cpu", "layout.fallback",
            "target.latency.p99-ns", "target.rss.mb");
    }
}
