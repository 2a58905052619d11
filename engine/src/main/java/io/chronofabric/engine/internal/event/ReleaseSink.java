package io.chronofabric.engine.internal.event;

/**
 * Where the temporal sequencer sends the messages it releases, in release order: straight into the router and
 * delivery stages when they share the sequencer's thread, or into the release ring that their threads consume.
 */
public interface ReleaseSink
{
    /** Called once on the sequencer's thread when it starts, before any release. Nothing by default. */
    default void start()
    {
    }

    /**
     * @param message a released message, or a dead-lettered one (its {@link MessageEvent#deadLetterReason()} set);
     *     valid only during the call: the sink copies what it keeps.
     */
    void release(MessageEvent message);

    /** Called after each group of releases: the end of a batch for the stages downstream. Nothing by default. */
    default void endOfRelease()
    {
    }

    /**
     * Called on the sequencer's idle ticks, so that delivery's time-driven work (retries) runs when inline. Nothing by
     * default.
     */
    default void idle()
    {
    }

    /** Called once on the sequencer's thread when it shuts down, after its last release. Nothing by default. */
    default void close()
    {
    }
}
