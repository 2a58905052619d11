package io.chronofabric.perf.systems;

import java.util.List;

import io.chronofabric.engine.api.Stage;
import io.chronofabric.perf.spi.LatencyProbe;

/**
 * The four stages of the raw baselines, as trivial handlers doing the least real work of each ChronoFabric stage:
 * journal (append the document's bytes to a raw Chronicle Queue, synced after each batch as the durability policy
 * asks, or nothing), sequencer (check that sequences
 * rise), router (one array read by type), delivery (report the latency to the probe). One instance per thread
 * group runs the group's stages in pipeline order, as ChronoFabric's {@code StageGroup} does.
 */
final class BaselineStages
{
    private static final int[] ROUTES = new int[256];

    private final boolean journal;
    private final boolean sequencer;
    private final boolean router;
    private final boolean delivery;
    private final RawJournal rawJournal;
    private final int documentBytes;
    private final LatencyProbe probe;
    private long lastSequence = -1;
    private long orderViolations;

    /**
     * @param stages        the stages of this group.
     * @param rawJournal    the queue the journal stage appends to, or null for a trivial journal stage.
     * @param documentBytes bytes appended per message.
     * @param probe         where the delivery stage reports.
     */
    BaselineStages(final List<Stage> stages, final RawJournal rawJournal, final int documentBytes, final LatencyProbe probe)
    {
        this.journal = stages.contains(Stage.JOURNAL);
        this.sequencer = stages.contains(Stage.SEQUENCER);
        this.router = stages.contains(Stage.ROUTER);
        this.delivery = stages.contains(Stage.DELIVERY);
        this.rawJournal = journal ? rawJournal : null;
        this.documentBytes = documentBytes;
        this.probe = probe;
    }

    void onEvent(final BaselineEvent event, final long sequence, final boolean endOfBatch)
    {
        if (journal)
        {
            event.sequence = sequence;
            if (null != rawJournal)
            {
                rawJournal.append(event.bytes, documentBytes);
                if (endOfBatch)
                {
                    rawJournal.sync();
                }
            }
        }
        if (sequencer)
        {
            if (event.sequence <= lastSequence)
            {
                orderViolations++;
            }
            lastSequence = event.sequence;
        }
        if (router)
        {
            event.routedTo = ROUTES[event.bytes[Long.BYTES] & 0xFF];
        }
        if (delivery)
        {
            probe.delivered(event.intendedNanos);
        }
    }

    /** Closes the appender on its own thread. */
    void onShutdown()
    {
        if (null != rawJournal)
        {
            rawJournal.closeAppender();
        }
    }

    /** @return messages seen out of order by the sequencer stage; 0 unless the wiring is broken. */
    long orderViolations()
    {
        return orderViolations;
    }
}
