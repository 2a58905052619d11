package io.chronofabric.perf.spi;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import io.chronofabric.engine.config.Settings;

/**
 * The systems one perf run compares: ChronoFabric and the raw libraries it is built on, wired with the same number
 * of stages and threads, the same wait strategy and ring size, and the same message size.
 */
public enum SystemKind
{
    /** ChronoFabric itself, journal on, in the profile's thread layout. */
    CHRONOFABRIC("chronofabric", "ChronoFabric (journal on): HLC + Chronicle journal + sequencer + router + delivery"),
    /** ChronoFabric as above with its optional per-message costs off: no per-stage latency, no latency trace. */
    CHRONOFABRIC_LEAN("chronofabric-lean", "ChronoFabric as above with " + Settings.LATENCY_STAGES.name() +
        "=false and " + Settings.LATENCY_TRACE.name() + "=false (end-to-end latency, journal and settlement log on)"),
    /** The raw Disruptor pipeline with the same stages as trivial handlers; no journal. */
    DISRUPTOR("disruptor", "raw Disruptor, same stages and threads, trivial handlers, no journal"),
    /** The same raw Disruptor pipeline whose first stage appends the same bytes to a raw Chronicle Queue. */
    DISRUPTOR_CHRONICLE("disruptor+chronicle", "raw Disruptor whose first stage appends the same bytes to raw Chronicle Queue"),
    /** The same stages and threads connected by ArrayBlockingQueues; no journal. */
    BLOCKING_QUEUE("abq", "ArrayBlockingQueue pipeline, same stages and threads, trivial handlers, no journal"),
    /** A raw Chronicle Queue appender on the sending thread: no pipeline at all. */
    CHRONICLE("chronicle", "raw Chronicle Queue appender alone, on the sending thread"),
    /**
     * Raw Aeron over loopback UDP in this process: an embedded media driver, one publication, one subscription; the
     * floor for anything that ships messages between nodes over Aeron.
     */
    RAW_AERON("raw-aeron", "raw Aeron: embedded media driver (one shared thread), one publication and one " +
        "subscription over loopback UDP, one-way; no journal"),
    /**
     * ChronoFabric as two nodes of one deployment in this process: published on node 1, shipped over loopback UDP
     * (Aeron) to node 2, which journals, sequences and delivers it; one-way from node 1's publisher to node 2's
     * subscriber. Set against {@link #RAW_AERON}, the transport it is built on.
     */
    CHRONOFABRIC_TWO_NODE("chronofabric-two-node", "ChronoFabric, two nodes in this process: publish on node 1, " +
        "journal, ship over loopback UDP (Aeron), journal, sequence and deliver on node 2; one-way");

    /** The baselines, every kind but ChronoFabric's own. */
    public static final List<SystemKind> BASELINES = List.of(DISRUPTOR, DISRUPTOR_CHRONICLE, BLOCKING_QUEUE, CHRONICLE,
        RAW_AERON);

    private final String label;
    private final String description;

    SystemKind(final String label, final String description)
    {
        this.label = label;
        this.description = description;
    }

    /**
     * @return whether a run without {@code --systems} measures it: every kind but {@link #RAW_AERON}, which runs a
     *     media driver and UDP and costs a {@code --quick} run about 15 s more, and {@link #CHRONOFABRIC_TWO_NODE},
     *     which runs two engines and two media drivers and costs more still; they run when named.
     */
    public boolean inDefaultRun()
    {
        return RAW_AERON != this && CHRONOFABRIC_TWO_NODE != this;
    }

    /** @return the kinds a run without {@code --systems} measures, in declaration order. */
    public static List<SystemKind> defaultRun()
    {
        return Arrays.stream(values()).filter(SystemKind::inDefaultRun).collect(Collectors.toList());
    }

    /**
     * The baseline a system is set against in a ratio line of its own ("X vs Y" in the table, {@code paired_ratios}
     * in the JSON), beside ChronoFabric's ratio to every baseline. The two-node ChronoFabric system (publish on one
     * node, deliver on another over loopback UDP) takes {@link #RAW_AERON} here, the transport it is built on.
     *
     * @return the paired baseline, or null when the system has none.
     */
    public SystemKind pairedBaseline()
    {
        switch (this)
        {
            case CHRONOFABRIC_LEAN:
                return DISRUPTOR_CHRONICLE;
            case CHRONOFABRIC_TWO_NODE:
                return RAW_AERON;
            default:
                return null;
        }
    }

    /** @return true for ChronoFabric itself, any variant: never listed as a baseline of the in-process engine. */
    public boolean isChronoFabric()
    {
        return CHRONOFABRIC == this || CHRONOFABRIC_LEAN == this || CHRONOFABRIC_TWO_NODE == this;
    }

    /** @return the short name used in tables, files and JSON. */
    public String label()
    {
        return label;
    }

    /** @return what the system is, in one line. */
    public String description()
    {
        return description;
    }

    /**
     * @param label a kind's label, case-insensitive.
     * @return the kind.
     * @throws IllegalArgumentException naming the allowed labels.
     */
    public static SystemKind ofLabel(final String label)
    {
        for (final SystemKind kind : values())
        {
            if (kind.label.equals(label.trim().toLowerCase(Locale.ROOT)))
            {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown system '" + label + "'; allowed: " + labels());
    }

    /** @return every system's label, comma-separated. */
    public static String labels()
    {
        return Arrays.stream(values()).map(SystemKind::label).collect(Collectors.joining(", "));
    }
}
