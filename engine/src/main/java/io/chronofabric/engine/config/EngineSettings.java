package io.chronofabric.engine.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import io.chronofabric.journal.Durability;
import io.chronofabric.affinity.CpuRequest;
import io.chronofabric.journal.JournalQueues;
import io.chronofabric.engine.api.ConfigurationException;
import io.chronofabric.engine.api.DeadlinePolicy;
import io.chronofabric.engine.api.HoldOverflowPolicy;

/**
 * The string form of the engine's settings: the keys profiles and {@code --set key=value} use, each applied to an
 * {@link EngineContext} through its validating setter. Named profiles ship on the classpath under
 * {@code io/chronofabric/profiles/NAME.properties}, copied from the repository's {@code profiles/} folder.
 */
public final class EngineSettings
{
    /** The profiles that ship with the engine, from the profile index ({@link ProfileCatalog}). */
    public static final List<String> PROFILES = ProfileCatalog.names();

    private static final String PROFILE_RESOURCE = "io/chronofabric/profiles/%s.properties";
    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    static
    {
        key("ring.size", "a power of two in [16, 67108864]", (c, v) -> c.ringSize(parseInt("ring.size", v)));
        key("payload.capacity", "bytes in [1, 1048576]", (c, v) -> c.payloadCapacity(parseInt("payload.capacity", v)));
        key("wait.strategy", WaitStrategyKind.allowed(), (c, v) -> c.waitStrategy(parse("wait.strategy", v,
            WaitStrategyKind::parse, WaitStrategyKind.allowed())));
        key("thread.layout", "groups separated by '|', stages joined by '+', e.g. journal|sequencer+router+delivery",
            (c, v) -> c.threadLayout(parse("thread.layout", v, ThreadLayout::parse, "see the message")));
        key("journal.dir", "a folder path", (c, v) -> c.journalDir(Path.of(v)));
        key("journal.roll-cycle", JournalQueues.rollCycleNames(), EngineContext::rollCycle);
        key("hold.capacity", "an integer in [1, 1048576]", (c, v) -> c.holdCapacity(parseInt("hold.capacity", v)));
        key("dependents.queue-limit", "an integer in [1, 1048576]",
            (c, v) -> c.dependentQueueLimit(parseInt("dependents.queue-limit", v)));
        key("hold.timeout-ms", "milliseconds > 0",
            (c, v) -> c.holdTimeoutNanos(parseMillisAsNanos("hold.timeout-ms", v)));
        key("hold.overflow", HoldOverflowPolicy.allowed(), (c, v) -> c.holdOverflow(parse("hold.overflow", v,
            HoldOverflowPolicy::parse, HoldOverflowPolicy.allowed())));
        key("deadline.policy", DeadlinePolicy.allowed(), (c, v) -> c.deadlinePolicy(parse("deadline.policy", v,
            DeadlinePolicy::parse, DeadlinePolicy.allowed())));
        key("sequencer.window", "an integer in [1, 65536]",
            (c, v) -> c.sequencerWindow(parseInt("sequencer.window", v)));
        key("dependencies.window", "a power of two in [1024, 67108864]",
            (c, v) -> c.dependencyWindow(parseInt("dependencies.window", v)));
        key("journal.durability", Durability.allowed(), (c, v) -> c.durability(parse("journal.durability", v,
            Durability::parse, Durability.allowed())));
        key("journal.min-free-bytes", "bytes >= 0 (0: no check)",
            (c, v) -> c.journalMinFreeBytes(parseLong("journal.min-free-bytes", v)));
        key("journal.retention.max-age-ms", "milliseconds >= 0 (0: no age limit)",
            (c, v) -> c.retentionMaxAgeMillis(parseLong("journal.retention.max-age-ms", v)));
        key("journal.retention.max-bytes", "bytes >= 0 (0: no size limit)",
            (c, v) -> c.retentionMaxBytes(parseLong("journal.retention.max-bytes", v)));
        key("dependencies.max", "an integer in [0, 255]", (c, v) -> c.maxDependencies(parseInt("dependencies.max", v)));
        key("types.max", "an integer in [1, 65536]", (c, v) -> c.maxMessageTypes(parseInt("types.max", v)));
        key("hlc.max-offset-ms", "milliseconds in (0, 3600000]",
            (c, v) -> c.hlcMaxOffsetNanos(parseMillisAsNanos("hlc.max-offset-ms", v)));
        key("hlc.max-logical", "an integer in [1, 2147483647]", (c, v) -> c.hlcMaxLogical(parseLong("hlc.max-logical", v)));
        key("threads.cpus", ThreadCpus.ALLOWED,
            (c, v) -> c.threadCpus(parse("threads.cpus", v, ThreadCpus::parse, ThreadCpus.ALLOWED)));
        key("threads.publisher-cpu", CpuRequest.ALLOWED,
            (c, v) -> c.publisherCpu(parse("threads.publisher-cpu", v, CpuRequest::parse, CpuRequest.ALLOWED)));
        key("layout.fallback", "allow, refuse", (c, v) -> c.layoutFallbackAllowed(parseFallback(v)));
        key("target.latency.mean-ns", "nanoseconds > 0",
            (c, v) -> c.targets().latencyMeanNanos(parseLong("target.latency.mean-ns", v)));
        key("target.latency.p99-ns", "nanoseconds > 0",
            (c, v) -> c.targets().latencyP99Nanos(parseLong("target.latency.p99-ns", v)));
        key("target.throughput.msgs-per-sec", "messages per second > 0",
            (c, v) -> c.targets().throughputMsgsPerSec(parseLong("target.throughput.msgs-per-sec", v)));
        key("target.drop-rate", "a fraction in [0, 1], e.g. 0 or 0.0001",
            (c, v) -> c.targets().dropRate(parseDouble("target.drop-rate", v)));
        key("target.cpu.percent", "percent of one core in (0, 102400], e.g. 200 for two busy cores",
            (c, v) -> c.targets().cpuPercent(parseDouble("target.cpu.percent", v)));
        key("target.rss.mb", "MiB > 0", (c, v) -> c.targets().rssMb(parseLong("target.rss.mb", v)));
        key("target.temporal-coherence", "a fraction in [0, 1], e.g. 0.99",
            (c, v) -> c.targets().temporalCoherence(parseDouble("target.temporal-coherence", v)));
        key("metrics.port", "0 (off) or a TCP port in [1, 65535]",
            (c, v) -> c.metricsPort(parseInt("metrics.port", v)));
        key("metrics.host", EngineContext.METRICS_HOST_ALLOWED, (c, v) -> c.metricsHost(v.trim()));
        key("monitor.interval-ms", "0 (off) or milliseconds in [10, 3600000]",
            (c, v) -> c.monitorIntervalMillis(parseLong("monitor.interval-ms", v)));
        key("tracing.enabled", "true, false", (c, v) -> c.tracingEnabled(parseBoolean("tracing.enabled", v)));
        key("tracing.stuck-ms", "milliseconds in [1, 3600000]",
            (c, v) -> c.tracingStuckMillis(parseLong("tracing.stuck-ms", v)));
        key("tracing.slow-hop-us", "microseconds in [1, 3600000000]",
            (c, v) -> c.tracingSlowHopMicros(parseLong("tracing.slow-hop-us", v)));
    }

