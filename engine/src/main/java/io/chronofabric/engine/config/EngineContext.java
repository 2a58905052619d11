package io.chronofabric.engine.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import io.chronofabric.affinity.CpuRequest;
import io.chronofabric.affinity.HostCpus;
import io.chronofabric.engine.api.SystemWallClock;
import io.chronofabric.engine.api.WallClock;
import io.chronofabric.journal.JournalQueues;
import io.chronofabric.journal.retention.RetentionPolicy;
import io.chronofabric.journal.Durability;
import io.chronofabric.journal.EngineLimits;
import io.chronofabric.engine.api.ConfigurationException;
import io.chronofabric.engine.api.DeadlinePolicy;
import io.chronofabric.engine.api.HoldOverflowPolicy;
import io.chronofabric.engine.api.MessageCodec;

/**
 * Everything an engine is configured with, in one object. Each setter validates its value at once and fails with a
 * {@link ConfigurationException} naming the key, the value and what is allowed. The defaults are the {@code dev}
 * profile's: they fit a 2-core host and need no set-up. String keys (as profiles and {@code --set} write them) are
 * applied through {@link EngineSettings}.
 */
public final class EngineContext
{
    /** Smallest ring size accepted. */
    public static final int MIN_RING_SIZE = 16;
    /** Largest ring size accepted. */
    public static final int MAX_RING_SIZE = 1 << 26;
    /** Largest payload capacity accepted: 1 MiB. */
    public static final int MAX_PAYLOAD_CAPACITY = EngineLimits.MAX_PAYLOAD;
    /** Largest number of message types accepted. */
    public static final int MAX_MESSAGE_TYPES = 1 << 16;
    /** Where the metrics endpoint listens unless told otherwise: this machine only, as it has no authentication. */
    public static final String DEFAULT_METRICS_HOST = "127.0.0.1";
    /** What {@code metrics.host} accepts, as messages and {@code profiles show} say it. */
    public static final String METRICS_HOST_ALLOWED = "a host name or an IP literal, e.g. 127.0.0.1 (the default: " +
        "this machine only), ::1, or 0.0.0.0 (every interface)";

    private String profile = "dev";
    private Path journalDir = Path.of("data", "journal");
    private String rollCycle = JournalQueues.DEFAULT_ROLL_CYCLE;
    private Durability durability = Durability.NONE;
    private long journalMinFreeBytes = 128L << 20;
    private long retentionMaxAgeMillis;
    private long retentionMaxBytes;
    private int holdCapacity = 4096;
    private int dependentQueueLimit = 10_000;
    private long holdTimeoutNanos = 1_000_000_000L;
    private HoldOverflowPolicy holdOverflow = HoldOverflowPolicy.DEAD_LETTER_OLDEST;
    private DeadlinePolicy deadlinePolicy = DeadlinePolicy.DELIVER_LATE;
    private int sequencerWindow = 1024;
    private int dependencyWindow = 1 << 20;
    private long assumeDeliveredUpTo;
    private int ringSize = 16 * 1024;
    private int payloadCapacity = 256;
    private int maxDependencies = 8;
    private int maxMessageTypes = 256;
    private WaitStrategyKind waitStrategy = WaitStrategyKind.SLEEPING;
    private ThreadLayout threadLayout = ThreadLayout.FUSED;
    private long hlcMaxOffsetNanos = 500_000_000L;
    private long hlcMaxLogical = Integer.MAX_VALUE;
    private WallClock wallClock = SystemWallClock.INSTANCE;
    private ThreadCpus threadCpus = ThreadCpus.NONE;
    private CpuRequest publisherCpu = CpuRequest.NONE;
    private boolean layoutFallbackAllowed = true;
    private int metricsPort;
    private String metricsHost = DEFAULT_METRICS_HOST;
    private long monitorIntervalMillis = 1_000;
    private boolean tracingEnabled;
    private long tracingStuckMillis = 1_000;
    private long tracingSlowHopMicros = 1_000;
    private HostCpus host;
    private final PerformanceTargets targets = new PerformanceTargets();
    private final Map<Integer, MessageCodec<?>> codecs = new HashMap<>();

