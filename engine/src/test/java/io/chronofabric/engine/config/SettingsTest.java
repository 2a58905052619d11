package io.chronofabric.engine.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.chronofabric.journal.Durability;
import io.chronofabric.journal.JournalQueues;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.chronofabric.engine.api.ConfigurationException;

class SettingsTest
{
    @Test
    void shouldLoadTheDocumentedDevProfileValues()
    {
        final EngineConfiguration dev = Profiles.builder("dev").build();
        assertEquals("dev", dev.profile());
        assertEquals(4_096, dev.ringSize());
        assertEquals(256, dev.payloadCapacity());
        assertSame(WaitStrategyKind.SLEEPING, dev.waitStrategy());
        assertEquals(ThreadLayout.FUSED, dev.threadLayout());
        assertEquals(Path.of("data", "journal"), dev.journalDir());
        assertEquals("FAST_DAILY", dev.rollCycle());
        assertSame(Durability.NONE, dev.durability());
        assertEquals(8, dev.maxDependencies());
        assertEquals(256, dev.maxMessageTypes());
        assertEquals(500_000_000L, dev.hlcMaxOffsetNanos());
        assertEquals(Integer.MAX_VALUE, dev.hlcMaxLogical());
    }

    @Test
    void shouldTakeTheDevProfileFromTheDefaults()
    {
        final Map<String, String> dev = Profiles.read("dev");
        assertEquals(Map.of(), dev, "dev is the defaults: its file sets nothing");
        assertEquals("4096", Settings.RING_SIZE.format(Settings.RING_SIZE.defaultValue()));
        assertEquals("sleeping", Settings.WAIT_STRATEGY.format(Settings.WAIT_STRATEGY.defaultValue()));
    }

    @Test
    void shouldApplyEachKeyThroughItsValidatingSetter()
    {
        final EngineConfiguration.Builder builder = EngineConfiguration.builder();
        builder.set("ring.size", "1_024");
        builder.set("payload.capacity", "4096");
        builder.set("wait.strategy", "lite-blocking");
        builder.set("thread.layout", "journal|sequencer+router+delivery");
        builder.set("journal.dir", "/tmp/somewhere");
        builder.set("journal.roll-cycle", "fast_hourly");
        builder.set("journal.block-size", "67108864");
        builder.set("dependencies.max", "0");
        builder.set("types.max", "65536");
        builder.set("hlc.max-offset-ms", "250");
        builder.set("hlc.max-logical", "1000");
        final EngineConfiguration context = builder.build();

        assertEquals(1_024, context.ringSize());
        assertEquals(4_096, context.payloadCapacity());
        assertSame(WaitStrategyKind.LITE_BLOCKING, context.waitStrategy());
        assertEquals(ThreadLayout.parse("journal|sequencer+router+delivery"), context.threadLayout());
        assertEquals(Path.of("/tmp/somewhere"), context.journalDir());
        assertEquals("fast_hourly", context.rollCycle());
        assertEquals(64L << 20, context.journalBlockSize());
        assertEquals(0, context.maxDependencies());
        assertEquals(65_536, context.maxMessageTypes());
        assertEquals(250_000_000L, context.hlcMaxOffsetNanos());
        assertEquals(1_000, context.hlcMaxLogical());
    }

