package io.chronofabric.engine.config;

import java.nio.file.Path;
import java.util.Map;

import io.chronofabric.journal.Durability;
import io.chronofabric.journal.JournalQueues;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.chronofabric.engine.api.ConfigurationException;

class EngineSettingsTest
{
    @Test
    void shouldLoadTheDocumentedDevProfileValues()
    {
        final EngineContext dev = EngineSettings.fromProfile("dev");
        assertEquals("dev", dev.profile());
        assertEquals(16_384, dev.ringSize());
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
    void shouldOnlyUseKnownKeysInTheDevProfile()
    {
        final Map<String, String> dev = EngineSettings.loadProfile("dev");
        for (final String key : dev.keySet())
        {
            assertTrue(EngineSettings.keys().containsKey(key), "dev profile key " + key + " is not a known setting");
        }
        assertEquals("16384", dev.get("ring.size"));
        assertEquals("sleeping", dev.get("wait.strategy"));
    }

    @Test
    void shouldApplyEachKeyThroughItsValidatingSetter()
    {
        final EngineContext context = new EngineContext();
        EngineSettings.apply(context, "ring.size", "1_024");
        EngineSettings.apply(context, "payload.capacity", "4096");
        EngineSettings.apply(context, "wait.strategy", "lite-blocking");
        EngineSettings.apply(context, "thread.layout", "journal|sequencer+router+delivery");
        EngineSettings.apply(context, "journal.dir", "/tmp/somewhere");
        EngineSettings.apply(context, "journal.roll-cycle", "fast_hourly");
        EngineSettings.apply(context, "dependencies.max", "0");
        EngineSettings.apply(context, "types.max", "65536");
        EngineSettings.apply(context, "hlc.max-offset-ms", "250");
        EngineSettings.apply(context, "hlc.max-logical", "1000");

        assertEquals(1_024, context.ringSize());
        assertEquals(4_096, context.payloadCapacity());
        assertSame(WaitStrategyKind.LITE_BLOCKING, context.waitStrategy());
        assertEquals(ThreadLayout.parse("journal|sequencer+router+delivery"), context.threadLayout());
        assertEquals(Path.of("/tmp/somewhere"), context.journalDir());
        assertEquals("fast_hourly", context.rollCycle());
        assertEquals(0, context.maxDependencies());
        assertEquals(65_536, context.maxMessageTypes());
        assertEquals(250_000_000L, context.hlcMaxOffsetNanos());
        assertEquals(1_000, context.hlcMaxLogical());
    }

    @Test
    void shouldRejectRingSizeThatIsNotAPowerOfTwoNamingKeyValueAndRule()
    {
        final EngineContext context = new EngineContext();
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> EngineSettings.apply(context, "ring.size", "1000"));
        assertEquals("ring.size", ex.key());
        assertTrue(ex.getMessage().contains("ring.size"), ex.getMessage());
        assertTrue(ex.getMessage().contains("1000"), ex.getMessage());
        assertTrue(ex.getMessage().contains("power of two"), ex.getMessage());
        assertEquals(16_384, context.ringSize(), "a rejected value leaves the setting unchanged");
    }

    @Test
    void shouldRejectNonNumericValueNamingKeyAndValue()
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> EngineSettings.apply(new EngineContext(), "payload.capacity", "lots"));
        assertEquals("payload.capacity", ex.key());
        assertTrue(ex.getMessage().contains("payload.capacity=lots"), ex.getMessage());
        assertTrue(ex.getMessage().contains("bytes in [1, 1048576]"), ex.getMessage());
    }

    @Test
    void shouldRejectUnknownKeyNamingItAndListingAllowedKeys()
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> EngineSettings.apply(new EngineContext(), "ring.sise", "1024"));
        assertEquals("ring.sise", ex.key());
        assertTrue(ex.getMessage().contains("'ring.sise'"), ex.getMessage());
        for (final String key : EngineSettings.keys().keySet())
        {
            assertTrue(ex.getMessage().contains(key), "message lists " + key + ": " + ex.getMessage());
        }
    }

    @Test
    void shouldRejectUnknownProfileNamingAllowedProfiles()
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> EngineSettings.fromProfile("prod"));
        assertEquals("profile", ex.key());
        assertTrue(ex.getMessage().contains("prod"), ex.getMessage());
        for (final String profile : EngineSettings.PROFILES)
        {
            assertTrue(ex.getMessage().contains(profile), "message lists " + profile + ": " + ex.getMessage());
        }
    }

    @Test
    void shouldRejectBadEnumeratedValuesNamingTheAllowedOnes()
    {
        final ConfigurationException wait = assertThrows(ConfigurationException.class,
            () -> EngineSettings.apply(new EngineContext(), "wait.strategy", "spin"));
        assertEquals("wait.strategy", wait.key());
        assertTrue(wait.getMessage().contains("'spin'"), wait.getMessage());
        assertTrue(wait.getMessage().contains(WaitStrategyKind.allowed()), wait.getMessage());

        final ConfigurationException layout = assertThrows(ConfigurationException.class,
            () -> EngineSettings.apply(new EngineContext(), "thread.layout", "delivery|journal"));
        assertEquals("thread.layout", layout.key());
        assertTrue(layout.getMessage().contains("out of place"), layout.getMessage());

        final ConfigurationException roll = assertThrows(ConfigurationException.class,
            () -> EngineSettings.apply(new EngineContext(), "journal.roll-cycle", "WEEKLY_ISH"));
        assertEquals("journal.roll-cycle", roll.key());
        assertTrue(roll.getMessage().contains("WEEKLY_ISH"), roll.getMessage());
        assertTrue(roll.getMessage().contains(JournalQueues.rollCycleNames()), roll.getMessage());
    }

    @Test
    void shouldRejectOutOfRangeHlcSettings()
    {
        final ConfigurationException offset = assertThrows(ConfigurationException.class,
            () -> EngineSettings.apply(new EngineContext(), "hlc.max-offset-ms", "0"));
        assertEquals("hlc.max-offset-ms", offset.key());
        assertThrows(ConfigurationException.class,
            () -> EngineSettings.apply(new EngineContext(), "hlc.max-offset-ms", "3600001"));
        final ConfigurationException logical = assertThrows(ConfigurationException.class,
            () -> EngineSettings.apply(new EngineContext(), "hlc.max-logical", "2147483648"));
        assertTrue(logical.getMessage().contains("2147483648"), logical.getMessage());
    }

    /**
     * 18446744073710 ms times 1e6 wraps around 2^64 to 448384 ns, which passes the (0, 1 hour] range check.
     */
    @Test
    void shouldRejectMaxOffsetWhoseNanosecondValueOverflows()
    {
        final EngineContext context = new EngineContext();
        assertThrows(ConfigurationException.class,
            () -> EngineSettings.apply(context, "hlc.max-offset-ms", "18446744073710"),
            () -> "accepted as " + context.hlcMaxOffsetNanos() + " ns");
    }

    @Test
    void shouldNameTheValueAsWrittenWhenItExceedsTheIntRange()
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> EngineSettings.apply(new EngineContext(), "ring.size", "4294967312"));
        assertTrue(ex.getMessage().contains("4294967312"), ex.getMessage());
    }
}
