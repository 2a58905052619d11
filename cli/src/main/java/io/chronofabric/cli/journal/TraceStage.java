package io.chronofabric.cli.journal;

import java.util.function.ToLongFunction;

import io.chronofabric.journal.TraceEntry;

/**
 * The latencies a trace entry gives: each pipeline stage as the difference of two of its timestamps, and end to
 * end from the (intended) publish time to the end of delivery.
 */
enum TraceStage
{
    /** From publish (intended send time) to the end of the journal stage. */
    JOURNAL("journal", e -> e.journaled() - e.published()),
    /** From the end of the journal stage to the sequencer's release. */
    SEQUENCER("sequencer", e -> e.sequenced() - e.journaled()),
    /** From the sequencer's release to the router's choice of subscribers. */
    ROUTER("router", e -> e.routed() - e.sequenced()),
    /** From routing to the return of the last subscriber. */
    DELIVERY("delivery", e -> e.delivered() - e.routed()),
    /** From publish (intended send time) to the return of the last subscriber. */
    END_TO_END("end-to-end", e -> e.delivered() - e.published());

    private final String label;
    private final ToLongFunction<TraceEntry> latency;

    TraceStage(final String label, final ToLongFunction<TraceEntry> latency)
    {
        this.label = label;
        this.latency = latency;
    }

    /** @return the name printed and used as the .hlog tag. */
    String label()
    {
        return label;
    }

    /** @param entry a trace entry. @return this stage's latency in nanoseconds (negative if the clock misbehaved). */
    long nanos(final TraceEntry entry)
    {
        return latency.applyAsLong(entry);
    }
}
