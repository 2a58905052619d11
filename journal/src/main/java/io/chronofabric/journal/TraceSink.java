package io.chronofabric.journal;

/**
 * Where the delivery stage appends the latency trace: {@link TraceWriter} on a journal; a test captures the entries
 * instead. Single-threaded (the delivery thread).
 */
public interface TraceSink extends AutoCloseable
{
    /** No trace ({@code latency.trace.enabled=false}): adds, flushes and closes nothing; writes no file. */
    TraceSink NONE = new TraceSink()
    {
        @Override
        public void add(final long id, final long published, final long journaled, final long sequenced,
            final long routed, final long delivered, final int flags, final int subscribers)
        {
        }

        @Override
        public void flush()
        {
        }

        @Override
        public void close()
        {
        }
    };

    /**
     * Adds one delivered message's timestamps.
     *
     * @param id          message id.
     * @param published   publish (intended send) time.
     * @param journaled   end of the journal stage.
     * @param sequenced   end of the sequencer stage.
     * @param routed      end of the router stage.
     * @param delivered   end of delivery.
     * @param flags       {@link TraceLayout} flag bits.
     * @param subscribers subscribers invoked.
     */
    void add(long id, long published, long journaled, long sequenced, long routed, long delivered, int flags,
        int subscribers);

    /**
     * Prepares the first write on the calling thread (the delivery thread) so that it does not pay for creating the
     * roll file; writes nothing. Nothing by default.
     */
    default void prepare()
    {
    }

    /** Makes the entries added so far as durable as the journal's policy says; at the end of each delivery batch. */
    void flush();

    /** Flushes what is pending and closes the trace. */
    @Override
    void close();
}
