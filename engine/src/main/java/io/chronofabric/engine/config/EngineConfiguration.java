package io.chronofabric.engine.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import io.chronofabric.affinity.CpuRequest;
import io.chronofabric.affinity.HostCpus;
import io.chronofabric.engine.api.ConfigurationException;
import io.chronofabric.engine.api.DeadlinePolicy;
import io.chronofabric.engine.api.HoldOverflowPolicy;
import io.chronofabric.engine.api.MessageCodec;
import io.chronofabric.engine.api.SystemWallClock;
import io.chronofabric.engine.api.WallClock;
import io.chronofabric.journal.Durability;
import io.chronofabric.journal.retention.RetentionPolicy;

/**
 * Everything an engine is configured with, concluded before it starts and never changed afterwards. Built with a
 * {@link Builder}: {@code EngineConfiguration.builder().ringSize(1024).journalDir(dir).build()}, or from a profile
 * with {@link Profiles#builder(String, Map)}. Each key is defined once, in {@link Settings}; the typed getters below
 * return the values in the unit the engine uses.
 */
public final class EngineConfiguration
{
    private final Object[] values;
    private final String profile;
    private final Path journalDir;
    private final String rollCycle;
    private final Durability durability;
    private final long journalMinFreeBytes;
    private final long journalBlockSize;
    private final long retentionMaxAgeMillis;
    private final long retentionMaxBytes;
    private final int holdCapacity;
    private final int dependentQueueLimit;
    private final long holdTimeoutNanos;
    private final long closeDrainTimeoutNanos;
    private final HoldOverflowPolicy holdOverflow;
    private final DeadlinePolicy deadlinePolicy;
    private final int sequencerWindow;
    private final int dependencyWindow;
    private final long assumeDeliveredUpTo;
    private final int ringSize;
    private final int payloadCapacity;
    private final int maxDependencies;
    private final int maxMessageTypes;
    private final WaitStrategyKind waitStrategy;
    private final ThreadLayout threadLayout;
    private final long hlcMaxOffsetNanos;
    private final int nodeId;
    private final long hlcMaxLogical;
    private final WallClock wallClock;
    private final ThreadCpus threadCpus;
    private final CpuRequest publisherCpu;
    private final boolean layoutFallbackAllowed;
    private final int metricsPort;
    private final String metricsHost;
    private final long monitorIntervalMillis;
    private final boolean tracingEnabled;
    private final boolean stageLatencyEnabled;
    private final boolean latencyTraceEnabled;
    private final long tracingStuckMillis;
    private final long tracingSlowHopMicros;
    private final HostCpus host;
    private final PerformanceTargets targets;
    private final Map<Integer, MessageCodec<?>> codecs;

    private EngineConfiguration(final Builder builder)
    {
        this.values = builder.values.clone();
        this.profile = builder.profile;
        this.journalDir = builder.get(Settings.JOURNAL_DIR);
        this.rollCycle = builder.get(Settings.JOURNAL_ROLL_CYCLE);
        this.durability = builder.get(Settings.JOURNAL_DURABILITY);
        this.journalMinFreeBytes = builder.get(Settings.JOURNAL_MIN_FREE_BYTES);
        this.journalBlockSize = builder.get(Settings.JOURNAL_BLOCK_SIZE);
        this.retentionMaxAgeMillis = builder.get(Settings.RETENTION_MAX_AGE);
        this.retentionMaxBytes = builder.get(Settings.RETENTION_MAX_BYTES);
        this.holdCapacity = builder.get(Settings.HOLD_CAPACITY);
        this.dependentQueueLimit = builder.get(Settings.DEPENDENTS_QUEUE_LIMIT);
        this.holdTimeoutNanos = builder.get(Settings.HOLD_TIMEOUT);
        this.closeDrainTimeoutNanos = builder.get(Settings.CLOSE_DRAIN_TIMEOUT);
        this.holdOverflow = builder.get(Settings.HOLD_OVERFLOW);
        this.deadlinePolicy = builder.get(Settings.DEADLINE_POLICY);
        this.sequencerWindow = builder.get(Settings.SEQUENCER_WINDOW);
        this.dependencyWindow = builder.get(Settings.DEPENDENCIES_WINDOW);
        this.assumeDeliveredUpTo = builder.assumeDeliveredUpTo;
        this.ringSize = builder.get(Settings.RING_SIZE);
        this.payloadCapacity = builder.get(Settings.PAYLOAD_CAPACITY);
        this.maxDependencies = builder.get(Settings.DEPENDENCIES_MAX);
        this.maxMessageTypes = builder.get(Settings.TYPES_MAX);
        this.waitStrategy = builder.get(Settings.WAIT_STRATEGY);
        this.threadLayout = builder.get(Settings.THREAD_LAYOUT);
        this.hlcMaxOffsetNanos = builder.get(Settings.HLC_MAX_OFFSET);
        this.nodeId = builder.get(Settings.NODE_ID);
        this.hlcMaxLogical = builder.get(Settings.HLC_MAX_LOGICAL);
        this.wallClock = builder.wallClock;
        this.threadCpus = builder.get(Settings.THREADS_CPUS);
        this.publisherCpu = builder.get(Settings.THREADS_PUBLISHER_CPU);
        this.layoutFallbackAllowed = builder.get(Settings.LAYOUT_FALLBACK);
        this.metricsPort = builder.get(Settings.METRICS_PORT);
        this.metricsHost = builder.get(Settings.METRICS_HOST);
        this.monitorIntervalMillis = builder.get(Settings.MONITOR_INTERVAL);
        this.tracingEnabled = builder.get(Settings.TRACING_ENABLED);
        this.stageLatencyEnabled = builder.get(Settings.LATENCY_STAGES);
        this.latencyTraceEnabled = builder.get(Settings.LATENCY_TRACE);
        this.tracingStuckMillis = builder.get(Settings.TRACING_STUCK);
        this.tracingSlowHopMicros = builder.get(Settings.TRACING_SLOW_HOP);
        this.host = builder.host;
        this.targets = new PerformanceTargets(this);
        this.codecs = Collections.unmodifiableMap(new HashMap<>(builder.codecs));
    }

