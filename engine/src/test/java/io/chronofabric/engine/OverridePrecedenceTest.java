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
import io.chronofabric.engine.config.EngineContext;
import io.chronofabric.engine.config.EngineSettings;
import io.chronofabric.engine.config.ResolvedSettings;
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
        final ResolvedSettings settings = ResolvedSettings.resolve("low-latency", overrides);
        final Map<String, ResolvedSettings.Entry> entries = byKey(settings);

        assertEquals("1024", entries.get("ring.size").value(), "read back as the engine holds it");
        assertSame(ResolvedSettings.Source.OVERRIDE, entries.get("ring.size").source());
        assertEquals("50000", entries.get("target.latency.p99-ns").value());
        assertSame(ResolvedSettings.Source.OVERRIDE, entries.get("target.latency.p99-ns").source());
        assertEquals("busy-spin", entries.get("wait.strategy").value());
        assertSame(ResolvedSettings.Source.PROFILE, entries.get("wait.strategy").source());
        assertEquals("256", entries.get("types.max").value(), "low-latency leaves types.max to the default");
        assertSame(ResolvedSettings.Source.DEFAULT, entries.get("types.max").source());

        assertEquals(1_024, settings.context().ringSize());
        assertEquals(50_000, settings.context().targets().latencyP99Nanos());
        assertEquals(5_000, settings.context().targets().latencyMeanNanos(), "the profile's, not overridden");
        assertEquals(EngineSettings.keys().keySet(), entries.keySet(), "every key is shown");
    }

    @Test
    void shouldLetTheEmbeddingApiOverrideAProfileKeyByKey()
    {
        final EngineContext context = EngineSettings.fromProfile("low-latency")
            .waitStrategy(WaitStrategyKind.YIELDING)
            .threadCpus(ThreadCpus.parse("2,3,4,5"))
            .publisherCpu(CpuRequest.cpu(6));
        context.targets().cpuPercent(450);
        context.validate();

        assertSame(WaitStrategyKind.YIELDING, context.waitStrategy());
        assertEquals("2,3,4,5", context.threadCpus().toString());
        assertEquals(CpuRequest.cpu(6), context.publisherCpu());
        assertEquals(450, context.targets().cpuPercent());
        assertEquals(8_192, context.ringSize(), "keys not overridden keep the profile's value");
    }

    @Test
    void shouldApplySetOverridesOnTopOfTheProfileAsRunDoes()
    {
        final EngineContext context = EngineSettings.fromProfile("throughput");
        EngineSettings.apply(context, "threads.cpus", "none");
        EngineSettings.apply(context, "target.drop-rate", "0.001");
        assertEquals(ThreadCpus.NONE, context.threadCpus());
        assertEquals(0.001, context.targets().dropRate());
        assertEquals(262_144, context.ringSize());
    }

    @Test
    void shouldReadEveryDefaultBackAsTheEngineHoldsIt()
    {
        for (final ResolvedSettings.Entry entry : ResolvedSettings.resolve("low-latency", Map.of()).entries())
        {
            assertFalse(entry.value().startsWith("("), () -> entry.key() + " has no reader in SettingValues: " +
                entry.value());
            final EngineContext context = new EngineContext();
            EngineSettings.apply(context, entry.key(), entry.value());
        }
    }

    @Test
    void shouldShowEveryDevValueAsComingFromTheProfileFile()
    {
        for (final ResolvedSettings.Entry entry : ResolvedSettings.resolve("dev", Map.of()).entries())
        {
            assertSame(ResolvedSettings.Source.PROFILE, entry.source(), entry.key());
            assertEquals(EngineSettings.loadProfile("dev").get(entry.key()), entry.value(), entry.key());
        }
    }
}
