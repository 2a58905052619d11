package io.chronofabric.engine.config;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

import io.chronofabric.affinity.CpuRequest;
import io.chronofabric.engine.api.ConfigurationException;
import io.chronofabric.engine.api.DeadlinePolicy;
import io.chronofabric.engine.api.DriverThreading;
import io.chronofabric.engine.api.HoldOverflowPolicy;
import io.chronofabric.engine.api.PeerLagPolicy;
import io.chronofabric.journal.Durability;
import io.chronofabric.journal.EngineLimits;
import io.chronofabric.journal.JournalQueues;

/**
 * Every engine setting, each defined here once and nowhere else: key, type, default, text form, allowed values,
 * description and check. Profiles, {@code --set}, {@code profiles show} and the typed setters of
 * {@link EngineConfiguration.Builder} all go through these constants; other code names a key as
 * {@code Settings.RING_SIZE.name()}. {@link #all()} lists them in a stable order, the order {@code profiles show}
 * prints. The defaults are the {@code dev} profile: they fit a 2-core host and need no set-up.
 */
public final class Settings
{
    /** Smallest ring size accepted. */
    public static final int MIN_RING_SIZE = 16;
    /** Largest ring size accepted. */
    public static final int MAX_RING_SIZE = 1 << 26;
    /** Largest payload capacity accepted: 1 MiB. */
    public static final int MAX_PAYLOAD_CAPACITY = EngineLimits.MAX_PAYLOAD;
    /** Largest number of message types accepted. */
    public static final int MAX_MESSAGE_TYPES = 1 << 16;
    /** Largest CPU target: 1024 cores fully busy, in percent of one core. */
    public static final double MAX_CPU_PERCENT = 102_400;
    /** Where the metrics endpoint listens unless told otherwise: this machine only, as it has no authentication. */
    public static final String DEFAULT_METRICS_HOST = "127.0.0.1";

    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final long MAX_HLC_OFFSET_NANOS = 3_600_000_000_000L;
    private static final List<Setting<?>> ALL = new ArrayList<>();