    /** @param name the name of the profile these settings came from, reported in stats. @return this. */
    public EngineContext profile(final String name)
    {
        this.profile = Objects.requireNonNull(name, "profile");
        return this;
    }

    /** @param dir the journal folder, created if absent. @return this. */
    public EngineContext journalDir(final Path dir)
    {
        this.journalDir = Objects.requireNonNull(dir, "journal.dir");
        return this;
    }

    /** @param name a Chronicle roll cycle name, e.g. {@code FAST_DAILY}. @return this. */
    public EngineContext rollCycle(final String name)
    {
        try
        {
            JournalQueues.rollCycle(name);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigurationException("journal.roll-cycle", name, JournalQueues.rollCycleNames());
        }
        this.rollCycle = name;
        return this;
    }

    /** @param policy what an acknowledged message survives: none, async or sync. @return this. */
    public EngineContext durability(final Durability policy)
    {
        this.durability = Objects.requireNonNull(policy, "journal.durability");
        return this;
    }

    /**
     * @param bytes free space the journal's file system must keep: below it the engine refuses to start, and warns
     *              while running; 0 for no check. Chronicle maps the journal in chunks of tens of MiB, and a write
     *              into a mapped page the disk cannot back fails the journal. @return this.
     */
    public EngineContext journalMinFreeBytes(final long bytes)
    {
        if (bytes < 0)
        {
            throw new ConfigurationException("journal.min-free-bytes", bytes, "bytes >= 0 (0: no check)");
        }
        this.journalMinFreeBytes = bytes;
        return this;
    }

    /** @return free space the journal's file system must keep, 0 for no check. */
    public long journalMinFreeBytes()
    {
        return journalMinFreeBytes;
    }

    /**
     * @param millis while the engine runs, delete the journal's roll cycles (and the trace's and dead letters' with
     *               them) that ended more than this long ago, once every message in them is settled; 0 for no age
     *               limit. @return this.
     */
    public EngineContext retentionMaxAgeMillis(final long millis)
    {
        if (millis < 0)
        {
            throw new ConfigurationException("journal.retention.max-age-ms", millis, "milliseconds >= 0 (0: no age limit)");
        }
        this.retentionMaxAgeMillis = millis;
        return this;
    }

    /** @return the age beyond which settled roll cycles are deleted, 0 for no age limit. */
    public long retentionMaxAgeMillis()
    {
        return retentionMaxAgeMillis;
    }

    /**
     * @param bytes while the journal's roll files take more disk than this, delete its oldest settled cycle (the
     *              current one is never deleted); 0 for no size limit. @return this.
     */
    public EngineContext retentionMaxBytes(final long bytes)
    {
        if (bytes < 0)
        {
            throw new ConfigurationException("journal.retention.max-bytes", bytes, "bytes >= 0 (0: no size limit)");
        }
        this.retentionMaxBytes = bytes;
        return this;
    }

    /** @return the disk budget of the journal's roll files, 0 for no size limit. */
    public long retentionMaxBytes()
    {
        return retentionMaxBytes;
    }

    /** @return the retention limits, {@link RetentionPolicy#OFF} when neither is set. */
    public RetentionPolicy retentionPolicy()
    {
        return new RetentionPolicy(retentionMaxAgeMillis, retentionMaxBytes, 0);
    }

    /**
     * @param messages most messages waiting in the delivery stage for a dependency that is still being retried, in
     *                 [1, 1048576]; beyond it a dependent is dead-lettered ({@code dependent_queue_full}). @return this.
     */
    public EngineContext dependentQueueLimit(final int messages)
    {
        if (messages < 1 || messages > 1 << 20)
        {
            throw new ConfigurationException("dependents.queue-limit", messages, "an integer in [1, 1048576]");
        }
        this.dependentQueueLimit = messages;
        return this;
    }

