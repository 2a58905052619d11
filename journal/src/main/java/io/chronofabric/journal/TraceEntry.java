package io.chronofabric.journal;

/**
 * One message's trace: its id and the monotonic timestamps at which it passed each stage. Mutable and reused.
 */
public final class TraceEntry
{
    private long id;
    private long published;
    private long journaled;
    private long sequenced;
    private long routed;
    private long delivered;
    private int flags;
    private int subscribers;

    /**
     * Sets every field.
     *
     * @param id          message id.
     * @param published   publish (intended send) time.
     * @param journaled   end of the journal stage.
     * @param sequenced   end of the sequencer stage.
     * @param routed      end of the router stage.
     * @param delivered   end of delivery.
     * @param flags       {@link TraceLayout} flag bits.
     * @param subscribers subscribers invoked.
     * @return this.
     */
    public TraceEntry set(final long id, final long published, final long journaled, final long sequenced,
        final long routed, final long delivered, final int flags, final int subscribers)
    {
        this.id = id;
        this.published = published;
        this.journaled = journaled;
        this.sequenced = sequenced;
        this.routed = routed;
        this.delivered = delivered;
        this.flags = flags;
        this.subscribers = subscribers;
        return this;
    }

    /** @return the message id. */
    public long id()
    {
        return id;
    }

    /** @return publish (intended send) time, monotonic nanoseconds. */
    public long published()
    {
        return published;
    }

    /** @return end of the journal stage, monotonic nanoseconds. */
    public long journaled()
    {
        return journaled;
    }

    /** @return end of the sequencer stage, monotonic nanoseconds. */
    public long sequenced()
    {
        return sequenced;
    }

    /** @return end of the router stage, monotonic nanoseconds. */
    public long routed()
    {
        return routed;
    }

    /** @return end of delivery, monotonic nanoseconds. */
    public long delivered()
    {
        return delivered;
    }

    /** @return the flag bits. */
    public int flags()
    {
        return flags;
    }

    /** @return subscribers invoked. */
    public int subscribers()
    {
        return subscribers;
    }

    /** @return true when recovery redelivered this message. */
    public boolean redelivered()
    {
        return 0 != (flags & TraceLayout.FLAG_REDELIVERED);
    }
}
