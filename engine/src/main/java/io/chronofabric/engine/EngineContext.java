package io.chronofabric.engine;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import io.chronofabric.engine.clock.SystemWallClock;
import io.chronofabric.engine.clock.WallClock;
import io.chronofabric.journal.JournalQueues;
import io.chronofabric.journal.EngineLimits;

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

    private String profile = "dev";
    private Path journalDir = Path.of("data", "journal");
    private String rollCycle = JournalQueues.DEFAULT_ROLL_CYCLE;
    private int ringSize = 16 * 1024;
    private int payloadCapacity = 256;
    private int maxDependencies = 8;
    private int maxMessageTypes = 256;
    private WaitStrategyKind waitStrategy = WaitStrategyKind.SLEEPING;
    private ThreadLayout threadLayout = ThreadLayout.FUSED;
    private long hlcMaxOffsetNanos = 500_000_000L;
    private long hlcMaxLogical = Integer.MAX_VALUE;
    private WallClock wallClock = SystemWallClock.INSTANCE;
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

    /** @param type a message type. @return its codec, or null when none is registered. */
    public MessageCodec<?> codecFor(final int type)
    {
        return codecs.get(type);
    }
}
