package io.chronofabric.engine.internal.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.chronofabric.journal.TraceSink;

/** Records the latency trace entries the delivery stage appends, in order, and how far they were flushed. */
public final class RecordingTrace implements TraceSink
{
    /**
     * One trace entry.
     *
     * @param id          the message.
     * @param published   publish time.
     * @param journaled   end of the journal stage.
     * @param sequenced   end of the sequencer stage.
     * @param routed      end of the router stage.
     * @param delivered   end of delivery.
     * @param flags       flag bits.
     * @param subscribers subscribers invoked.
     */
    public record Entry(long id, long published, long journaled, long sequenced, long routed, long delivered,
        int flags, int subscribers)
    {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final List<String> calls;
    private int flushed;
    private boolean closed;
    private RuntimeException failNextAdd;

    /** A sink of its own. */
    public RecordingTrace()
    {
        this(new ArrayList<>());
    }

    /** @param calls where each flush is noted as "trace flush", in order with other sinks' calls. */
    public RecordingTrace(final List<String> calls)
    {
        this.calls = calls;
    }

    @Override
    public void add(final long id, final long published, final long journaled, final long sequenced, final long routed,
        final long delivered, final int flags, final int subscribers)
    {
        if (closed)
        {
            throw new AssertionError("trace entry " + id + " added after close");
        }
        if (null != failNextAdd)
        {
            final RuntimeException failure = failNextAdd;
            failNextAdd = null;
            throw failure;
        }
        entries.add(new Entry(id, published, journaled, sequenced, routed, delivered, flags, subscribers));
    }

    @Override
    public void flush()
    {
        flushed = entries.size();
        calls.add("trace flush");
    }

    @Override
    public void close()
    {
        flush();
        closed = true;
    }

    /** @param failure what the next {@link #add} throws (a full disk, say) instead of adding its entry. */
    public void failNextAdd(final RuntimeException failure)
    {
        failNextAdd = failure;
    }

    /** @return every entry added, in order. */
    public List<Entry> entries()
    {
        return entries;
    }

    /** @return the ids traced, in order. */
    public List<Long> ids()
    {
        return entries.stream().map(Entry::id).collect(Collectors.toList());
    }

    /** @return how many entries were flushed. */
    public int flushed()
    {
        return flushed;
    }

    /** @return whether it was closed. */
    public boolean isClosed()
    {
        return closed;
    }
}
