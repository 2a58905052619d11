package io.chronofabric.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.chronofabric.engine.clock.HlcTimestamps;
import io.chronofabric.journal.MessageRecord;

/**
 * Stage 2, temporal sequencer: the point where a message is released to routing in time order. Today it keeps
 * the HLC bookkeeping (the last released timestamp) and checks that release order is HLC order, counting any
 * violation; causal holding, priorities and deadlines are decided here too, before the router sees a message.
 */
public final class TemporalSequencer implements EventHandler<MessageEvent>
{
    private final PipelineCounters counters;
    private long lastWall;
    private long lastLogical = -1;

    /**
     * @param counters the engine's counters.
     */
    public TemporalSequencer(final PipelineCounters counters)
    {
        this.counters = counters;
    }

    @Override
    public void onEvent(final MessageEvent event, final long sequence, final boolean endOfBatch)
    {
        final MessageRecord record = event.record();
        if (HlcTimestamps.compare(record.hlcWall(), record.hlcLogical(), lastWall, lastLogical) <= 0)
        {
            counters.orderViolations().increment();
        }
        lastWall = record.hlcWall();
        lastLogical = record.hlcLogical();
        event.sequencedNanos(System.nanoTime());
    }
}
