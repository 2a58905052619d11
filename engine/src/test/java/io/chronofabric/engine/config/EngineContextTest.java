package io.chronofabric.engine.config;

import java.nio.ByteBuffer;

import io.chronofabric.engine.api.ManualWallClock;
import io.chronofabric.engine.api.SystemWallClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.chronofabric.engine.api.ConfigurationException;
import io.chronofabric.engine.api.MessageCodec;

class EngineContextTest
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
        final EngineContext defaults = new EngineContext();
        final EngineContext dev = EngineSettings.fromProfile("dev");
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
        final EngineContext context = new EngineContext();
        assertEquals(16, context.ringSize(EngineContext.MIN_RING_SIZE).ringSize());
        assertEquals(1 << 26, context.ringSize(EngineContext.MAX_RING_SIZE).ringSize());
        assertEquals(1024, context.ringSize(1024).ringSize());
    }

    @Test
    void shouldRejectRingSizesOutsideBoundsOrNotPowersOfTwo()
    {
        for (final int size : new int[] {0, -16, 8, 1000, 1 << 27, 16_383, Integer.MIN_VALUE})
        {
            final ConfigurationException ex = assertThrows(ConfigurationException.class,
                () -> new EngineContext().ringSize(size), "ring.size=" + size);
            assertEquals("ring.size", ex.key());
            assertTrue(ex.getMessage().startsWith("ring.size=" + size + " is invalid"), ex.getMessage());
            assertTrue(ex.getMessage().contains("power of two"), ex.getMessage());
        }
    }

    @Test
    void shouldRejectPayloadCapacityOutsideOneByteToOneMebibyte()
    {
        assertEquals(1, new EngineContext().payloadCapacity(1).payloadCapacity());
        assertEquals(1 << 20, new EngineContext().payloadCapacity(1 << 20).payloadCapacity());
        for (final int bytes : new int[] {0, -1, (1 << 20) + 1})
        {
            final ConfigurationException ex = assertThrows(ConfigurationException.class,
                () -> new EngineContext().payloadCapacity(bytes));
            assertEquals("payload.capacity", ex.key());
            assertTrue(ex.getMessage().contains(String.valueOf(bytes)), ex.getMessage());
        }
    }

    @Test
    void shouldRejectOutOfRangeCounts()
    {
        assertEquals("dependencies.max",
            assertThrows(ConfigurationException.class, () -> new EngineContext().maxDependencies(256)).key());
        assertEquals("dependencies.max",
            assertThrows(ConfigurationException.class, () -> new EngineContext().maxDependencies(-1)).key());
        assertEquals("types.max",
            assertThrows(ConfigurationException.class, () -> new EngineContext().maxMessageTypes(0)).key());
        assertEquals("types.max",
            assertThrows(ConfigurationException.class, () -> new EngineContext().maxMessageTypes(65_537)).key());
        assertEquals("hlc.max-offset-ms",
            assertThrows(ConfigurationException.class, () -> new EngineContext().hlcMaxOffsetNanos(0)).key());
        assertEquals("hlc.max-offset-ms",
            assertThrows(ConfigurationException.class,
                () -> new EngineContext().hlcMaxOffsetNanos(3_600_000_000_001L)).key());
        assertEquals("hlc.max-logical",
            assertThrows(ConfigurationException.class, () -> new EngineContext().hlcMaxLogical(0)).key());
        assertEquals("journal.roll-cycle",
            assertThrows(ConfigurationException.class, () -> new EngineContext().rollCycle("NEVER")).key());
    }

    @Test
    void shouldRejectCodecForTypeOutsideTheConfiguredTypes()
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> new EngineContext().maxMessageTypes(10).codec(10, STRINGS));
        assertEquals("message type", ex.key());
        assertTrue(ex.getMessage().contains("[0, 9]"), ex.getMessage());
    }

    @Test
    void shouldRejectOnValidateACodecLeftOutsideTypesAfterShrinkingThem()
    {
        final EngineContext context = new EngineContext().codec(200, STRINGS).maxMessageTypes(100);
        final ConfigurationException ex = assertThrows(ConfigurationException.class, context::validate);
        assertTrue(ex.getMessage().contains("200"), ex.getMessage());
        assertTrue(ex.getMessage().contains("types.max"), ex.getMessage());
    }

    @Test
    void shouldKeepTheInjectedWallClockAndRegisteredCodecs()
    {
        final ManualWallClock clock = new ManualWallClock(42);
        final EngineContext context = new EngineContext().wallClock(clock).codec(3, STRINGS);
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
}