    /** Ring slots between publishers and the pipeline. */
    public static final Setting<Integer> RING_SIZE = intSetting("ring.size", 4 * 1024,
        "a power of two in [" + MIN_RING_SIZE + ", " + MAX_RING_SIZE + "], e.g. 1024, 4096, 65536",
        "Ring slots in flight between publishers and the pipeline; each is preallocated with room for a full " +
        "payload (about payload.capacity + 400 bytes of heap).",
        size -> size >= MIN_RING_SIZE && size <= MAX_RING_SIZE && 1 == Integer.bitCount(size));
    /** The largest payload. */
    public static final Setting<Integer> PAYLOAD_CAPACITY = intSetting("payload.capacity", 256,
        "bytes in [1, " + MAX_PAYLOAD_CAPACITY + "]",
        "Largest payload in bytes; larger publishes are rejected, never truncated.",
        bytes -> bytes >= 1 && bytes <= MAX_PAYLOAD_CAPACITY);
    /** How pipeline threads wait. */
    public static final Setting<WaitStrategyKind> WAIT_STRATEGY = parsed("wait.strategy", WaitStrategyKind.class,
        WaitStrategyKind.SLEEPING, WaitStrategyKind::parse, WaitStrategyKind::label, WaitStrategyKind.allowed(),
        "How pipeline threads wait; only yielding and busy-spin keep a core busy while idle.");
    /** Which stages share a thread. */
    public static final Setting<ThreadLayout> THREAD_LAYOUT = parsed("thread.layout", ThreadLayout.class,
        ThreadLayout.FUSED, ThreadLayout::parse, ThreadLayout::toString, ThreadLayout.ALLOWED,
        "Which stages share a thread: groups separated by '|', stages within a group joined by '+'.");
    /** The journal folder. */
    public static final Setting<Path> JOURNAL_DIR = define("journal.dir", Path.class, Path.of("data", "journal"),
        (setting, text) -> Path.of(text), Path::toString, "a folder path, not empty",
        "Folder of the Chronicle Queue journal (relative to the working directory), created if absent.",
        dir -> !dir.toString().isBlank());
    /** The Chronicle roll cycle. */
    public static final Setting<String> JOURNAL_ROLL_CYCLE = define("journal.roll-cycle", String.class,
        JournalQueues.DEFAULT_ROLL_CYCLE, (setting, text) -> text, Function.identity(), JournalQueues.rollCycleNames(),
        "Chronicle roll cycle, e.g. FAST_DAILY: one journal file per day (TEST_ cycles for tests and demos).",
        Settings::isRollCycle);
    /** Most messages held for dependencies. */
    public static final Setting<Integer> HOLD_CAPACITY = intSetting("hold.capacity", 4096,
        "an integer in [1, 1048576]", "Most messages waiting for their dependencies at once.",
        messages -> messages >= 1 && messages <= 1 << 20);
    /** Most messages waiting in the delivery stage for a dependency still being retried. */
    public static final Setting<Integer> DEPENDENTS_QUEUE_LIMIT = intSetting("dependents.queue-limit", 10_000,
        "an integer in [1, 1048576]", "Most messages waiting in the delivery stage for a dependency still being " +
        "retried; beyond it a dependent is dead-lettered (dependent_queue_full).",
        messages -> messages >= 1 && messages <= 1 << 20);
    /** How long a message waits for a dependency, written in milliseconds, held in nanoseconds. */
    public static final Setting<Long> HOLD_TIMEOUT = millisAsNanos("hold.timeout-ms", 1_000_000_000L,
        "whole milliseconds > 0", "How long (HLC time) a message may wait for a dependency before it, and everything " +
        "depending on it, is dead-lettered (dependency_timeout).", nanos -> nanos > 0);
    /** How long {@code close()} waits for the pipeline to drain, written in milliseconds, held in nanoseconds. */
    public static final Setting<Long> CLOSE_DRAIN_TIMEOUT = millisAsNanos("close.drain-timeout-ms", 30_000_000_000L,
        "whole milliseconds > 0", "How long close() waits for the messages in flight and the retries under way; " +
        "then it stops the pipeline, and what it did not finish stays unsettled for the next start.",
        nanos -> nanos > 0);
    /** What a full hold buffer does. */
    public static final Setting<HoldOverflowPolicy> HOLD_OVERFLOW = parsed("hold.overflow", HoldOverflowPolicy.class,
        HoldOverflowPolicy.DEAD_LETTER_OLDEST, HoldOverflowPolicy::parse, HoldOverflowPolicy::label,
        HoldOverflowPolicy.allowed(), "When the hold buffer is full: dead-letter-oldest makes room (hold_overflow); " +
        "reject-new refuses publishes that declare dependencies until there is room.");
    /** What happens to a message past its deadline. */
    public static final Setting<DeadlinePolicy> DEADLINE_POLICY = parsed("deadline.policy", DeadlinePolicy.class,
        DeadlinePolicy.DELIVER_LATE, DeadlinePolicy::parse, DeadlinePolicy::label, DeadlinePolicy.allowed(),
        "A message past its deadline: deliver-late counts a deadline miss per (message, subscriber); expire " +
        "dead-letters it.");
    /** Most messages the sequencer orders at once. */
    public static final Setting<Integer> SEQUENCER_WINDOW = intSetting("sequencer.window", 1024,
        "an integer in [1, 65536]", "Most messages the sequencer orders by priority and deadline at once.",
        messages -> messages >= 1 && messages <= 1 << 16);
    /** How far back a dependency may point. */
    public static final Setting<Integer> DEPENDENCIES_WINDOW = intSetting("dependencies.window", 1 << 20,
        "a power of two in [1024, 67108864]", "How far back (in ids) a declared dependency may point: fewer than " +
        "this many ids; older ones are rejected at publish as untrackable.",
        ids -> ids >= 1024 && ids <= 1 << 26 && 1 == Integer.bitCount(ids));
    /** What an acknowledged message survives. */
    public static final Setting<Durability> JOURNAL_DURABILITY = parsed("journal.durability", Durability.class,
        Durability.NONE, Durability::parse, Durability::label, Durability.allowed(),
        "What an acknowledged message survives: none = a process crash, async = plus an early writeback request " +
        "per batch, sync = a host crash or power loss.");
    /** Free space the journal's file system must keep. */
    public static final Setting<Long> JOURNAL_MIN_FREE_BYTES = longSetting("journal.min-free-bytes", 128L << 20,
        "bytes >= 0 (0: no check)", "Free space the journal's file system must keep: below it the engine refuses " +
        "to start, and warns while running.", bytes -> bytes >= 0);
    /** Chronicle's memory-mapped block per journal queue. */
    public static final Setting<Long> JOURNAL_BLOCK_SIZE = longSetting("journal.block-size",
        JournalQueues.DEFAULT_BLOCK_SIZE, "bytes, a power of two in [" + JournalQueues.MIN_BLOCK_SIZE + ", " +
        JournalQueues.MAX_BLOCK_SIZE + "], e.g. 262144 (256 KiB) or 67108864 (64 MiB)", "Memory-mapped block of each " +
        "journal queue (journal, trace, settlements, dead letters): written pages stay resident until the writer " +
        "leaves their block, so a smaller block keeps the process smaller and a larger one maps less often. Raised " +
        "per queue to hold four of its longest document.", JournalQueues::isBlockSize);
    /** Age beyond which settled roll cycles are deleted. */
    public static final Setting<Long> RETENTION_MAX_AGE = longSetting("journal.retention.max-age-ms", 0L,
        "milliseconds >= 0 (0: no age limit)", "Delete the journal's roll cycles that ended more than this many ms " +
        "ago, once every message in them is settled.", millis -> millis >= 0);
    /** Disk budget of the journal's roll files. */
    public static final Setting<Long> RETENTION_MAX_BYTES = longSetting("journal.retention.max-bytes", 0L,
        "bytes >= 0 (0: no size limit)", "Delete the oldest settled roll cycles while the journal takes more than " +
        "this many bytes.", bytes -> bytes >= 0);
    /** Most dependency ids one message may declare. */
    public static final Setting<Integer> DEPENDENCIES_MAX = intSetting("dependencies.max", 8,
        "an integer in [0, " + EngineLimits.MAX_DEPENDENCIES + "]", "Most causal dependencies one message may declare.",
        count -> count >= 0 && count <= EngineLimits.MAX_DEPENDENCIES);
    /** Number of message types. */
    public static final Setting<Integer> TYPES_MAX = intSetting("types.max", 256,
        "an integer in [1, " + MAX_MESSAGE_TYPES + "]", "Message types are 0 .. types.max-1; the router indexes " +
        "subscribers by type in an array of this size.", count -> count >= 1 && count <= MAX_MESSAGE_TYPES);
    /** How far ahead of local time a remote HLC timestamp may be, written in milliseconds, held in nanoseconds. */
    public static final Setting<Long> HLC_MAX_OFFSET = millisAsNanos("hlc.max-offset-ms", 500_000_000L,
        "whole milliseconds in (0, 3600000]", "A remote HLC timestamp more than this far ahead of the local clock is " +
        "rejected.", nanos -> nanos > 0 && nanos <= MAX_HLC_OFFSET_NANOS);
    /** This node's id in a multi-node deployment. */
    public static final Setting<Integer> NODE_ID = intSetting("node.id", 0, "an integer in [0, 65535]",
        "This node's id, stamped on every message it publishes as its origin; 0 for a single-node engine.",
        id -> id >= 0 && id <= 0xFFFF);
    /** How often a node tells each peer what it has journaled from it, and pings it. */
    public static final Setting<Long> PEER_HEARTBEAT = longSetting("peer.heartbeat-ms", 50L, "milliseconds in [1, 60000]",
        "How often a node sends each peer its high-water marks and a clock ping.", ms -> ms >= 1 && ms <= 60_000);
    /** Silence after which a peer is unreachable. */
    public static final Setting<Long> PEER_TIMEOUT = longSetting("peer.timeout-ms", 2_000L,
        "milliseconds in [10, 3600000]", "A peer not heard from for this long is unreachable (partitioned or down); " +
        "its stream is resumed from the high-water mark when it is heard again.", ms -> ms >= 10 && ms <= 3_600_000);
    /** How far behind this node's journal a peer may fall before peer.lag-policy applies. */
    public static final Setting<Long> PEER_MAX_LAG = longSetting("peer.max-lag", 1_000_000L, "messages > 0",
        "Messages of this node a peer may lack before peer.lag-policy applies.", lag -> lag > 0);
    /** What a peer over peer.max-lag causes. */
    public static final Setting<PeerLagPolicy> PEER_LAG_POLICY = parsed("peer.lag-policy", PeerLagPolicy.class,
        PeerLagPolicy.BLOCK, PeerLagPolicy::parse, PeerLagPolicy::label, PeerLagPolicy.allowed(),
        "A peer over peer.max-lag: block makes local publishers wait; quarantine stops shipping to it and alerts.");
    /** Which threads run a node's embedded Aeron media driver. */
    public static final Setting<DriverThreading> NODE_DRIVER_THREADING = parsed("node.driver-threading",
        DriverThreading.class, DriverThreading.NODE_THREAD, DriverThreading::parse, DriverThreading::label,
        DriverThreading.allowed(), "Which threads run a node's embedded Aeron media driver: node-thread = the node's " +
        "own thread, with the Aeron client (fewest threads and hand-offs, for few cores); shared = one thread of its " +
        "own; dedicated = conductor, sender and receiver threads of their own (for hosts with the cores).");
    /** Largest HLC logical counter. */
    public static final Setting<Long> HLC_MAX_LOGICAL = longSetting("hlc.max-logical", (long)Integer.MAX_VALUE,
        "an integer in [1, " + Integer.MAX_VALUE + "]", "Largest HLC logical counter before it carries into the " +
        "wall component (it never wraps).", max -> max >= 1 && max <= Integer.MAX_VALUE);
    /** Where the pipeline threads run. */
    public static final Setting<ThreadCpus> THREADS_CPUS = parsed("threads.cpus", ThreadCpus.class, ThreadCpus.NONE,
        ThreadCpus::parse, ThreadCpus::toString, ThreadCpus.ALLOWED,
        "Where pipeline threads run: none, auto, isolated, or one CPU id per thread group of thread.layout.");
    /** Where a publishing thread is pinned. */
    public static final Setting<CpuRequest> THREADS_PUBLISHER_CPU = parsed("threads.publisher-cpu", CpuRequest.class,
        CpuRequest.NONE, CpuRequest::parse, CpuRequest::toString, CpuRequest.ALLOWED,
        "Where a publishing thread that calls ChronoFabric.pinPublisherThread() runs.");
    /** Whether the engine may run a fitting fallback layout. */
    public static final Setting<Boolean> LAYOUT_FALLBACK = define("layout.fallback", Boolean.class, true,
        Settings::parseFallback, allowed -> allowed ? "allow" : "refuse", "allow, refuse",
        "allow = when the host lacks what is asked, run a layout that fits and warn once; refuse = fail to start.",
        allowed -> true);
    /** Highest acceptable mean latency. */
    public static final Setting<Long> TARGET_LATENCY_MEAN = longSetting("target.latency.mean-ns", 200_000L,
        "nanoseconds > 0", "Highest acceptable mean publish-to-deliver latency, in ns, from each message's " +
        "intended send time.", nanos -> nanos > 0);
    /** Highest acceptable 99th-percentile latency. */
    public static final Setting<Long> TARGET_LATENCY_P99 = longSetting("target.latency.p99-ns", 2_000_000L,
        "nanoseconds > 0", "Highest acceptable 99th-percentile latency, in ns.", nanos -> nanos > 0);
    /** Lowest acceptable sustained throughput. */
    public static final Setting<Long> TARGET_THROUGHPUT = longSetting("target.throughput.msgs-per-sec", 100_000L,
        "messages per second > 0", "Lowest acceptable sustained throughput, in messages per second.",
        rate -> rate > 0);
    /** Highest acceptable drop rate. */
    public static final Setting<Double> TARGET_DROP_RATE = doubleSetting("target.drop-rate", 0.0,
        "a fraction in [0, 1], e.g. 0 or 0.0001", "Highest acceptable fraction of published messages not " +
        "delivered: 0, a full ring is backpressure, never loss.", rate -> rate >= 0 && rate <= 1);
    /** Highest acceptable CPU use. */
    public static final Setting<Double> TARGET_CPU_PERCENT = doubleSetting("target.cpu.percent", 200.0,
        "percent of one core in (0, 102400], e.g. 200 for two busy cores", "Highest acceptable process CPU use, in " +
        "percent of one core as top shows it.", percent -> percent > 0 && percent <= MAX_CPU_PERCENT);
    /** Highest acceptable resident memory. */
    public static final Setting<Long> TARGET_RSS_MB = longSetting("target.rss.mb", 1_024L, "MiB > 0",
        "Highest acceptable resident memory of the process, in MiB.", megabytes -> megabytes > 0);
    /** Lowest acceptable temporal coherence. */
    public static final Setting<Double> TARGET_TEMPORAL_COHERENCE = doubleSetting("target.temporal-coherence", 0.99,
        "a fraction in [0, 1], e.g. 0.99", "Lowest acceptable temporal coherence: the fraction of deliveries on " +
        "time and in causal order.", fraction -> fraction >= 0 && fraction <= 1);
    /** The Prometheus endpoint's port. */
    public static final Setting<Integer> METRICS_PORT = intSetting("metrics.port", 0,
        "0 (off) or a TCP port in [1, 65535]", "TCP port of the Prometheus /metrics endpoint the engine serves " +
        "while it runs; 0 = none.", port -> port >= 0 && port <= 65_535);
    /** The address the Prometheus endpoint listens on. */
    public static final Setting<String> METRICS_HOST = define("metrics.host", String.class, DEFAULT_METRICS_HOST,
        (setting, text) -> text.trim(), Function.identity(), "a host name or an IP literal, e.g. 127.0.0.1 (the " +
        "default: this machine only), ::1, or 0.0.0.0 (every interface)", "Address the /metrics endpoint listens " +
        "on; it has no authentication: bind it elsewhere only on a trusted network.", HostNames::isHostOrAddress);
    /** The performance monitor's interval. */
    public static final Setting<Long> MONITOR_INTERVAL = longSetting("monitor.interval-ms", 1_000L,
        "0 (off) or milliseconds in [10, 3600000]", "How often, in ms, the performance monitor compares the last " +
        "interval with the targets.", millis -> 0 == millis || millis >= 10 && millis <= 3_600_000);
    /** Whether the delivery stage records the four per-stage latencies of each message. */
    public static final Setting<Boolean> LATENCY_STAGES = define("latency.stages.enabled", Boolean.class, true,
        Settings::parseBoolean, String::valueOf, "true, false", "Per-stage latency recording (journal, sequencer, " +
        "router, delivery histograms in stats and metrics): false saves four histogram records per message; " +
        "end-to-end latency is always recorded.", enabled -> true);
    /** Whether the delivery stage appends each message's stage timestamps to the journal's latency trace. */
    public static final Setting<Boolean> LATENCY_TRACE = define("latency.trace.enabled", Boolean.class, true,
        Settings::parseBoolean, String::valueOf, "true, false", "The latency trace (DIR/trace, read by journal " +
        "latency and journal verify): false writes none, saving one trace entry per message; recovery does not " +
        "need it.", enabled -> true);
    /** Whether message flow tracing is on. */
    public static final Setting<Boolean> TRACING_ENABLED = define("tracing.enabled", Boolean.class, false,
        Settings::parseBoolean, String::valueOf, "true, false", "Message flow tracing: true reports stuck messages " +
        "and slow hops live; false leaves the hot path as is.", enabled -> true);
    /** The stuck threshold. */
    public static final Setting<Long> TRACING_STUCK = longSetting("tracing.stuck-ms", 1_000L,
        "milliseconds in [1, 3600000]", "With tracing, a message in one stage longer than this many ms is " +
        "reported stuck.", millis -> millis >= 1 && millis <= 3_600_000);
    /** The slow-hop threshold. */
    public static final Setting<Long> TRACING_SLOW_HOP = longSetting("tracing.slow-hop-us", 1_000L,
        "microseconds in [1, 3600000000]", "With tracing, a hop between two stages slower than this many " +
        "microseconds is reported.", micros -> micros >= 1 && micros <= 3_600_000_000L);

