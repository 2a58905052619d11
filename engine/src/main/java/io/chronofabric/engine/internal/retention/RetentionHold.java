package io.chronofabric.engine.internal.retention;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What keeps journal retention from deleting settled messages, besides the settled watermark: a node's peers that
 * have not journaled this node's messages yet, since a resend reads them back from this journal.
 */
public interface RetentionHold
{
    /** Holds nothing back: a single-node engine's. */
    RetentionHold NONE = of(() -> Long.MAX_VALUE, () -> "nothing");

    /** @return the highest id retention may delete through. */
    long deletableThrough();

    /** @return what keeps retention at {@link #deletableThrough()}, for an operator: asked while it keeps a cycle. */
    String reason();

    /**
     * @param deletableThrough reads the highest id retention may delete through.
     * @param reason           says what keeps it there.
     * @return the hold.
     */
    static RetentionHold of(final LongSupplier deletableThrough, final Supplier<String> reason)
    {
        return new RetentionHold()
        {
            @Override
            public long deletableThrough()
            {
                return deletableThrough.getAsLong();
            }

            @Override
            public String reason()
            {
                return reason.get();
            }
        };
    }

    /**
     * The hold of a node's engine until its node has started: nothing is deleted before the node knows what its peers
     * have journaled (a node restarted while a peer is down would otherwise delete what that peer never received).
     *
     * @param nodeId the engine's node id.
     * @return the hold.
     */
    static RetentionHold untilNodeStarts(final int nodeId)
    {
        return of(() -> 0, () -> "node " + nodeId + " has not started its peer links: what its peers have journaled " +
            "is not known, so none of its messages is deleted");
    }
}