    /** @return a builder holding the defaults (the {@code dev} profile's values). */
    public static Builder builder()
    {
        return new Builder();
    }

    /** @return a new builder holding everything this configuration holds, to derive another one from it. */
    public Builder toBuilder()
    {
        return new Builder(this);
    }

    /**
     * @param setting a setting of {@link Settings}.
     * @param <T>     its type.
     * @return its value.
     */
    public <T> T get(final Setting<T> setting)
    {
        return setting.cast(values[setting.index()]);
    }

    /** @return the name of the profile these settings came from, reported in stats. */
    public String profile()
    {
        return profile;
    }

    /** @return the journal folder. */
    public Path journalDir()
    {
        return journalDir;
    }

    /**
     * The ring's slots are allocated whole at start, each with room for a full payload and every dependency: refuses a
     * ring that would take more than half of the heap it is given, naming the settings and what is allowed, rather
     * than letting the start, or the first burst after it, fail with an {@link OutOfMemoryError}. An engine checks it
     * against its JVM's maximum heap as it starts; a process that starts several engines checks each one's share.
     *
     * @param heapBytes the heap the engine runs in ({@link Runtime#maxMemory()}, or its share of it).
     * @throws ConfigurationException when the ring would take more than half of it.
     */
    public void requireRingWithin(final long heapBytes)
    {
        final long slotBytes = payloadCapacity + (long)Long.BYTES * maxDependencies;
        final long ringBytes = (long)ringSize * slotBytes;
        if (heapBytes != Long.MAX_VALUE && ringBytes > heapBytes / 2)
        {
            final long mostPayload = Math.max(0, heapBytes / 2 / ringSize - (long)Long.BYTES * maxDependencies);
            throw new ConfigurationException(Settings.PAYLOAD_CAPACITY.name(), payloadCapacity, "at most " +
                mostPayload + " at " + Settings.RING_SIZE.name() + "=" + ringSize + ", a smaller ring.size, or a " +
                "larger -Xmx: the ring's slots (payload.capacity + 8 x dependencies.max bytes each, " + ringBytes +
                " bytes in all) are allocated at start and may take half of the maximum heap of " + heapBytes +
                " bytes");
        }
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

    /** @return free space the journal's file system must keep, 0 for no check. */
    public long journalMinFreeBytes()
    {
        return journalMinFreeBytes;
    }

    /**
     * @return the memory-mapped block each journal queue is asked for, raised per queue to hold four of its longest
     *     document.
     */
    public long journalBlockSize()
    {
        return journalBlockSize;
    }

    /** @return the age beyond which settled roll cycles are deleted, 0 for no age limit. */
    public long retentionMaxAgeMillis()
    {
        return retentionMaxAgeMillis;
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

    /** @return most messages waiting in the delivery stage for a dependency still being retried. */
    public int dependentQueueLimit()
    {
        return dependentQueueLimit;
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

    /** @return how long {@code close()} waits for the pipeline to drain ({@code close.drain-timeout-ms}). */
    public long closeDrainTimeoutNanos()
    {
        return closeDrainTimeoutNanos;
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

    /** @return this node's id, 0 for a single-node engine. */
    public int nodeId()
    {
        return nodeId;
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

    /** @return the performance targets alerts compare against. */
    public PerformanceTargets targets()
    {
        return targets;
    }

    /** @return the {@code /metrics} port, 0 when the engine serves none. */
    public int metricsPort()
    {
        return metricsPort;
    }

    /** @return the address the {@code /metrics} endpoint listens on. */
    public String metricsHost()
    {
        return metricsHost;
    }

    /** @return the performance monitor's interval in milliseconds, 0 when it is off. */
    public long monitorIntervalMillis()
    {
        return monitorIntervalMillis;
    }

    /** @return whether message flow tracing is on. */
    public boolean tracingEnabled()
    {
        return tracingEnabled;
    }

    /** @return whether the per-stage latencies are recorded ({@code latency.stages.enabled}). */
    public boolean stageLatencyEnabled()
    {
        return stageLatencyEnabled;
    }

    /** @return whether the latency trace is written ({@code latency.trace.enabled}). */
    public boolean latencyTraceEnabled()
    {
        return latencyTraceEnabled;
    }

    /** @return the stuck threshold in milliseconds. */
    public long tracingStuckMillis()
    {
        return tracingStuckMillis;
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

    /**
     * Collects an engine's configuration. Each setter checks its value at once and fails with a
     * {@link ConfigurationException} naming the key, the value and what is allowed, through the setting's own check
     * in {@link Settings}; {@link #build()} then checks the settings against each other. A builder starts from the
     * defaults, the {@code dev} profile's values.
     */
    public static final class Builder
    {
        private final Object[] values;
        private String profile = Profiles.DEFAULT;
        private long assumeDeliveredUpTo;
        private WallClock wallClock = SystemWallClock.INSTANCE;
        private HostCpus host;
        private final Map<Integer, MessageCodec<?>> codecs = new HashMap<>();

        private Builder()
        {
            values = new Object[Settings.all().size()];
            for (final Setting<?> setting : Settings.all())
            {
                values[setting.index()] = setting.defaultValue();
            }
        }

        private Builder(final EngineConfiguration configuration)
        {
            values = configuration.values.clone();
            profile = configuration.profile;
            assumeDeliveredUpTo = configuration.assumeDeliveredUpTo;
            wallClock = configuration.wallClock;
            host = configuration.host;
            codecs.putAll(configuration.codecs);
        }

        /**
         * @param setting a setting of {@link Settings}.
         * @param value   its value, in the unit the engine holds it in.
         * @param <T>     its type.
         * @return this.
         * @throws ConfigurationException naming the key, the value and what is allowed.
         */
        public <T> Builder set(final Setting<T> setting, final T value)
        {
            values[setting.index()] = setting.validate(value);
            return this;
        }

        /**
         * Applies one setting in its text form, as profiles and {@code --set key=value} write it.
         *
         * @param key  a key of {@link Settings#all()}.
         * @param text its value as text.
         * @return this.
         * @throws ConfigurationException for an unknown key, or naming the key, the value and what is allowed.
         */
        public Builder set(final String key, final String text)
        {
            final Setting<?> setting = Settings.byName(key);
            values[setting.index()] = setting.parse(text);
            return this;
        }

        /**
         * @param setting a setting of {@link Settings}.
         * @param <T>     its type.
         * @return its value so far.
         */
        public <T> T get(final Setting<T> setting)
        {
            return setting.cast(values[setting.index()]);
        }

        /** @param name the name of the profile these settings came from, reported in stats. @return this. */
        public Builder profile(final String name)
        {
            this.profile = Objects.requireNonNull(name, "profile");
            return this;
        }

        /** @param dir the journal folder, created if absent. @return this. */
        public Builder journalDir(final Path dir)
        {
            return set(Settings.JOURNAL_DIR, dir);
        }

        /** @param name a Chronicle roll cycle name, e.g. {@code FAST_DAILY}. @return this. */
        public Builder rollCycle(final String name)
        {
            return set(Settings.JOURNAL_ROLL_CYCLE, name);
        }

        /** @param policy what an acknowledged message survives: none, async or sync. @return this. */
        public Builder durability(final Durability policy)
        {
            return set(Settings.JOURNAL_DURABILITY, policy);
        }

        /**
         * @param bytes free space the journal's file system must keep: below it the engine refuses to start, and
         *              warns while running; 0 for no check. Chronicle maps the journal in blocks
         *              ({@code journal.block-size}), and a write into a mapped page the disk cannot back fails the
         *              journal. @return this.
         */
        public Builder journalMinFreeBytes(final long bytes)
        {
            return set(Settings.JOURNAL_MIN_FREE_BYTES, bytes);
        }

        /**
         * @param bytes the memory-mapped block of each journal queue (journal, trace, settlements, dead letters), a
         *              power of two from 64 KiB to 1 GiB: the pages written stay resident until the writer leaves
         *              their block, so a smaller block keeps the process smaller, a larger one maps less often.
         *              Raised per queue to hold four of its longest document. @return this.
         */
        public Builder journalBlockSize(final long bytes)
        {
            return set(Settings.JOURNAL_BLOCK_SIZE, bytes);
        }

        /**
         * @param millis while the engine runs, delete the journal's roll cycles (and the trace's and dead letters'
         *               with them) that ended more than this long ago, once every message in them is settled; 0 for
         *               no age limit. @return this.
         */
        public Builder retentionMaxAgeMillis(final long millis)
        {
            return set(Settings.RETENTION_MAX_AGE, millis);
        }

        /**
         * @param bytes while the journal's roll files take more disk than this, delete its oldest settled cycle (the
         *              current one is never deleted); 0 for no size limit. @return this.
         */
        public Builder retentionMaxBytes(final long bytes)
        {
            return set(Settings.RETENTION_MAX_BYTES, bytes);
        }

        /**
         * @param messages most messages waiting in the delivery stage for a dependency that is still being retried,
         *                 in [1, 1048576]; beyond it a dependent is dead-lettered ({@code dependent_queue_full}).
         * @return this.
         */
        public Builder dependentQueueLimit(final int messages)
        {
            return set(Settings.DEPENDENTS_QUEUE_LIMIT, messages);
        }

        /** @param messages most messages held for dependencies at once, in [1, 1048576]. @return this. */
        public Builder holdCapacity(final int messages)
        {
            return set(Settings.HOLD_CAPACITY, messages);
        }

        /** @param nanos how long a message waits for a dependency before it is dead-lettered, > 0. @return this. */
        public Builder holdTimeoutNanos(final long nanos)
        {
            return set(Settings.HOLD_TIMEOUT, nanos);
        }

        /** @param policy what a full hold buffer does. @return this. */
        public Builder holdOverflow(final HoldOverflowPolicy policy)
        {
            return set(Settings.HOLD_OVERFLOW, policy);
        }

        /** @param policy what happens to a message whose deadline passed before delivery. @return this. */
        public Builder deadlinePolicy(final DeadlinePolicy policy)
        {
            return set(Settings.DEADLINE_POLICY, policy);
        }

        /** @param messages most messages the sequencer orders at once, in [1, 65536]. @return this. */
        public Builder sequencerWindow(final int messages)
        {
            return set(Settings.SEQUENCER_WINDOW, messages);
        }

        /** @param ids how far back (in ids) a dependency may point, a power of two in [1024, 2^26]. @return this. */
        public Builder dependencyWindow(final int ids)
        {
            return set(Settings.DEPENDENCIES_WINDOW, ids);
        }

        /** @param size ring slots: a power of two in [16, 2^26]. @return this. */
        public Builder ringSize(final int size)
        {
            return set(Settings.RING_SIZE, size);
        }

        /** @param bytes the largest payload, in [1, 1 MiB]. @return this. */
        public Builder payloadCapacity(final int bytes)
        {
            return set(Settings.PAYLOAD_CAPACITY, bytes);
        }

        /** @param count the most dependency ids one message may declare, in [0, 255]. @return this. */
        public Builder maxDependencies(final int count)
        {
            return set(Settings.DEPENDENCIES_MAX, count);
        }

        /** @param count message types are 0 .. count-1; in [1, 65536]. @return this. */
        public Builder maxMessageTypes(final int count)
        {
            return set(Settings.TYPES_MAX, count);
        }

        /** @param kind how pipeline threads wait. @return this. */
        public Builder waitStrategy(final WaitStrategyKind kind)
        {
            return set(Settings.WAIT_STRATEGY, kind);
        }

        /** @param layout which stages share a thread. @return this. */
        public Builder threadLayout(final ThreadLayout layout)
        {
            return set(Settings.THREAD_LAYOUT, layout);
        }

        /** @param nodeId this node's id, 0..65535 (0: a single-node engine). @return this. */
        public Builder nodeId(final int nodeId)
        {
            return set(Settings.NODE_ID, nodeId);
        }

        /** @param nanos how far ahead of local time a remote HLC timestamp may be, in (0, 1 hour]. @return this. */
        public Builder hlcMaxOffsetNanos(final long nanos)
        {
            return set(Settings.HLC_MAX_OFFSET, nanos);
        }

        /** @param max the largest HLC logical value before it carries into the wall component. @return this. */
        public Builder hlcMaxLogical(final long max)
        {
            return set(Settings.HLC_MAX_LOGICAL, max);
        }

        /** @param cpus where the pipeline threads run: none, auto, isolated, or one CPU per thread group. @return this. */
        public Builder threadCpus(final ThreadCpus cpus)
        {
            return set(Settings.THREADS_CPUS, cpus);
        }

        /**
         * @param cpu where {@code ChronoFabric.pinPublisherThread()} pins a publishing thread: none, auto, isolated or
         *            an id.
         * @return this.
         */
        public Builder publisherCpu(final CpuRequest cpu)
        {
            return set(Settings.THREADS_PUBLISHER_CPU, cpu);
        }

        /**
         * @param allowed true (the default) to run a layout that fits when the host lacks what the settings ask;
         *                false to refuse to start instead.
         * @return this.
         */
        public Builder layoutFallbackAllowed(final boolean allowed)
        {
            return set(Settings.LAYOUT_FALLBACK, allowed);
        }

        /** @param nanos the highest acceptable mean latency, in nanoseconds (&gt; 0). @return this. */
        public Builder targetLatencyMeanNanos(final long nanos)
        {
            return set(Settings.TARGET_LATENCY_MEAN, nanos);
        }

        /** @param nanos the highest acceptable 99th-percentile latency, in nanoseconds (&gt; 0). @return this. */
        public Builder targetLatencyP99Nanos(final long nanos)
        {
            return set(Settings.TARGET_LATENCY_P99, nanos);
        }

        /** @param msgsPerSec the lowest acceptable sustained throughput, in messages per second (&gt; 0). @return this. */
        public Builder targetThroughputMsgsPerSec(final long msgsPerSec)
        {
            return set(Settings.TARGET_THROUGHPUT, msgsPerSec);
        }

        /**
         * @param rate the highest acceptable fraction of published messages not delivered, in [0, 1] (0 for an engine
         *             whose full ring is backpressure, never loss).
         * @return this.
         */
        public Builder targetDropRate(final double rate)
        {
            return set(Settings.TARGET_DROP_RATE, rate);
        }

        /**
         * @param percent the highest acceptable CPU use of the process, in percent of one core as {@code top} shows
         *                it (200 = two cores fully busy), in (0, 102400].
         * @return this.
         */
        public Builder targetCpuPercent(final double percent)
        {
            return set(Settings.TARGET_CPU_PERCENT, percent);
        }

        /** @param megabytes the highest acceptable resident set size of the process, in MiB (&gt; 0). @return this. */
        public Builder targetRssMb(final long megabytes)
        {
            return set(Settings.TARGET_RSS_MB, megabytes);
        }

        /**
         * @param fraction the lowest acceptable temporal coherence: the fraction of deliveries on time and in causal
         *                 order, in [0, 1].
         * @return this.
         */
        public Builder targetTemporalCoherence(final double fraction)
        {
            return set(Settings.TARGET_TEMPORAL_COHERENCE, fraction);
        }

        /**
         * @param port the TCP port of the Prometheus {@code /metrics} endpoint the engine serves while it runs, in
         *             [1, 65535]; 0 (the default) for none.
         * @return this.
         */
        public Builder metricsPort(final int port)
        {
            return set(Settings.METRICS_PORT, port);
        }

        /**
         * @param host the address the {@code /metrics} endpoint listens on: a host name or an IP literal;
         *             {@value Settings#DEFAULT_METRICS_HOST} (the default) for this machine only, {@code 0.0.0.0} for
         *             every interface. The endpoint has no authentication: bind it elsewhere only on a trusted
         *             network.
         * @return this.
         */
        public Builder metricsHost(final String host)
        {
            return set(Settings.METRICS_HOST, host);
        }

        /**
         * @param millis how often the performance monitor compares measurements with the targets, in [10, 3600000];
         *               0 for never.
         * @return this.
         */
        public Builder monitorIntervalMillis(final long millis)
        {
            return set(Settings.MONITOR_INTERVAL, millis);
        }

        /**
         * @param enabled true to trace each message's hops live and report stuck messages and slow hops; false (the
         *                default) leaves the pipeline exactly as without tracing.
         * @return this.
         */
        public Builder tracingEnabled(final boolean enabled)
        {
            return set(Settings.TRACING_ENABLED, enabled);
        }

        /**
         * @param enabled true (the default) to record each message's four per-stage latencies; false leaves the
         *                stage latencies of stats empty and the metrics without the stage histogram family.
         * @return this.
         */
        public Builder stageLatencyEnabled(final boolean enabled)
        {
            return set(Settings.LATENCY_STAGES, enabled);
        }

        /**
         * @param enabled true (the default) to append each message's stage timestamps to the latency trace; false
         *                writes no trace ({@code journal latency} then has nothing to read).
         * @return this.
         */
        public Builder latencyTraceEnabled(final boolean enabled)
        {
            return set(Settings.LATENCY_TRACE, enabled);
        }

        /** @param millis a message in one stage longer than this is reported stuck, in [1, 3600000]. @return this. */
        public Builder tracingStuckMillis(final long millis)
        {
            return set(Settings.TRACING_STUCK, millis);
        }

        /** @param micros a hop between two stages slower than this is reported, in [1, 3600000000]. @return this. */
        public Builder tracingSlowHopMicros(final long micros)
        {
            return set(Settings.TRACING_SLOW_HOP, micros);
        }

        /**
         * For replaying part of a journal: dependencies on ids at or below this count as already delivered.
         *
         * @param id the last id delivered before the replayed range; 0 by default.
         * @return this.
         */
        public Builder assumeDeliveredUpTo(final long id)
        {
            if (id < 0)
            {
                throw new ConfigurationException("assumeDeliveredUpTo", id, "an id >= 0");
            }
            this.assumeDeliveredUpTo = id;
            return this;
        }

        /** @param clock the physical clock the HLC reads (tests inject a manual one). @return this. */
        public Builder wallClock(final WallClock clock)
        {
            this.wallClock = Objects.requireNonNull(clock, "wallClock");
            return this;
        }

        /**
         * @param cpus the host to plan threads for; null (the default) for the host this JVM runs on. Tests and
         *             what-if planning set another.
         * @return this.
         */
        public Builder host(final HostCpus cpus)
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
        public Builder codec(final int type, final MessageCodec<?> codec)
        {
            checkType(type);
            codecs.put(type, Objects.requireNonNull(codec, "codec"));
            return this;
        }

        /**
         * Concludes the configuration: checks the settings against each other and returns them, immutable. The
         * builder may be changed and built again for another engine.
         *
         * @return the configuration.
         * @throws ConfigurationException for settings that are valid alone but not together.
         */
        public EngineConfiguration build()
        {
            final ThreadCpus threadCpus = get(Settings.THREADS_CPUS);
            final ThreadLayout threadLayout = get(Settings.THREAD_LAYOUT);
            final CpuRequest publisherCpu = get(Settings.THREADS_PUBLISHER_CPU);
            if (threadCpus.isList() && threadCpus.cpus().size() != threadLayout.threadCount())
            {
                throw new ConfigurationException(Settings.THREADS_CPUS.name(), threadCpus, "one CPU per thread " +
                    "group of " + Settings.THREAD_LAYOUT.name() + "=" + threadLayout + " (" +
                    threadLayout.threadCount() + " group(s)), or none, auto, isolated");
            }
            if (CpuRequest.Kind.CPU == publisherCpu.kind() && threadCpus.cpus().contains(publisherCpu.cpuId()))
            {
                throw new ConfigurationException(Settings.THREADS_PUBLISHER_CPU.name(), publisherCpu, "a CPU not in " +
                    Settings.THREADS_CPUS.name() + "=" + threadCpus + " (a publisher sharing a pipeline thread's " +
                    "CPU waits on it), or none, auto, isolated");
            }
            for (final Integer type : codecs.keySet())
            {
                checkType(type);
            }
            return new EngineConfiguration(this);
        }

        private void checkType(final int type)
        {
            final int maxMessageTypes = get(Settings.TYPES_MAX);
            if (type < 0 || type >= maxMessageTypes)
            {
                throw new ConfigurationException("message type", type, "an integer in [0, " + (maxMessageTypes - 1) +
                    "] (raise " + Settings.TYPES_MAX.name() + " for more)");
            }
        }
    }
}