    private static final List<Setting<?>> SETTINGS = Collections.unmodifiableList(new ArrayList<>(ALL));
    private static final Map<String, Setting<?>> BY_NAME = byName(SETTINGS);

    private Settings()
    {
    }

    /** @return every setting, in a stable order. */
    public static List<Setting<?>> all()
    {
        return SETTINGS;
    }

    /**
     * @param key a key, e.g. {@code ring.size}.
     * @return its setting.
     * @throws ConfigurationException for an unknown key, naming it and listing the known ones.
     */
    public static Setting<?> byName(final String key)
    {
        final Setting<?> setting = BY_NAME.get(key);
        if (null == setting)
        {
            throw new ConfigurationException("unknown setting '" + key + "'; allowed keys: " +
                String.join(", ", BY_NAME.keySet()), key, (Throwable)null);
        }
        return setting;
    }

    /** @param key a key. @return true when a setting has it. */
    public static boolean isKnown(final String key)
    {
        return BY_NAME.containsKey(key);
    }

    private static Map<String, Setting<?>> byName(final List<Setting<?>> settings)
    {
        final Map<String, Setting<?>> byName = new LinkedHashMap<>();
        for (final Setting<?> setting : settings)
        {
            if (null != byName.put(setting.name(), setting))
            {
                throw new IllegalStateException("setting " + setting.name() + " is defined twice");
            }
        }
        return Collections.unmodifiableMap(byName);
    }

