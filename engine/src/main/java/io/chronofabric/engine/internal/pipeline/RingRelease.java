package io.chronofabric.engine.internal.pipeline;

import java.util.concurrent.locks.LockSupport;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.event.ReleaseSink;

/**
 * Releases into the release ring (the sequencer is its only producer), for layouts where the router or delivery
 * run on threads of their own.
 */
final class RingRelease implements ReleaseSink
{
    private final RingBuffer<MessageEvent> ring;
    private final Router router;
    private volatile boolean halted;

    /**
     * @param ring   the release ring.
     * @param router the router when it shares the sequencer's thread (it routes before the copy), else null.
     */
    public RingRelease(final RingBuffer<MessageEvent> ring, final Router router)
    {
        this.ring = ring;
        this.router = router;
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
                if (halted)
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

    /**
     * The close ran out of time and halted the consumers, which may never free another slot: a release waiting for
     * one gives up, so that the sequencer's thread can stop.
     */
    void halt()
    {
        halted = true;
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
