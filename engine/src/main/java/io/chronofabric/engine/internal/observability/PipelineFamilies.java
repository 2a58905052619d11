package io.chronofabric.engine.internal.observability;

import java.io.UncheckedIOException;

import io.chronofabric.engine.internal.event.PipelineCounters;
import io.chronofabric.journal.JournalFiles;

/**
 * The pipeline's counters and gauges, read at scrape time from the single-writer counters the stages keep anyway.
 */
final class PipelineFamilies
{
    private PipelineFamilies()
    {
    }

    private static double journalBytes(final MonitoredEngine engine)
    {
        try
        {
            return JournalFiles.bytesOnDisk(engine.context().journalDir());
        }
        catch (final UncheckedIOException ex)
        {
            // a file listed by the walk was removed before it was sized: the scrape goes on without this value
            return Double.NaN;
        }
    }

    /**
     * @param families    where they go.
     * @param engine      the engine.
     * @param journal     reads the journal's last index.
     */
    static void add(final Families families, final MonitoredEngine engine, final JournalIndex journal)
    {
        final PipelineCounters counters = engine.counters();
        // a scrape is read while the engine runs: what happened to messages is read before how many were published
        // and the settled watermark before the acknowledged id, so that within one scrape delivered + dropped never
        // exceeds published, nor the watermark the acknowledged id
        final long delivered = counters.delivered().get();
        final long dropped = counters.dropped().get();
        final long unrouted = counters.unrouted().get();
        final long settledWatermark = engine.settledWatermark();
        final long acknowledgedId = engine.acknowledgedId();
        families.counter("messages_published", "Messages accepted by publish (journaled, then delivered).",
            engine.published());
        families.counter("messages_delivered", "Messages that completed delivery to every subscriber of their type.",
            delivered);
        families.counter("messages_dropped", "Accepted messages no subscriber was handed: dead-lettered whole, or " +
            "not journaled (a failed journal).", dropped);
        families.counter("messages_rejected", "Publishes refused whole (payload too large, remote clock too far " +
            "ahead), never counted as published.", engine.rejected());
        families.counter("messages_unrouted", "Delivered messages whose type had no subscriber.", unrouted);
        families.counter("backpressure_events", "Times a publisher found the ring full (it waited or backed off; " +
            "nothing was lost).", engine.backpressureEvents());
        families.counter("publisher_pauses", "Publishes that waited, or tryPublish calls refused (RING_FULL), while " +
            "a node paused application publishers for a lagging peer (peer.lag-policy=block).", engine.pauseEvents());
        families.counter("handler_failures", "Subscriber handler invocations that threw.",
            counters.handlerFailures().get());
        families.counter("journal_failures", "Journal appends that failed.", counters.journalFailures().get());
        families.counter("hlc_order_violations", "Messages released out of HLC order; must stay 0.",
            counters.orderViolations().get());
        families.gauge("active_subscriptions", "Subscriptions open now.", engine.activeSubscriptions());
        families.gauge("ring_capacity", "Slots of the ring publishers claim.", engine.context().ringSize());
        families.gauge("ring_remaining_capacity", "Ring slots free right now.", engine.remainingCapacity());
        families.gauge("journal_size_bytes", "Disk space the journal folder takes (messages, latency trace, dead " +
            "letters); NaN when a roll was under way while it was measured.", journalBytes(engine));
        families.gauge("journal_last_index", "Chronicle Queue index of the last journaled message, -1 when empty.",
            journal.lastIndex());
        families.gauge("journal_acknowledged_id", "Highest message id journaled and as durable as the journal's " +
            "policy promises.", acknowledgedId);
        families.gauge("journal_settled_watermark", "Every journaled message id at or below it was delivered or " +
            "dead-lettered for every subscriber (as last persisted).", settledWatermark);
        families.counter("messages_recovered", "Messages journaled but unsettled before this engine started, " +
            "delivered again at start.", engine.recoveredMessages());
    }
}
