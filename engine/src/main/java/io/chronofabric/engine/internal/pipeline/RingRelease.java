package io.chronofabric.engine.internal.pipeline;

import java.util.concurrent.locks.LockSupport;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.event.PipelineCounters;
import io.chronofabric.engine.internal.event.ReleaseSink;

/**
 * Releases into the release ring (the sequencer is its only producer), for layouts where the router or delivery
 * run on threads of their own.
 */
final class RingRelease implements ReleaseSink
{
    private final RingBuffer<MessageEvent> ring;
    private final Router router;
    private final PipelineCounters counters;

    /**
     * @param ring     the release ring.
     * @param router   the router when it shares the sequencer's thread (it routes before the copy), else null.
     * @param counters whether the close has halted the pipeline: its consumers may then never free another slot, and
     *                 a release waiting for one gives up, so that the sequencer's thread can stop.
     */
    public RingRelease(final RingBuffer<MessageEvent> ring, final Router router, final PipelineCounters counters)
    {
        this.ring = ring;
        this.router = router;
        this.counters = counters;
    }

    @Override
    public void start()
    {
        // the release ring's own threads start their stages
    }

    @Override
    public void release(final MessageEvent message)
    {
        if (null != router)
        {
            router.route(message);
        }
        long sequence;
        while (true)
        {
            try
            {
                sequence = ring.tryNext();
                break;
            }
            catch (final InsufficientCapacityException full)
            {
                if (counters.halted())
                {
                    return; // the close gave up on the consumers: it stays unsettled, for the next start
                }
                LockSupport.parkNanos(1); // as the ring's own next() waits for a slot
            }
        }
        try
        {
            ring.get(sequence).copyFrom(message);
        }
        finally
        {
            ring.publish(sequence);
        }
    }

    @Override
    public void endOfRelease()
    {
        // each release is published as it is made; the consumers see their own batch ends
    }

    @Override
    public void idle()
    {
        // the release ring's own threads get their own idle ticks
    }

    @Override
    public void close()
    {
        // the release ring's own threads shut their stages down when it drains
    }
}
