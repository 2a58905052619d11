package io.chronofabric.cli.observability;

import io.chronofabric.engine.api.ConfigurationException;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Profiles;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The observability settings: defaults, the string keys profiles and --set use, and precise errors for bad values.
 */
class ObservabilitySettingsTest
{
    @Test
    void shouldDefaultToNoEndpointAMonitorEverySecondAndNoTracing()
    {
        final EngineConfiguration context = EngineConfiguration.builder().build();
        assertEquals(0, context.metricsPort());
        assertEquals(1_000, context.monitorIntervalMillis());
        assertFalse(context.tracingEnabled());
        assertEquals(1_000, context.tracingStuckMillis());
        assertEquals(1_000, context.tracingSlowHopMicros());
        assertEquals(0.99, context.targets().temporalCoherence());
    }

    @Test
    void shouldApplyTheKeysAsProfilesAndSetWriteThem()
    {
        final EngineConfiguration.Builder builder = Profiles.builder("low-latency");
        builder.set("metrics.port", "9464");
        builder.set("monitor.interval-ms", "0");
        builder.set("tracing.enabled", "TRUE");
        builder.set("tracing.stuck-ms", "250");
        builder.set("tracing.slow-hop-us", "1_000");
        builder.set("target.temporal-coherence", "0.5");
        final EngineConfiguration context = builder.build();
        assertEquals(9464, context.metricsPort());
        assertEquals(0, context.monitorIntervalMillis(), "0 turns the monitor off");
        assertTrue(context.tracingEnabled());
        assertEquals(250, context.tracingStuckMillis());
        assertEquals(1_000, context.tracingSlowHopMicros());
        assertEquals(0.5, context.targets().temporalCoherence());
        assertEquals(50, Profiles.builder("low-latency").build().tracingSlowHopMicros(), "the profile's own");
    }

    @Test
    void shouldRejectBadValuesNamingTheKeyTheValueAndWhatIsAllowed()
    {
        assertRejected("metrics.port", "65536", "0 (off) or a TCP port in [1, 65535]");
        assertRejected("metrics.port", "http", "0 (off) or a TCP port in [1, 65535]");
        assertRejected("monitor.interval-ms", "5", "0 (off) or milliseconds in [10, 3600000]");
        assertRejected("tracing.enabled", "yes", "true, false");
        assertRejected("tracing.stuck-ms", "0", "milliseconds in [1, 3600000]");
        assertRejected("tracing.slow-hop-us", "-1", "microseconds in [1, 3600000000]");
        assertRejected("target.temporal-coherence", "1.5", "a fraction in [0, 1]");
    }

    private static void assertRejected(final String key, final String value, final String allowed)
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> EngineConfiguration.builder().set(key, value));
        assertEquals(key, ex.key());
        assertTrue(ex.getMessage().contains(key) && ex.getMessage().contains(allowed), ex.getMessage());
    }
}