    /** @return most messages waiting in the delivery stage for a dependency still being retried. */
    public int dependentQueueLimit()
    {
        return dependentQueueLimit;
    }

    /** @param messages most messages held for dependencies at once, in [1, 1048576]. @return this. */
    public EngineContext holdCapacity(final int messages)
    {
        if (messages < 1 || messages > 1 << 20)
        {
            throw new ConfigurationException("hold.capacity", messages, "an integer in [1, 1048576]");
        }
        this.holdCapacity = messages;
        return this;
    }

    /** @param nanos how long a message waits for a dependency before it is dead-lettered, > 0. @return this. */
    public EngineContext holdTimeoutNanos(final long nanos)
    {
        if (nanos <= 0)
        {
            throw new ConfigurationException("hold.timeout-ms", nanos / 1_000_000.0, "milliseconds > 0");
        }
        this.holdTimeoutNanos = nanos;
        return this;
    }

    /** @param policy what a full hold buffer does. @return this. */
    public EngineContext holdOverflow(final HoldOverflowPolicy policy)
    {
        this.holdOverflow = Objects.requireNonNull(policy, "hold.overflow");
        return this;
    }

    /** @param policy what happens to a message whose deadline passed before delivery. @return this. */
    public EngineContext deadlinePolicy(final DeadlinePolicy policy)
    {
        this.deadlinePolicy = Objects.requireNonNull(policy, "deadline.policy");
        return this;
    }

    /** @param messages most messages the sequencer orders at once, in [1, 65536]. @return this. */
    public EngineContext sequencerWindow(final int messages)
    {
        if (messages < 1 || messages > 1 << 16)
        {
            throw new ConfigurationException("sequencer.window", messages, "an integer in [1, 65536]");
        }
        this.sequencerWindow = messages;
        return this;
    }

    /** @param ids how far back (in ids) a dependency may point, a power of two in [1024, 2^26]. @return this. */
    public EngineContext dependencyWindow(final int ids)
    {
        if (ids < 1024 || ids > 1 << 26 || Integer.bitCount(ids) != 1)
        {
            throw new ConfigurationException("dependencies.window", ids, "a power of two in [1024, 67108864]");
        }
        this.dependencyWindow = ids;
        return this;
    }

    /** @param size ring slots: a power of two in [16, 2^26]. @return this. */
    public EngineContext ringSize(final int size)
    {
        if (size < MIN_RING_SIZE || size > MAX_RING_SIZE || Integer.bitCount(size) != 1)
        {
            throw new ConfigurationException("ring.size", size, "a power of two in [" + MIN_RING_SIZE + ", " +
                MAX_RING_SIZE + "], e.g. 1024, 16384, 65536");
        }
        this.ringSize = size;
        return this;
    }

    /** @param bytes the largest payload, in [1, 1 MiB]. @return this. */
    public EngineContext payloadCapacity(final int bytes)
    {
        if (bytes < 1 || bytes > MAX_PAYLOAD_CAPACITY)
        {
            throw new ConfigurationException("payload.capacity", bytes, "bytes in [1, " + MAX_PAYLOAD_CAPACITY + "]");
        }
        this.payloadCapacity = bytes;
        return this;
    }

    /** @param count the most dependency ids one message may declare, in [0, 255]. @return this. */
    public EngineContext maxDependencies(final int count)
    {
        if (count < 0 || count > EngineLimits.MAX_DEPENDENCIES)
        {
            throw new ConfigurationException("dependencies.max", count, "an integer in [0, 255]");
        }
        this.maxDependencies = count;
        return this;
    }

    /** @param count message types are 0 .. count-1; in [1, 65536]. @return this. */
    public EngineContext maxMessageTypes(final int count)
    {
        if (count < 1 || count > MAX_MESSAGE_TYPES)
        {
            throw new ConfigurationException("types.max", count, "an integer in [1, " + MAX_MESSAGE_TYPES + "]");
        }
        this.maxMessageTypes = count;
        return this;
    }

