package io.chronofabric.engine.config;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import io.chronofabric.engine.api.ManualWallClock;
import io.chronofabric.engine.api.SystemWallClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.chronofabric.engine.api.ConfigurationException;
import io.chronofabric.engine.api.MessageCodec;

class EngineConfigurationTest
{
    private static final MessageCodec<String> STRINGS = new MessageCodec<>()
    {
        @Override
        public Class<String> messageClass()
        {
            return String.class;
        }

        @Override
        public void encode(final String message, final ByteBuffer payload)
        {
            payload.put(message.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public String decode(final ByteBuffer payload)
        {
            final byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
    };

    @Test
    void shouldDefaultToTheDevProfileValues()
    {
        final EngineConfiguration defaults = EngineConfiguration.builder().build();
        final EngineConfiguration dev = Profiles.builder("dev").build();
        assertEquals(dev.profile(), defaults.profile());
        assertEquals(dev.ringSize(), defaults.ringSize());
        assertEquals(dev.payloadCapacity(), defaults.payloadCapacity());
        assertEquals(dev.waitStrategy(), defaults.waitStrategy());
        assertEquals(dev.threadLayout(), defaults.threadLayout());
        assertEquals(dev.journalDir(), defaults.journalDir());
        assertEquals(dev.rollCycle(), defaults.rollCycle());
        assertEquals(dev.maxDependencies(), defaults.maxDependencies());
        assertEquals(dev.maxMessageTypes(), defaults.maxMessageTypes());
        assertEquals(dev.hlcMaxOffsetNanos(), defaults.hlcMaxOffsetNanos());
        assertEquals(dev.hlcMaxLogical(), defaults.hlcMaxLogical());
        assertSame(SystemWallClock.INSTANCE, defaults.wallClock());
    }

    @Test
    void shouldAcceptRingSizesThatArePowersOfTwoWithinBounds()
    {
        final EngineConfiguration.Builder context = EngineConfiguration.builder();
        assertEquals(16, context.ringSize(Settings.MIN_RING_SIZE).build().ringSize());
        assertEquals(1 << 26, context.ringSize(Settings.MAX_RING_SIZE).build().ringSize());
        assertEquals(1024, context.ringSize(1024).build().ringSize());
    }

    @Test
    void shouldRejectRingSizesOutsideBoundsOrNotPowersOfTwo()
    {
        for (final int size : new int[] {0, -16, 8, 1000, 1 << 27, 16_383, Integer.MIN_VALUE})
        {
            final ConfigurationException ex = assertThrows(ConfigurationException.class,
                () -> EngineConfiguration.builder().ringSize(size), "ring.size=" + size);
            assertEquals("ring.size", ex.key());
            assertTrue(ex.getMessage().startsWith("ring.size=" + size + " is invalid"), ex.getMessage());
            assertTrue(ex.getMessage().contains("power of two"), ex.getMessage());
        }
    }

    /** The ring's slots are allocated whole at start: a ring that would take over half its heap is refused. */
    @Test
    void shouldRefuseARingThatWouldTakeMoreThanHalfTheHeapNamingTheLargestPayloadAllowed()
    {
        final EngineConfiguration context = EngineConfiguration.builder().ringSize(4096).payloadCapacity(1 << 20)
            .maxDependencies(8).build();
        final long heap = 1L << 30;
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> context.requireRingWithin(heap));
        assertEquals("payload.capacity", ex.key());
        // half of 1 GiB over 4096 slots is 131,072 bytes a slot, 64 of them for the 8 dependencies
        assertTrue(ex.getMessage().startsWith("payload.capacity=1048576 is invalid; allowed: at most 131008 at " +
            "ring.size=4096") && ex.getMessage().contains("-Xmx") && ex.getMessage().contains("4295229440 bytes"),
            ex.getMessage());
        EngineConfiguration.builder().ringSize(4096).payloadCapacity(131_008).maxDependencies(8).build()
            .requireRingWithin(heap);
        assertThrows(ConfigurationException.class, () -> EngineConfiguration.builder().ringSize(4096)
            .payloadCapacity(131_009).maxDependencies(8).build().requireRingWithin(heap));
    }

    @Test
    void shouldRejectPayloadCapacityOutsideOneByteToOneMebibyte()
    {
        assertEquals(1, EngineConfiguration.builder().payloadCapacity(1).build().payloadCapacity());
        assertEquals(1 << 20, EngineConfiguration.builder().payloadCapacity(1 << 20).build().payloadCapacity());
        for (final int bytes : new int[] {0, -1, (1 << 20) + 1})
        {
            final ConfigurationException ex = assertThrows(ConfigurationException.class,
                () -> EngineConfiguration.builder().payloadCapacity(bytes));
            assertEquals("payload.capacity", ex.key());
            assertTrue(ex.getMessage().contains(String.valueOf(bytes)), ex.getMessage());
        }
    }

    @Test
    void shouldRejectOutOfRangeCounts()
    {
        assertEquals("dependencies.max",
            assertThrows(ConfigurationException.class, () -> EngineConfiguration.builder().maxDependencies(256)).key());
        assertEquals("dependencies.max",
            assertThrows(ConfigurationException.class, () -> EngineConfiguration.builder().maxDependencies(-1)).key());
        assertEquals("types.max",
            assertThrows(ConfigurationException.class, () -> EngineConfiguration.builder().maxMessageTypes(0)).key());
        assertEquals("types.max",
            assertThrows(ConfigurationException.class,
                () -> EngineConfiguration.builder().maxMessageTypes(65_537)).key());
        assertEquals("hlc.max-offset-ms",
            assertThrows(ConfigurationException.class, () -> EngineConfiguration.builder().hlcMaxOffsetNanos(0)).key());
        assertEquals("hlc.max-offset-ms",
            assertThrows(ConfigurationException.class,
                () -> EngineConfiguration.builder().hlcMaxOffsetNanos(3_600_000_000_001L)).key());
        assertEquals("hlc.max-logical",
            assertThrows(ConfigurationException.class, () -> EngineConfiguration.builder().hlcMaxLogical(0)).key());
        assertEquals("journal.roll-cycle",
            assertThrows(ConfigurationException.class, () -> EngineConfiguration.builder().rollCycle("NEVER")).key());
    }

    @Test
    void shouldRejectCodecForTypeOutsideTheConfiguredTypes()
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> EngineConfiguration.builder().maxMessageTypes(10).codec(10, STRINGS));
        assertEquals("message type", ex.key());
        assertTrue(ex.getMessage().contains("[0, 9]"), ex.getMessage());
    }

