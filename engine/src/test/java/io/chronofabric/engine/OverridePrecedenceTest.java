package io.chronofabric.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.chronofabric.affinity.CpuRequest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.config.ResolvedSettings;
import io.chronofabric.engine.config.Setting;
import io.chronofabric.engine.config.Settings;
import io.chronofabric.engine.config.ThreadCpus;
import io.chronofabric.engine.config.WaitStrategyKind;

/**
 * Built-in default &lt; profile file &lt; override ({@code --set}, or a setter of the embedding API).
 */
class OverridePrecedenceTest
{
    private static Map<String, ResolvedSettings.Entry> byKey(final ResolvedSettings settings)
    {
        return settings.entries().stream().collect(Collectors.toMap(ResolvedSettings.Entry::key, Function.identity()));
    }

    @Test
    void shouldTakeEachValueFromTheLatestSourceThatSetsIt()
    {
        final Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("ring.size", "1_024");
        overrides.put("target.latency.p99-ns", "50000");
        final ResolvedSettings settings = Profiles.resolve("low-latency", overrides);
        final Map<String, ResolvedSettings.Entry> entries = byKey(settings);

        assertEquals("1024", entries.get("ring.size").value(), "read back as the engine holds it");
        assertSame(ResolvedSettings.Source.OVERRIDE, entries.get("ring.size").source());
        assertEquals("50000", entries.get("target.latency.p99-ns").value());
        assertSame(ResolvedSettings.Source.OVERRIDE, entries.get("target.latency.p99-ns").source());
        assertEquals("busy-spin", entries.get("wait.strategy").value());
        assertSame(ResolvedSettings.Source.PROFILE, entries.get("wait.strategy").source());
        assertEquals("256", entries.get("types.max").value(), "low-latency leaves types.max to the default");
        assertSame(ResolvedSettings.Source.DEFAULT, entries.get("types.max").source());

        assertEquals(1_024, settings.configuration().ringSize());
        assertEquals(50_000, settings.configuration().targets().latencyP99Nanos());
        assertEquals(5_000, settings.configuration().targets().latencyMeanNanos(), "the profile's, not overridden");
        assertEquals(Settings.all().stream().map(Setting::name).collect(Collectors.toSet()), entries.keySet(),
            "every key is shown");
    }

    @Test
    void shouldLetTheEmbeddingApiOverrideAProfileKeyByKey()
    {
        final EngineConfiguration context = Profiles.builder("low-latency")
            .waitStrategy(WaitStrategyKind.YIELDING)
            .threadCpus(ThreadCpus.parse("2,3,4,5"))
            .publisherCpu(CpuRequest.cpu(6))
            .targetCpuPercent(450)
            .build();

        assertSame(WaitStrategyKind.YIELDING, context.waitStrategy());
        assertEquals("2,3,4,5", context.threadCpus().toString());
        assertEquals(CpuRequest.cpu(6), context.publisherCpu());
        assertEquals(450, context.targets().cpuPercent());
        assertEquals(8_192, context.ringSize(), "keys not overridden keep the profile's value");
    }

    @Test
    void shouldApplySetOverridesOnTopOfTheProfileAsRunDoes()
    {
        final EngineConfiguration.Builder builder = Profiles.builder("throughput");
        builder.set("threads.cpus", "none");
        builder.set("target.drop-rate", "0.001");
        final EngineConfiguration context = builder.build();
        assertEquals(ThreadCpus.NONE, context.threadCpus());
        assertEquals(0.001, context.targets().dropRate());
        assertEquals(262_144, context.ringSize());
    }

    @Test
    void shouldReadEveryDefaultBackAsTheEngineHoldsIt()
    {
        for (final ResolvedSettings.Entry entry : Profiles.resolve("low-latency", Map.of()).entries())
        {
            assertFalse(entry.value().startsWith("("), () -> entry.key() + " has no reader: " +
                entry.value());
            final EngineConfiguration.Builder context = EngineConfiguration.builder();
            context.set(entry.key(), entry.value());
            assertEquals(entry.value(), format(entry.setting(), context.build()), entry.key());
        }
    }

    @Test
    void shouldShowEveryDevValueAsTheDefault()
    {
        for (final ResolvedSettings.Entry entry : Profiles.resolve("dev", Map.of()).entries())
        {
            assertSame(ResolvedSettings.Source.DEFAULT, entry.source(), entry.key());
            assertEquals(defaultText(entry.setting()), entry.value(), entry.key());
        }
    }

    @Test
    void shouldShowAKeyTheProfileSetsAsComingFromTheProfileFile()
    {
        final Map<String, ResolvedSettings.Entry> entries = byKey(Profiles.resolve("throughput", Map.of()));
        assertSame(ResolvedSettings.Source.PROFILE, entries.get("journal.roll-cycle").source());
        assertEquals(Profiles.read("throughput").get("journal.roll-cycle"), entries.get("journal.roll-cycle").value());
        assertSame(ResolvedSettings.Source.DEFAULT, entries.get("journal.durability").source());
        assertEquals("none", entries.get("journal.durability").value());
    }

    private static <T> String defaultText(final Setting<T> setting)
    {
        return setting.format(setting.defaultValue());
    }

    private static <T> String format(final Setting<T> setting, final EngineConfiguration configuration)
    {
        return setting.format(configuration.get(setting));
    }
}