    /** @param kind how pipeline threads wait. @return this. */
    public EngineContext waitStrategy(final WaitStrategyKind kind)
    {
        this.waitStrategy = Objects.requireNonNull(kind, "wait.strategy");
        return this;
    }

    /** @param layout which stages share a thread. @return this. */
    public EngineContext threadLayout(final ThreadLayout layout)
    {
        this.threadLayout = Objects.requireNonNull(layout, "thread.layout");
        return this;
    }

    /** @param nanos how far ahead of local time a remote HLC timestamp may be, in (0, 1 hour]. @return this. */
    public EngineContext hlcMaxOffsetNanos(final long nanos)
    {
        if (nanos <= 0 || nanos > 3_600_000_000_000L)
        {
            throw new ConfigurationException("hlc.max-offset-ms", nanos / 1_000_000.0, "milliseconds in (0, 3600000]");
        }
        this.hlcMaxOffsetNanos = nanos;
        return this;
    }

    /** @param max the largest HLC logical value before it carries into the wall component. @return this. */
    public EngineContext hlcMaxLogical(final long max)
    {
        if (max < 1 || max > Integer.MAX_VALUE)
        {
            throw new ConfigurationException("hlc.max-logical", max, "an integer in [1, " + Integer.MAX_VALUE + "]");
        }
        this.hlcMaxLogical = max;
        return this;
    }

    /** @param clock the physical clock the HLC reads (tests inject a manual one). @return this. */
    public EngineContext wallClock(final WallClock clock)
    {
        this.wallClock = Objects.requireNonNull(clock, "wallClock");
        return this;
    }

    /**
     * @param cpus where the pipeline threads run: none, auto, isolated, or one CPU per thread group.
     * @return this.
     */
    public EngineContext threadCpus(final ThreadCpus cpus)
    {
        this.threadCpus = Objects.requireNonNull(cpus, "threads.cpus");
        return this;
    }

    /**
     * @param cpu where {@link ChronoFabric#pinPublisherThread()} pins a publishing thread: none, auto, isolated or an id.
     * @return this.
     */
    public EngineContext publisherCpu(final CpuRequest cpu)
    {
        this.publisherCpu = Objects.requireNonNull(cpu, "threads.publisher-cpu");
        return this;
    }

    /**
     * @param allowed true (the default) to run a layout that fits when the host lacks what the settings ask; false to
     *                refuse to start instead.
     * @return this.
     */
    public EngineContext layoutFallbackAllowed(final boolean allowed)
    {
        this.layoutFallbackAllowed = allowed;
        return this;
    }

    /**
     * @param cpus the host to plan threads for; null (the default) for the host this JVM runs on. Tests and what-if
     *             planning set another.
     * @return this.
     */
    public EngineContext host(final HostCpus cpus)
    {
        this.host = cpus;
        return this;
    }

    /**
     * Registers the codec for a message type, for the object publish and subscribe path.
     *
     * @param type  the message type.
     * @param codec its codec.
     * @return this.
     */
    public EngineContext codec(final int type, final MessageCodec<?> codec)
    {
        checkType(type);
        codecs.put(type, Objects.requireNonNull(codec, "codec"));
        return this;
    }

    /**
     * Checks the settings against each other; called when the engine starts.
     *
     * @throws ConfigurationException for settings that are valid alone but not together.
     */
    public void validate()
    {
        if (threadCpus.isList() && threadCpus.cpus().size() != threadLayout.threadCount())
        {
            throw new ConfigurationException("threads.cpus", threadCpus, "one CPU per thread group of thread.layout=" +
                threadLayout + " (" + threadLayout.threadCount() + " group(s)), or none, auto, isolated");
        }
        if (CpuRequest.Kind.CPU == publisherCpu.kind() && threadCpus.cpus().contains(publisherCpu.cpuId()))
        {
            throw new ConfigurationException("threads.publisher-cpu", publisherCpu, "a CPU not in threads.cpus=" +
                threadCpus + " (a publisher sharing a pipeline thread's CPU waits on it), or none, auto, isolated");
        }
        for (final Integer type : codecs.keySet())
        {
            checkType(type);
        }
    }

