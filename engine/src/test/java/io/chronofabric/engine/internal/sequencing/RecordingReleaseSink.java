package io.chronofabric.engine.internal.sequencing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.event.Recovery;
import io.chronofabric.engine.internal.event.ReleaseSink;
import io.chronofabric.journal.DeadLetterReason;

/**
 * Records what a {@link TemporalSequencer} hands on, in order: each released or dead-lettered message (copied at the
 * call: the sequencer reuses its entries), and where each group of releases ended.
 */
public final class RecordingReleaseSink implements ReleaseSink
{
    /**
     * One message handed on.
     *
     * @param id             its id.
     * @param reason         why it was dead-lettered, null when released for delivery.
     * @param sequencedNanos when, on the sequencer's monotonic clock.
     * @param previousId     the id admitted before it.
     * @param group          the number of the group of releases it was part of (counting non-empty groups from 0).
     * @param recovery       what recovery knew of it.
     */
    public record Out(long id, DeadLetterReason reason, long sequencedNanos, long previousId, int group,
        Recovery recovery)
    {
    }

    private final List<Out> outs = new ArrayList<>();
    private int groups;
    private boolean groupOpen;
    private int starts;
    private int idles;
    private int closes;

    @Override
    public void start()
    {
        starts++;
    }

    @Override
    public void release(final MessageEvent message)
    {
        if (closes > 0)
        {
            throw new AssertionError("released " + message.id() + " after close");
        }
        outs.add(new Out(message.id(), message.deadLetterReason(), message.sequencedNanos(), message.previousId(),
            groups, message.recovery()));
        groupOpen = true;
    }

    @Override
    public void endOfRelease()
    {
        if (groupOpen)
        {
            groups++;
            groupOpen = false;
        }
    }

    @Override
    public void idle()
    {
        idles++;
    }

    @Override
    public void close()
    {
        closes++;
    }

    /** @return everything handed on, in order. */
    public List<Out> outs()
    {
        return outs;
    }

    /** @return the ids released for delivery, in release order. */
    public List<Long> released()
    {
        return outs.stream().filter(out -> null == out.reason()).map(Out::id).collect(Collectors.toList());
    }

    /** @return the ids dead-lettered, in order, with their reasons. */
    public Map<Long, DeadLetterReason> deadLettered()
    {
        final Map<Long, DeadLetterReason> dead = new LinkedHashMap<>();
        for (final Out out : outs)
        {
            if (null != out.reason() && null != dead.put(out.id(), out.reason()))
            {
                throw new AssertionError("message " + out.id() + " dead-lettered twice: " + outs);
            }
        }
        return dead;
    }

    /** @return every id handed on, in order. */
    public List<Long> ids()
    {
        return outs.stream().map(Out::id).collect(Collectors.toList());
    }

    /** @return the released ids, one list per group of releases, dead letters left out. */
    public List<List<Long>> releaseGroups()
    {
        final List<List<Long>> byGroup = new ArrayList<>();
        for (final Out out : outs)
        {
            while (byGroup.size() <= out.group())
            {
                byGroup.add(new ArrayList<>());
            }
            if (null == out.reason())
            {
                byGroup.get(out.group()).add(out.id());
            }
        }
        byGroup.removeIf(List::isEmpty);
        return byGroup;
    }

    /** Forgets what was recorded so far. */
    public void clear()
    {
        outs.clear();
    }

    /** @return how often the sequencer started it. */
    public int starts()
    {
        return starts;
    }

    /** @return how many idle ticks it was passed. */
    public int idles()
    {
        return idles;
    }

    /** @return how often it was closed. */
    public int closes()
    {
        return closes;
    }
}