    @Test
    void shouldRejectOnBuildACodecLeftOutsideTypesAfterShrinkingThem()
    {
        final EngineConfiguration.Builder context = EngineConfiguration.builder().codec(200, STRINGS)
            .maxMessageTypes(100);
        final ConfigurationException ex = assertThrows(ConfigurationException.class, context::build);
        assertTrue(ex.getMessage().contains("200"), ex.getMessage());
        assertTrue(ex.getMessage().contains("types.max"), ex.getMessage());
    }

    @Test
    void shouldKeepTheInjectedWallClockAndRegisteredCodecs()
    {
        final ManualWallClock clock = new ManualWallClock(42);
        final EngineConfiguration context = EngineConfiguration.builder().wallClock(clock).codec(3, STRINGS).build();
        assertSame(clock, context.wallClock());
        assertSame(STRINGS, context.codecFor(3));
        assertEquals(null, context.codecFor(4));
    }

    @Test
    void shouldParseWaitStrategyNamesCaseInsensitivelyWithDashes()
    {
        assertSame(WaitStrategyKind.BUSY_SPIN, WaitStrategyKind.parse("Busy-Spin"));
        assertSame(WaitStrategyKind.LITE_BLOCKING, WaitStrategyKind.parse("lite_blocking"));
        assertEquals("blocking, lite-blocking, sleeping, yielding, busy-spin", WaitStrategyKind.allowed());
        assertTrue(WaitStrategyKind.BUSY_SPIN.burnsCore());
        assertTrue(!WaitStrategyKind.SLEEPING.burnsCore());
    }

    @Test
    void shouldConcludeAConfigurationThatLaterChangesOfItsBuilderDoNotReach()
    {
        final EngineConfiguration.Builder builder = EngineConfiguration.builder().ringSize(1024).codec(3, STRINGS);
        final EngineConfiguration first = builder.build();
        builder.ringSize(2048).journalDir(Path.of("elsewhere")).codec(4, STRINGS);
        final EngineConfiguration second = builder.build();

        assertEquals(1024, first.ringSize());
        assertEquals(1024, first.get(Settings.RING_SIZE));
        assertEquals(Path.of("data", "journal"), first.journalDir());
        assertEquals(null, first.codecFor(4), "a codec registered after build() is not in the earlier configuration");
        assertEquals(2048, second.ringSize());
        assertEquals(Path.of("elsewhere"), second.journalDir());
        assertSame(STRINGS, second.codecFor(4));
    }