    private static <T> Setting<T> define(final String name, final Class<T> type, final T defaultValue,
        final Setting.Parser<T> parser, final Function<T, String> formatter, final String allowed, final String doc,
        final Predicate<T> valid)
    {
        return define(name, type, defaultValue, parser, formatter, allowed, doc, valid, value -> value);
    }

    private static <T> Setting<T> define(final String name, final Class<T> type, final T defaultValue,
        final Setting.Parser<T> parser, final Function<T, String> formatter, final String allowed, final String doc,
        final Predicate<T> valid, final Function<T, Object> shown)
    {
        final Setting<T> setting = new Setting<>(ALL.size(), name, type, defaultValue, parser, formatter, allowed, doc,
            valid, shown);
        ALL.add(setting);
        return setting;
    }

    private static <T> Setting<T> parsed(final String name, final Class<T> type, final T defaultValue,
        final Function<String, T> parse, final Function<T, String> formatter, final String allowed, final String doc)
    {
        return define(name, type, defaultValue, (setting, text) -> parse.apply(text), formatter, allowed, doc,
            value -> true);
    }

    private static Setting<Integer> intSetting(final String name, final int defaultValue, final String allowed,
        final String doc, final IntPredicate valid)
    {
        return define(name, Integer.class, defaultValue, Settings::parseInt, String::valueOf, allowed, doc,
            valid::test);
    }