    private void checkType(final int type)
    {
        if (type < 0 || type >= maxMessageTypes)
        {
            throw new ConfigurationException("message type", type, "an integer in [0, " + (maxMessageTypes - 1) +
                "] (raise types.max for more)");
        }
    }

    /** @return the profile name. */
    public String profile()
    {
        return profile;
    }

    /** @return the journal folder. */
    public Path journalDir()
    {
        return journalDir;
    }

    /** @return the Chronicle roll cycle name. */
    public String rollCycle()
    {
        return rollCycle;
    }

    /** @return the journal's durability policy. */
    public Durability durability()
    {
        return durability;
    }

    /**
     * For replaying part of a journal: dependencies on ids at or below this count as already delivered.
     *
     * @param id the last id delivered before the replayed range; 0 by default.
     * @return this.
     */
    public EngineContext assumeDeliveredUpTo(final long id)
    {
        if (id < 0)
        {
            throw new ConfigurationException("assumeDeliveredUpTo", id, "an id >= 0");
        }
        this.assumeDeliveredUpTo = id;
        return this;
    }

    /** @return dependencies on ids at or below this count as already delivered. */
    public long assumeDeliveredUpTo()
    {
        return assumeDeliveredUpTo;
    }

    /** @return most messages held for dependencies at once. */
    public int holdCapacity()
    {
        return holdCapacity;
    }

    /** @return how long a message waits for a dependency, in nanoseconds. */
    public long holdTimeoutNanos()
    {
        return holdTimeoutNanos;
    }

    /** @return what a full hold buffer does. */
    public HoldOverflowPolicy holdOverflow()
    {
        return holdOverflow;
    }

    /** @return what happens to a message whose deadline passed before delivery. */
    public DeadlinePolicy deadlinePolicy()
    {
        return deadlinePolicy;
    }

    /** @return most messages the sequencer orders at once. */
    public int sequencerWindow()
    {
        return sequencerWindow;
    }

    /** @return how far back (in ids) a dependency may point. */
    public int dependencyWindow()
    {
        return dependencyWindow;
    }

    /** @return ring slots. */
    public int ringSize()
    {
        return ringSize;
    }

    /** @return the largest payload in bytes. */
    public int payloadCapacity()
    {
        return payloadCapacity;
    }

    /** @return the most dependency ids per message. */
    public int maxDependencies()
    {
        return maxDependencies;
    }

    /** @return the number of message types. */
    public int maxMessageTypes()
    {
        return maxMessageTypes;
    }

    /** @return how pipeline threads wait. */
    public WaitStrategyKind waitStrategy()
    {
        return waitStrategy;
    }

    /** @return which stages share a thread. */
    public ThreadLayout threadLayout()
    {
        return threadLayout;
    }

    /** @return the HLC maximum offset in nanoseconds. */
    public long hlcMaxOffsetNanos()
    {
        return hlcMaxOffsetNanos;
    }

    /** @return the HLC logical maximum. */
    public long hlcMaxLogical()
    {
        return hlcMaxLogical;
    }

    /** @return the physical clock. */
    public WallClock wallClock()
    {
        return wallClock;
    }

    /** @return where the pipeline threads run. */
    public ThreadCpus threadCpus()
    {
        return threadCpus;
    }

    /** @return where a publishing thread is pinned. */
    public CpuRequest publisherCpu()
    {
        return publisherCpu;
    }

    /** @return true when the engine may run a fitting fallback layout; false when it refuses to start instead. */
    public boolean layoutFallbackAllowed()
    {
        return layoutFallbackAllowed;
    }