    private EngineSettings()
    {
    }

    /**
     * Builds a context from a named profile.
     *
     * @param profile a profile name from {@link #PROFILES}.
     * @return a context holding the profile's settings.
     * @throws ConfigurationException for an unknown profile or a bad key or value in it.
     */
    public static EngineContext fromProfile(final String profile)
    {
        final EngineContext context = new EngineContext().profile(profile);
        loadProfile(profile).forEach((key, value) -> apply(context, key, value));
        return context;
    }

    /**
     * Reads a named profile's keys and values, in key order.
     *
     * @param profile a profile name.
     * @return its settings.
     * @throws ConfigurationException for an unknown profile.
     */
    public static Map<String, String> loadProfile(final String profile)
    {
        final String resource = String.format(PROFILE_RESOURCE, profile);
        try (InputStream in = EngineSettings.class.getClassLoader().getResourceAsStream(resource))
        {
            if (null == in || !PROFILES.contains(profile))
            {
                throw new ConfigurationException("profile", profile, String.join(", ", PROFILES));
            }
            final Properties properties = new Properties();
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8))
            {
                properties.load(reader);
            }
            final Map<String, String> settings = new TreeMap<>();
            properties.forEach((k, v) -> settings.put(k.toString().trim(), v.toString().trim()));
            return settings;
        }
        catch (final IOException ex)
        {
            throw new ConfigurationException("profile " + profile + " cannot be read: " + ex.getMessage(), "profile", ex);
        }
    }

    /**
     * Applies one setting.
     *
     * @param context the context to change.
     * @param key     a key from {@link #keys()}.
     * @param value   its value as text.
     * @throws ConfigurationException naming the key, the value and what is allowed.
     */
    public static void apply(final EngineContext context, final String key, final String value)
    {
        final Key setting = KEYS.get(key);
        if (null == setting)
        {
            throw new ConfigurationException("unknown setting '" + key + "'; allowed keys: " +
                String.join(", ", KEYS.keySet()), key, (Throwable)null);
        }
        setting.apply.accept(context, value);
    }

    /**
     * @return every key with a description of the values it accepts, in a stable order.
     */
    public static Map<String, String> keys()
    {
        final Map<String, String> keys = new LinkedHashMap<>();
        KEYS.forEach((name, key) -> keys.put(name, key.allowed));
        return keys;
    }

    private static void key(final String name, final String allowed, final BiConsumer<EngineContext, String> apply)
    {
        KEYS.put(name, new Key(allowed, apply));
    }

    private static boolean parseFallback(final String value)
    {
        switch (value.trim().toLowerCase(java.util.Locale.ROOT))
        {
            case "allow":
                return true;
            case "refuse":
                return false;
            default:
                throw new ConfigurationException("layout.fallback", value, "allow, refuse");
        }
    }

    private static boolean parseBoolean(final String key, final String value)
    {
        switch (value.trim().toLowerCase(java.util.Locale.ROOT))
        {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new ConfigurationException(key, value, KEYS.get(key).allowed);
        }
    }

    private static double parseDouble(final String key, final String value)
    {
        try
        {
            return Double.parseDouble(value.trim().replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigurationException(key, value, KEYS.get(key).allowed);
        }
    }

    private static int parseInt(final String key, final String value)
    {
        final long parsed = parseLong(key, value);
        if (parsed < Integer.MIN_VALUE || parsed > Integer.MAX_VALUE)
        {
            throw new ConfigurationException(key, value.trim(), KEYS.get(key).allowed);
        }
        return (int)parsed;
    }

    private static long parseMillisAsNanos(final String key, final String value)
    {
        try
        {
            return Math.multiplyExact(parseLong(key, value), 1_000_000L);
        }
        catch (final ArithmeticException ex)
        {
            throw new ConfigurationException(key, value.trim(), KEYS.get(key).allowed);
        }
    }

    private static long parseLong(final String key, final String value)
    {
        try
        {
            return Long.parseLong(value.trim().replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigurationException(key, value, KEYS.get(key).allowed);
        }
    }

    private static <T> T parse(final String key, final String value, final java.util.function.Function<String, T> parser,
        final String allowed)
    {
        try
        {
            return parser.apply(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigurationException(key + "=" + value + " is invalid: " + ex.getMessage(), key, ex);
        }
    }

    private static final class Key
    {
        private final String allowed;
        private final BiConsumer<EngineContext, String> apply;

        private Key(final String allowed, final BiConsumer<EngineContext, String> apply)
        {
            this.allowed = allowed;
            this.apply = apply;
        }
    }
}