    private static Setting<Long> longSetting(final String name, final long defaultValue, final String allowed,
        final String doc, final LongPredicate valid)
    {
        return define(name, Long.class, defaultValue, Settings::parseLong, String::valueOf, allowed, doc, valid::test);
    }

    /** Written in whole milliseconds, held (and checked) in nanoseconds; a rejected value is shown in milliseconds. */
    private static Setting<Long> millisAsNanos(final String name, final long defaultNanos, final String allowed,
        final String doc, final LongPredicate validNanos)
    {
        // whole milliseconds from a typed setter too: what it accepts must read back from its text form
        return define(name, Long.class, defaultNanos, Settings::parseMillisAsNanos, Settings::formatNanosAsMillis,
            allowed, doc, nanos -> 0 == nanos % NANOS_PER_MILLI && validNanos.test(nanos),
            Settings::formatNanosAsMillis);
    }

    private static Setting<Double> doubleSetting(final String name, final double defaultValue, final String allowed,
        final String doc, final Predicate<Double> valid)
    {
        return define(name, Double.class, defaultValue, Settings::parseDouble, Settings::formatNumber, allowed, doc,
            valid);
    }

    private static boolean isRollCycle(final String name)
    {
        try
        {
            JournalQueues.rollCycle(name);
            return true;
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
    }

    private static Boolean parseFallback(final Setting<Boolean> setting, final String text)
    {
        switch (text.trim().toLowerCase(Locale.ROOT))
        {
            case "allow":
                return true;
            case "refuse":
                return false;
            default:
                throw setting.rejected(text);
        }
    }

    private static Boolean parseBoolean(final Setting<Boolean> setting, final String text)
    {
        switch (text.trim().toLowerCase(Locale.ROOT))
        {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw setting.rejected(text);
        }
    }

    private static Double parseDouble(final Setting<Double> setting, final String text)
    {
        try
        {
            return Double.parseDouble(text.trim().replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw setting.rejected(text);
        }
    }

    private static Integer parseInt(final Setting<Integer> setting, final String text)
    {
        final long parsed = longOf(setting, text);
        if (parsed < Integer.MIN_VALUE || parsed > Integer.MAX_VALUE)
        {
            throw setting.rejected(text.trim());
        }
        return (int)parsed;
    }

    private static Long parseLong(final Setting<Long> setting, final String text)
    {
        return longOf(setting, text);
    }

    private static Long parseMillisAsNanos(final Setting<Long> setting, final String text)
    {
        try
        {
            return Math.multiplyExact(longOf(setting, text), NANOS_PER_MILLI);
        }
        catch (final ArithmeticException ex)
        {
            throw setting.rejected(text.trim());
        }
    }

    private static long longOf(final Setting<?> setting, final String text)
    {
        try
        {
            return Long.parseLong(text.trim().replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw setting.rejected(text);
        }
    }

    /** Whole milliseconds as an integer, as profiles write them; a fraction (set in nanoseconds) in decimals. */
    private static String formatNanosAsMillis(final Long nanos)
    {
        return 0 == nanos % NANOS_PER_MILLI ? String.valueOf(nanos / NANOS_PER_MILLI) :
            BigDecimal.valueOf(nanos, 6).stripTrailingZeros().toPlainString();
    }

    /** Whole numbers without ".0", so that {@code target.cpu.percent=200} reads back as written. */
    private static String formatNumber(final Double value)
    {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf(value.longValue()) :
            String.valueOf(value);
    }
}