    @Test
    void shouldRejectRingSizeThatIsNotAPowerOfTwoNamingKeyValueAndRule()
    {
        final EngineConfiguration.Builder context = EngineConfiguration.builder();
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> context.set("ring.size", "1000"));
        assertEquals("ring.size", ex.key());
        assertTrue(ex.getMessage().contains("ring.size"), ex.getMessage());
        assertTrue(ex.getMessage().contains("1000"), ex.getMessage());
        assertTrue(ex.getMessage().contains("power of two"), ex.getMessage());
        assertEquals(4_096, context.build().ringSize(), "a rejected value leaves the setting unchanged");
    }

    @Test
    void shouldRejectJournalBlockSizeThatIsNoPowerOfTwoInRange()
    {
        assertEquals(1L << 18, EngineConfiguration.builder().build().journalBlockSize(), "the default: 256 KiB");
        for (final String bytes : new String[] {"1000000", "32768", "2147483648"})
        {
            final ConfigurationException ex = assertThrows(ConfigurationException.class,
                () -> EngineConfiguration.builder().set("journal.block-size", bytes));
            assertEquals("journal.block-size", ex.key());
            assertTrue(ex.getMessage().contains(bytes), ex.getMessage());
        }
        assertEquals(1L << 16, EngineConfiguration.builder().journalBlockSize(1L << 16).build().journalBlockSize());
    }

    @Test
    void shouldRejectNonNumericValueNamingKeyAndValue()
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> EngineConfiguration.builder().set("payload.capacity", "lots"));
        assertEquals("payload.capacity", ex.key());
        assertTrue(ex.getMessage().contains("payload.capacity=lots"), ex.getMessage());
        assertTrue(ex.getMessage().contains("bytes in [1, 1048576]"), ex.getMessage());
    }

    @Test
    void shouldRejectUnknownKeyNamingItAndListingAllowedKeys()
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> EngineConfiguration.builder().set("ring.sise", "1024"));
        assertEquals("ring.sise", ex.key());
        assertTrue(ex.getMessage().contains("'ring.sise'"), ex.getMessage());
        for (final Setting<?> setting : Settings.all())
        {
            assertTrue(ex.getMessage().contains(setting.name()), "message lists " + setting + ": " + ex.getMessage());
        }
    }

    @Test
    void shouldRejectUnknownProfileNamingAllowedProfiles()
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> Profiles.builder("prod"));
        assertEquals("profile", ex.key());
        assertTrue(ex.getMessage().contains("prod"), ex.getMessage());
        for (final String profile : Profiles.names())
        {
            assertTrue(ex.getMessage().contains(profile), "message lists " + profile + ": " + ex.getMessage());
        }
    }

    @Test
    void shouldRejectBadEnumeratedValuesNamingTheAllowedOnes()
    {
        final ConfigurationException wait = assertThrows(ConfigurationException.class,
            () -> EngineConfiguration.builder().set("wait.strategy", "spin"));
        assertEquals("wait.strategy", wait.key());
        assertTrue(wait.getMessage().contains("'spin'"), wait.getMessage());
        assertTrue(wait.getMessage().contains(WaitStrategyKind.allowed()), wait.getMessage());

        final ConfigurationException layout = assertThrows(ConfigurationException.class,
            () -> EngineConfiguration.builder().set("thread.layout", "delivery|journal"));
        assertEquals("thread.layout", layout.key());
        assertTrue(layout.getMessage().contains("out of place"), layout.getMessage());

        final ConfigurationException roll = assertThrows(ConfigurationException.class,
            () -> EngineConfiguration.builder().set("journal.roll-cycle", "WEEKLY_ISH"));
        assertEquals("journal.roll-cycle", roll.key());
        assertTrue(roll.getMessage().contains("WEEKLY_ISH"), roll.getMessage());
        assertTrue(roll.getMessage().contains(JournalQueues.rollCycleNames()), roll.getMessage());
    }

    @Test
    void shouldRejectOutOfRangeHlcSettings()
    {
        final ConfigurationException offset = assertThrows(ConfigurationException.class,
            () -> EngineConfiguration.builder().set("hlc.max-offset-ms", "0"));
        assertEquals("hlc.max-offset-ms", offset.key());
        assertThrows(ConfigurationException.class,
            () -> EngineConfiguration.builder().set("hlc.max-offset-ms", "3600001"));
        final ConfigurationException logical = assertThrows(ConfigurationException.class,
            () -> EngineConfiguration.builder().set("hlc.max-logical", "2147483648"));
        assertTrue(logical.getMessage().contains("2147483648"), logical.getMessage());
    }

    @Test
    void shouldAcceptANodeIdThatFitsTheJournalsOriginNodeAndRejectOthers()
    {
        assertEquals(0, EngineConfiguration.builder().build().nodeId(), "a single-node engine by default");
        assertEquals(65535, EngineConfiguration.builder().set("node.id", "65535").build().nodeId());
        for (final String bad : new String[] {"-1", "65536"})
        {
            final ConfigurationException ex = assertThrows(ConfigurationException.class,
                () -> EngineConfiguration.builder().set("node.id", bad), bad);
            assertEquals("node.id", ex.key());
            assertTrue(ex.getMessage().contains(bad), ex.getMessage());
        }
    }

    /**
     * 18446744073710 ms times 1e6 wraps around 2^64 to 448384 ns, which passes the (0, 1 hour] range check.
     */
    @Test
    void shouldRejectMaxOffsetWhoseNanosecondValueOverflows()
    {
        final EngineConfiguration.Builder context = EngineConfiguration.builder();
        assertThrows(ConfigurationException.class,
            () -> context.set("hlc.max-offset-ms", "18446744073710"),
            () -> "accepted as " + context.build().hlcMaxOffsetNanos() + " ns");
    }

    @Test
    void shouldNameTheValueAsWrittenWhenItExceedsTheIntRange()
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> EngineConfiguration.builder().set("ring.size", "4294967312"));
        assertTrue(ex.getMessage().contains("4294967312"), ex.getMessage());
    }

    @Test
    void shouldListEverySettingOnceInAStableOrder()
    {
        assertEquals(List.of("ring.size", "payload.capacity", "wait.strategy", "thread.layout", "journal.dir",
            "journal.roll-cycle", "hold.capacity", "dependents.queue-limit", "hold.timeout-ms", "close.drain-timeout-ms",
            "hold.overflow",
            "deadline.policy", "sequencer.window", "dependencies.window", "journal.durability",
            "journal.min-free-bytes", "journal.block-size", "journal.retention.max-age-ms",
            "journal.retention.max-bytes", "dependencies.max", "types.max", "hlc.max-offset-ms", "node.id",
            "peer.heartbeat-ms", "peer.timeout-ms", "peer.max-lag", "peer.lag-policy", "node.driver-threading",
            "hlc.max-logical",
            "threads.cpus", "threads.publisher-cpu", "layout.fallback", "target.latency.mean-ns",
            "target.latency.p99-ns", "target.throughput.msgs-per-sec", "target.drop-rate", "target.cpu.percent",
            "target.rss.mb", "target.temporal-coherence", "metrics.port", "metrics.host", "monitor.interval-ms",
            "latency.stages.enabled", "latency.trace.enabled",
            "tracing.enabled", "tracing.stuck-ms", "tracing.slow-hop-us"),
            Settings.all().stream().map(Setting::name).collect(Collectors.toList()),
            "profiles show prints this order; renaming a key breaks every profile that sets it");
        for (final Setting<?> setting : Settings.all())
        {
            assertSame(setting, Settings.byName(setting.name()));
            assertFalse(setting.allowed().isBlank(), setting.name());
            assertFalse(setting.doc().isBlank(), setting.name());
        }
    }

    @Test
    void shouldWriteEveryDefaultAsTextThatReadsBackAsTheDefault()
    {
        for (final Setting<?> setting : Settings.all())
        {
            assertRoundTrip(setting);
        }
    }

    private static <T> void assertRoundTrip(final Setting<T> setting)
    {
        final String text = setting.format(setting.defaultValue());
        assertEquals(setting.defaultValue(), setting.parse(text), setting.name() + "=" + text);
        assertEquals(setting.defaultValue(), EngineConfiguration.builder().set(setting.name(), text).build()
            .get(setting), setting.name());
    }
}