    /** @return the host to plan threads for, or null for the host this JVM runs on. */
    public HostCpus host()
    {
        return host;
    }

    /** @return the performance targets alerts compare against; change them through their setters. */
    public PerformanceTargets targets()
    {
        return targets;
    }

    /**
     * @param port the TCP port of the Prometheus {@code /metrics} endpoint the engine serves while it runs, in
     *             [1, 65535]; 0 (the default) for none.
     * @return this.
     */
    public EngineContext metricsPort(final int port)
    {
        if (port < 0 || port > 65_535)
        {
            throw new ConfigurationException("metrics.port", port, "0 (off) or a TCP port in [1, 65535]");
        }
        this.metricsPort = port;
        return this;
    }

    /** @return the {@code /metrics} port, 0 when the engine serves none. */
    public int metricsPort()
    {
        return metricsPort;
    }

    /**
     * @param host the address the {@code /metrics} endpoint listens on: a host name or an IP literal;
     *             {@value #DEFAULT_METRICS_HOST} (the default) for this machine only, {@code 0.0.0.0} for every
     *             interface. The endpoint has no authentication: bind it elsewhere only on a trusted network.
     * @return this.
     */
    public EngineContext metricsHost(final String host)
    {
        if (!HostNames.isHostOrAddress(host))
        {
            throw new ConfigurationException("metrics.host", host, METRICS_HOST_ALLOWED);
        }
        this.metricsHost = host;
        return this;
    }

    /** @return the address the {@code /metrics} endpoint listens on. */
    public String metricsHost()
    {
        return metricsHost;
    }

    /**
     * @param millis how often the performance monitor compares measurements with the targets, in [10, 3600000];
     *               0 for never.
     * @return this.
     */
    public EngineContext monitorIntervalMillis(final long millis)
    {
        if (0 != millis && (millis < 10 || millis > 3_600_000))
        {
            throw new ConfigurationException("monitor.interval-ms", millis, "0 (off) or milliseconds in [10, 3600000]");
        }
        this.monitorIntervalMillis = millis;
        return this;
    }

    /** @return the performance monitor's interval in milliseconds, 0 when it is off. */
    public long monitorIntervalMillis()
    {
        return monitorIntervalMillis;
    }

    /**
     * @param enabled true to trace each message's hops live and report stuck messages and slow hops; false (the
     *                default) leaves the pipeline exactly as without tracing.
     * @return this.
     */
    public EngineContext tracingEnabled(final boolean enabled)
    {
        this.tracingEnabled = enabled;
        return this;
    }

    /** @return whether message flow tracing is on. */
    public boolean tracingEnabled()
    {
        return tracingEnabled;
    }

    /** @param millis a message in one stage longer than this is reported stuck, in [1, 3600000]. @return this. */
    public EngineContext tracingStuckMillis(final long millis)
    {
        if (millis < 1 || millis > 3_600_000)
        {
            throw new ConfigurationException("tracing.stuck-ms", millis, "milliseconds in [1, 3600000]");
        }
        this.tracingStuckMillis = millis;
        return this;
    }

    /** @return the stuck threshold in milliseconds. */
    public long tracingStuckMillis()
    {
        return tracingStuckMillis;
    }

    /** @param micros a hop between two stages slower than this is reported, in [1, 3600000000]. @return this. */
    public EngineContext tracingSlowHopMicros(final long micros)
    {
        if (micros < 1 || micros > 3_600_000_000L)
        {
            throw new ConfigurationException("tracing.slow-hop-us", micros, "microseconds in [1, 3600000000]");
        }
        this.tracingSlowHopMicros = micros;
        return this;
    }

    /** @return the slow-hop threshold in microseconds. */
    public long tracingSlowHopMicros()
    {
        return tracingSlowHopMicros;
    }

    /** @param type a message type. @return its codec, or null when none is registered. */
    public MessageCodec<?> codecFor(final int type)
    {
        return codecs.get(type);
    }
}