    @Test
    void shouldDeriveAnotherConfigurationFromOneLeavingItAsItWas()
    {
        final ManualWallClock clock = new ManualWallClock(42);
        final EngineConfiguration measured = Profiles.builder("balanced").wallClock(clock).codec(3, STRINGS)
            .metricsPort(9464).build();
        final EngineConfiguration warmUp = measured.toBuilder().journalDir(Path.of("warm-up")).metricsPort(0).build();

        assertEquals(Path.of("data", "journal"), measured.journalDir());
        assertEquals(9464, measured.metricsPort());
        assertEquals(Path.of("warm-up"), warmUp.journalDir());
        assertEquals(0, warmUp.metricsPort());
        assertEquals("balanced", warmUp.profile());
        assertEquals(measured.ringSize(), warmUp.ringSize());
        assertEquals(measured.durability(), warmUp.durability());
        assertSame(clock, warmUp.wallClock());
        assertSame(STRINGS, warmUp.codecFor(3));
    }

    @Test
    void shouldHoldMillisecondKeysInNanosecondsAndWriteThemBackInMilliseconds()
    {
        final EngineConfiguration.Builder builder = EngineConfiguration.builder().set("hold.timeout-ms", "250")
            .set("hlc.max-offset-ms", "1_000");
        assertEquals(250_000_000L, builder.build().holdTimeoutNanos());
        assertEquals(1_000_000_000L, builder.build().hlcMaxOffsetNanos());
        assertEquals("250", Settings.HOLD_TIMEOUT.format(builder.get(Settings.HOLD_TIMEOUT)));
        // a typed setter takes what the key's text takes, so that every value written out reads back
        final ConfigurationException sub = assertThrows(ConfigurationException.class,
            () -> EngineConfiguration.builder().holdTimeoutNanos(1_500_000L));
        assertTrue(sub.getMessage().contains("hold.timeout-ms=1.5 is invalid; allowed: whole milliseconds > 0"),
            "the value as it would be written, and what is allowed: " + sub.getMessage());
        assertThrows(ConfigurationException.class, () -> EngineConfiguration.builder().hlcMaxOffsetNanos(1_000L));
        builder.holdTimeoutNanos(7_000_000L);
        assertEquals("7", Settings.HOLD_TIMEOUT.format(builder.build().get(Settings.HOLD_TIMEOUT)),
            "a value set in nanoseconds is written in milliseconds");
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> EngineConfiguration.builder().holdTimeoutNanos(0));
        assertEquals("hold.timeout-ms", ex.key());
        assertTrue(ex.getMessage().contains("hold.timeout-ms=0 is invalid; allowed: whole milliseconds > 0"),
            "the value as it would be written, and that it must be whole: " + ex.getMessage());
        final ConfigurationException fraction = assertThrows(ConfigurationException.class,
            () -> EngineConfiguration.builder().set("hold.timeout-ms", "0.001"));
        assertTrue(fraction.getMessage().contains("whole milliseconds"), fraction.getMessage());
    }

    @Test
    void shouldCheckTypedAndTextValuesWithTheSameRule()
    {
        final ConfigurationException typed = assertThrows(ConfigurationException.class,
            () -> EngineConfiguration.builder().set(Settings.SEQUENCER_WINDOW, 0));
        final ConfigurationException text = assertThrows(ConfigurationException.class,
            () -> EngineConfiguration.builder().set("sequencer.window", "0"));
        final ConfigurationException setter = assertThrows(ConfigurationException.class,
            () -> EngineConfiguration.builder().sequencerWindow(0));
        assertEquals(typed.getMessage(), text.getMessage());
        assertEquals(typed.getMessage(), setter.getMessage());
        assertEquals("sequencer.window=0 is invalid; allowed: an integer in [1, 65536]", typed.getMessage());
        final ConfigurationException none = assertThrows(ConfigurationException.class,
            () -> EngineConfiguration.builder().journalDir(null));
        assertEquals("journal.dir", none.key());
    }
}
